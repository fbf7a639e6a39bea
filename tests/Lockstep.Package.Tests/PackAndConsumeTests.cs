using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Lockstep.Package.Tests.Infrastructure;

namespace Lockstep.Package.Tests;

/// <summary>
/// A user's first ten minutes: install Lockstep from a feed into a fresh project, build, see LS3001 on the console
/// and in SARIF, let `dotnet format` apply the fix, build clean.
/// </summary>
[Collection(PackedPackagesCollection.Name)]
[Trait("Category", "Package")]
public sealed class PackAndConsumeTests
{
    private readonly PackedPackages _packages;

    public PackAndConsumeTests(PackedPackages packages) => _packages = packages;

    [Fact]
    public async Task Installing_Lockstep_brings_Lockstep_Analyzers_as_a_transitive_package()
    {
        ConsumerProject consumer = await _packages.ConsumerAsync();
        string assets = File.ReadAllText(Path.Combine(consumer.ProjectDirectory, "obj", "project.assets.json"));
        using JsonDocument document = JsonDocument.Parse(assets);

        Assert.DoesNotContain(PackedPackages.AnalyzerPackageId, File.ReadAllText(consumer.ProjectPath), StringComparison.Ordinal);
        JsonElement libraries = document.RootElement.GetProperty("libraries");
        Assert.True(libraries.TryGetProperty($"{PackedPackages.AnalyzerPackageId}/{_packages.Version}", out JsonElement analyzers), assets);
        Assert.Equal("package", analyzers.GetProperty("type").GetString());
        string[] direct = document.RootElement.GetProperty("project").GetProperty("frameworks").GetProperty("net10.0")
            .GetProperty("dependencies").EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Equal(new[] { PackedPackages.LibraryPackageId }, direct);
    }

    [Fact]
    public async Task BuildTransitive_props_of_the_analyzer_package_reach_the_consumer()
    {
        ConsumerProject consumer = await _packages.ConsumerAsync();

        ProcessResult result = await consumer.RunAsync(consumer.ProjectDirectory, "msbuild", consumer.ProjectPath, "-getProperty:LockstepAnalyzersImported");

        Assert.True(result.Succeeded, result.Describe());
        Assert.True(result.Output.Trim() == "true", "LockstepAnalyzersImported is not 'true'. " + result.Describe());
    }

    [Fact]
    public async Task Build_reports_LS3001_at_the_sleep_in_the_async_method()
    {
        ConsumerProject consumer = await _packages.ConsumerAsync();
        string program = Path.Combine(consumer.ProjectDirectory, "Program.cs");

        var ls3001 = ConsumerProject.Diagnostics(consumer.Build.Output).Where(d => d.Id == "LS3001").ToList();

        Assert.True(consumer.Build.Succeeded, consumer.Build.Describe());
        Assert.True(ls3001.Count > 0, "No LS3001 warning. " + consumer.Build.Describe());
        Assert.All(ls3001, d =>
        {
            Assert.Equal("warning", d.Severity);
            Assert.Equal(program, d.Path);
            Assert.Equal(ConsumerProject.SleepLine, d.Line);
        });
    }

    [Fact]
    public async Task Sarif_2_1_error_log_has_LS3001_at_the_sleep()
    {
        ConsumerProject consumer = await _packages.ConsumerAsync();
        Assert.True(File.Exists(consumer.SarifPath), "No SARIF log written. " + consumer.Build.Describe());
        string sarif = File.ReadAllText(consumer.SarifPath);
        using JsonDocument document = JsonDocument.Parse(sarif);

        Assert.Equal("2.1.0", document.RootElement.GetProperty("version").GetString());
        var results = document.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray()
            .Where(r => r.GetProperty("ruleId").GetString() == "LS3001")
            .ToList();
        Assert.True(results.Count > 0, "No LS3001 result in SARIF:\n" + sarif);
        foreach (JsonElement result in results)
        {
            JsonElement location = result.GetProperty("locations")[0].GetProperty("physicalLocation");
            string uri = location.GetProperty("artifactLocation").GetProperty("uri").GetString() ?? "";
            Assert.EndsWith("/Program.cs", uri, StringComparison.Ordinal);
            Assert.Equal(ConsumerProject.SleepLine, location.GetProperty("region").GetProperty("startLine").GetInt32());
        }
    }

    [Fact]
    public async Task The_README_CI_recipe_fails_on_a_finding_and_on_a_pending_fix()
    {
        ConsumerProject consumer = await _packages.ConsumerAsync();
        string directory = consumer.WriteCopy("CiRecipe");
        string project = Path.Combine(directory, ConsumerProject.ProjectName + ".csproj");

        // "Fail the build on findings": -warnaserror:<the IDs you enforce>.
        ProcessResult build = await consumer.RunAsync(directory, "build", project, "--no-incremental", "--disable-build-servers", "-tl:off", "-warnaserror:LS3001");
        Assert.False(build.Succeeded, build.Describe());
        Assert.Contains(ConsumerProject.Diagnostics(build.Output), d => d.Id == "LS3001" && d.Severity == "error");

        // "Check that nothing fixable is left": a pending fix fails the check.
        ProcessResult verify = await consumer.RunAsync(directory, "format", "analyzers", project, "--verify-no-changes", "--diagnostics", "LS3001", "--severity", "warn");
        Assert.False(verify.Succeeded, verify.Describe());
    }

    [Fact]
    public async Task Dotnet_format_applies_the_LS3001_fix_and_the_project_then_builds_without_LS_warnings()
    {
        ConsumerProject consumer = await _packages.ConsumerAsync();
        // A copy, so the other tests keep reading the unfixed project whatever order they run in.
        string directory = consumer.WriteCopy("FixedByFormat");
        string project = Path.Combine(directory, ConsumerProject.ProjectName + ".csproj");
        string program = Path.Combine(directory, "Program.cs");

        ProcessResult format = await consumer.RunAsync(directory, "format", "analyzers", project, "--diagnostics", "LS3001", "--severity", "warn", "--verbosity", "detailed");
        string fixedSource = File.ReadAllText(program);

        Assert.True(format.Succeeded, format.Describe());
        Assert.True(fixedSource.Contains("await Task.Delay(100)", StringComparison.Ordinal), $"Program.cs after the fix:\n{fixedSource}\n{format.Describe()}");
        Assert.DoesNotContain(ConsumerProject.SleepStatement, fixedSource, StringComparison.Ordinal);

        // The README's CI check: nothing fixable left for the named rules.
        ProcessResult verify = await consumer.RunAsync(directory, "format", "analyzers", project, "--verify-no-changes", "--diagnostics", "LS3001", "--severity", "warn");
        Assert.True(verify.Succeeded, verify.Describe());

        ProcessResult build = await consumer.RunAsync(directory, "build", project, "--no-incremental", "--disable-build-servers", "-tl:off");

        Assert.True(build.Succeeded, build.Describe());
        Assert.True(
            !ConsumerProject.Diagnostics(build.Output).Any(d => d.Id.StartsWith("LS", StringComparison.Ordinal)),
            $"LS diagnostics remain after the fix.\nProgram.cs:\n{fixedSource}\n{build.Describe()}");
    }
}
