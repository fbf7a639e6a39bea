using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Lockstep.Package.Tests.Infrastructure;

namespace Lockstep.Package.Tests;

/// <summary>
/// docs/getting-started.md, followed to the letter: its pack commands built the feed this collection uses
/// (<see cref="PackedPackages"/>), and this test runs its consumer commands in a fresh folder, writes its Program.cs and
/// expects the warning the page shows.
/// </summary>
[Collection(PackedPackagesCollection.Name)]
[Trait("Category", "Package")]
public sealed class GettingStartedTests
{
    /// <summary>The placeholder the page uses for the clone's feed folder.</summary>
    private const string DocumentedFeedPath = "/path/to/lockstep/artifacts/feed";

    private readonly PackedPackages _packages;

    public GettingStartedTests(PackedPackages packages) => _packages = packages;

    [Fact]
    public async Task The_documented_commands_install_Lockstep_into_a_new_project_and_its_build_reports_LS3001()
    {
        using var scratch = new ScratchFolder("lockstep-getting-started");
        string directory = scratch.Path;

        var commands = DocumentedCommands.Block("consume");
        Assert.Equal("dotnet build", commands[^1]);
        foreach (string line in commands)
        {
            if (line.StartsWith("cd ", StringComparison.Ordinal))
            {
                directory = Path.Combine(directory, line.Substring(3).Trim());
                continue;
            }

            string[] arguments = DocumentedCommands.DotNetArguments(line).Select(a => a == DocumentedFeedPath ? _packages.FeedDirectory : a).ToArray();
            ProcessResult step = await scratch.RunAsync(directory, arguments);
            Assert.True(step.Succeeded, step.Describe());
        }

        // "Replace Program.cs with ... and build again (dotnet build)."
        File.WriteAllText(Path.Combine(directory, "Program.cs"), string.Join("\n", DocumentedCommands.Block("program", keepBlankLines: true)) + "\n");
        ProcessResult build = await scratch.RunAsync(directory, "build");

        Assert.True(build.Succeeded, build.Describe());
        string expected = DocumentedCommands.Block("output").Single();
        string shown = expected.Substring(0, expected.IndexOf(" (", StringComparison.Ordinal));
        Assert.True(build.Output.Contains(shown, StringComparison.Ordinal), $"The build does not print what the page shows: {shown}\n{build.Describe()}");
        string assets = File.ReadAllText(Path.Combine(directory, "obj", "project.assets.json"));
        Assert.True(assets.Contains($"\"Lockstep/{_packages.Version}\"", StringComparison.Ordinal), "Lockstep was not installed:\n" + assets);
    }
}
