using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Security;

namespace Lockstep.Panel;

/// <summary>
/// <c>--restore</c>: brings the packages the panel's libraries list into the packages folder with an ordinary
/// <c>dotnet restore</c> of a throw-away project per library (in the temp folder, outside any repository), so their
/// compile assemblies can be referenced. It restores packages only; no third-party code is built.
/// </summary>
public static class PackageRestorer
{
    public static int Restore(IEnumerable<PanelLibrary> libraries, string packagesRoot, TextWriter output)
    {
        int failures = 0;
        foreach (var library in libraries.Where(l => l.Packages.Count > 0))
        {
            string scratch = Path.Combine(Path.GetTempPath(), $"lockstep-panel-restore-{Environment.ProcessId}-{library.Directory}");
            Directory.CreateDirectory(scratch);
            try
            {
                // Empty Directory.* files stop MSBuild from importing whatever lies above the temp folder.
                foreach (string name in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props" })
                {
                    File.WriteAllText(Path.Combine(scratch, name), "<Project />\n");
                }

                var references = library.Packages
                    .Select(PackageFolders.Split)
                    .Select(p => $"    <PackageReference Include=\"{SecurityElement.Escape(p.Id)}\" Version=\"{SecurityElement.Escape(p.Version ?? "*")}\" />");
                string project = Path.Combine(scratch, "restore.csproj");
                File.WriteAllText(project, string.Join("\n",
                    "<Project Sdk=\"Microsoft.NET.Sdk\">",
                    "  <PropertyGroup>",
                    $"    <TargetFramework>{ReferencePack.TargetFramework}</TargetFramework>",
                    "  </PropertyGroup>",
                    "  <ItemGroup>",
                    string.Join("\n", references),
                    "  </ItemGroup>",
                    "</Project>",
                    ""));

                output.WriteLine($"{library.Name}: restoring {string.Join(", ", library.Packages)} into {packagesRoot}");
                int exitCode = Run("dotnet", scratch, "restore", project, "--packages", packagesRoot, "-nologo", "-v:q");
                if (exitCode != 0)
                {
                    output.WriteLine($"{library.Name}: dotnet restore exited with {exitCode}; the library is analysed without the missing packages.");
                    failures++;
                }
            }
            finally
            {
                Directory.Delete(scratch, recursive: true);
            }
        }

        return failures == 0 ? 0 : 1;
    }

    private static int Run(string fileName, string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName) { WorkingDirectory = workingDirectory, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        process.WaitForExit();
        return process.ExitCode;
    }
}
