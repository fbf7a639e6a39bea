using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace Lockstep.Panel;

/// <summary>
/// The framework the panel compiles against: the SDK's <c>packs/Microsoft.NETCore.App.Ref/&lt;version&gt;/ref/net10.0</c>,
/// the newest version that has that folder. Always net10.0, whatever runtime runs the panel, so figures do not move
/// when a new SDK arrives. (The analyzer benchmark picks the running runtime's major version instead.)
/// </summary>
public sealed class ReferencePack
{
    public const string TargetFramework = "net10.0";

    private ReferencePack(string directory, IReadOnlyList<string> assemblies, IReadOnlyList<string> generators)
    {
        Directory = directory;
        Assemblies = assemblies;
        Generators = generators;
        AssemblyNames = new HashSet<string>(assemblies.Select(Path.GetFileNameWithoutExtension)!, StringComparer.OrdinalIgnoreCase);
    }

    public string Directory { get; }

    public IReadOnlyList<string> Assemblies { get; }

    /// <summary>The pack's <c>analyzers/dotnet/cs</c> assemblies: the source generators every net10.0 build runs.</summary>
    public IReadOnlyList<string> Generators { get; }

    /// <summary>Simple names of the framework's assemblies: a package assembly with one of these names is left out.</summary>
    public IReadOnlySet<string> AssemblyNames { get; }

    public static ReferencePack Find()
    {
        string runtimeDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var roots = new[]
            {
                // <root>/shared/Microsoft.NETCore.App/<version>/ → <root>
                Path.GetFullPath(Path.Combine(runtimeDirectory, "..", "..", "..")),
                Environment.GetEnvironmentVariable("DOTNET_ROOT"),
                "/usr/share/dotnet",
                "/usr/lib/dotnet",
            }
            .Where(r => !string.IsNullOrEmpty(r))
            .Distinct(StringComparer.Ordinal);

        foreach (string? root in roots)
        {
            string packs = Path.Combine(root!, "packs", "Microsoft.NETCore.App.Ref");
            if (!System.IO.Directory.Exists(packs))
            {
                continue;
            }

            var candidates = System.IO.Directory.GetDirectories(packs)
                .Select(d => (Path: Path.Combine(d, "ref", TargetFramework), Version: PackageFolders.ParseVersion(Path.GetFileName(d))))
                .Where(c => c.Version is not null && System.IO.Directory.Exists(c.Path))
                .OrderByDescending(c => c.Version);
            foreach (var candidate in candidates)
            {
                var dlls = System.IO.Directory.GetFiles(candidate.Path, "*.dll").OrderBy(p => p, StringComparer.Ordinal).ToList();
                if (dlls.Count > 0)
                {
                    // <pack>/<version>/ref/net10.0 → <pack>/<version>/analyzers/dotnet/cs
                    string analyzers = Path.Combine(candidate.Path, "..", "..", "analyzers", "dotnet", "cs");
                    var generators = System.IO.Directory.Exists(analyzers)
                        ? System.IO.Directory.GetFiles(analyzers, "*.dll").Select(Path.GetFullPath).OrderBy(p => p, StringComparer.Ordinal).ToList()
                        : new List<string>();
                    return new ReferencePack(candidate.Path, dlls, generators);
                }
            }
        }

        throw new DirectoryNotFoundException($"No packs/Microsoft.NETCore.App.Ref/<version>/ref/{TargetFramework} next to the running .NET or in DOTNET_ROOT; install the .NET 10 SDK.");
    }
}
