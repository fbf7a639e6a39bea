using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Lockstep.Package.Tests.Infrastructure;

namespace Lockstep.Package.Tests;

/// <summary>
/// A library built on Lockstep and published as a package: its author sees the analyzers, the projects that use the
/// library do not (they did not choose Lockstep), unless they ask for them. This is the documented way in
/// docs/getting-started.md ("Writing a library on Lockstep"), done as a user would: pack the library, install it.
/// </summary>
[Collection(PackedPackagesCollection.Name)]
[Trait("Category", "Package")]
public sealed class LibraryAuthorTests
{
    /// <summary>An async method that sleeps synchronously, in both the library and the application.</summary>
    private const string SleepInAsync = "public static async System.Threading.Tasks.Task PollAsync() { await System.Threading.Tasks.Task.Yield(); System.Threading.Thread.Sleep(1); }";

    private readonly PackedPackages _packages;

    public LibraryAuthorTests(PackedPackages packages) => _packages = packages;

    [Fact]
    public async Task A_library_on_Lockstep_gets_the_analyzers_and_its_consumers_do_not_unless_they_opt_in()
    {
        using var scratch = new ScratchFolder("lockstep-author", _packages.FeedDirectory, "AUTHOR_FEED");
        string authorFeed = scratch.Combine("author-feed");
        Directory.CreateDirectory(authorFeed);
        File.WriteAllText(scratch.Combine("nuget.config"), File.ReadAllText(scratch.Combine("nuget.config")).Replace("AUTHOR_FEED", authorFeed, StringComparison.Ordinal));

        // The author's library: a plain PackageReference to Lockstep, nothing else to configure.
        string library = WriteProject(scratch, "Scratch.Library", $"""<PackageReference Include="Lockstep" Version="{_packages.Version}" />""", "namespace Scratch.Library; public static class Poller { " + SleepInAsync + " }");
        ProcessResult pack = await scratch.RunAsync(library, "pack", "-c", "Release", "-o", authorFeed, "--disable-build-servers", "-tl:off");
        Assert.True(pack.Succeeded, pack.Describe());
        Assert.True(LsIds(pack).Contains("LS3001"), "The author's own build reports nothing. " + pack.Describe());

        // An application that uses the library and never heard of Lockstep.
        string application = WriteProject(scratch, "Scratch.Application", """<PackageReference Include="Scratch.Library" Version="1.0.0" />""", "namespace Scratch.Application; public static class Work { " + SleepInAsync + " }");
        ProcessResult build = await scratch.RunAsync(application, "build", "--no-incremental", "--disable-build-servers", "-tl:off");
        Assert.True(build.Succeeded, build.Describe());
        Assert.True(LsIds(build).Length == 0, "The library handed the analyzers to its consumer. " + build.Describe());
        string assets = File.ReadAllText(Path.Combine(application, "obj", "project.assets.json"));
        Assert.True(assets.Contains($"\"Lockstep/{_packages.Version}\"", StringComparison.Ordinal), "The runtime library did not reach the consumer:\n" + assets);

        // ... which can still ask for them.
        ProcessResult optedIn = await scratch.RunAsync(application, "build", "--no-incremental", "--disable-build-servers", "-tl:off", "-p:LockstepAnalyzersEnabled=true");
        Assert.True(optedIn.Succeeded, optedIn.Describe());
        Assert.True(LsIds(optedIn).Contains("LS3001"), "LockstepAnalyzersEnabled=true did not bring the analyzers back. " + optedIn.Describe());
    }

    private static string[] LsIds(ProcessResult result) =>
        ConsumerProject.Diagnostics(result.Output).Select(d => d.Id).Where(id => id.StartsWith("LS", StringComparison.Ordinal)).Distinct().ToArray();

    private static string WriteProject(ScratchFolder scratch, string name, string reference, string source)
    {
        string directory = scratch.Combine(name);
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, name + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Version>1.0.0</Version>
              </PropertyGroup>
              <ItemGroup>
                {reference}
              </ItemGroup>
            </Project>

            """);
        File.WriteAllText(Path.Combine(directory, "Code.cs"), source + "\n");
        return directory;
    }
}
