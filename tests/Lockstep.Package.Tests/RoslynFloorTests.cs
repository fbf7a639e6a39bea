using System;
using System.Collections.Generic;
using System.Linq;
using Lockstep.Package.Tests.Infrastructure;

namespace Lockstep.Package.Tests;

/// <summary>
/// The analyzer assemblies as shipped (read from the packed Lockstep.Analyzers package) must load in every compiler
/// from Roslyn 4.5 on: a reference to a newer Microsoft.CodeAnalysis makes older compilers skip the analyzer (CS9057).
/// </summary>
[Collection(PackedPackagesCollection.Name)]
[Trait("Category", "Package")]
public sealed class RoslynFloorTests
{
    /// <summary>The floor the analyzers are built against (Directory.Packages.props). Raising it is a product decision, not a dependency bump.</summary>
    private static readonly Version RoslynFloor = new(4, 5, 0, 0);

    /// <summary>System.Collections.Immutable, System.Reflection.Metadata and System.Composition as Roslyn 4.5 ships them (packages 6.0.x).</summary>
    private static readonly Version RoslynFloorBclDependencies = new(6, 0, 0, 0);

    private readonly PackedPackages _packages;

    public RoslynFloorTests(PackedPackages packages) => _packages = packages;

    [Theory]
    [InlineData("analyzers/dotnet/cs/Lockstep.Analyzers.dll")]
    [InlineData("analyzers/dotnet/cs/Lockstep.Analyzers.CodeFixes.dll")]
    public void Analyzer_assembly_references_Roslyn_4_5_and_nothing_newer(string entry)
    {
        var roslyn = References(entry).Where(r => r.Name.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal)).ToList();
        string listed = Describe(roslyn);

        Assert.True(roslyn.All(r => r.Version <= RoslynFloor), $"{entry} references Roslyn newer than {RoslynFloor}: {listed}");
        // Not vacuous: the assembly is built against the floor itself.
        Assert.True(roslyn.Any(r => r.Version == RoslynFloor), $"{entry} references no Microsoft.CodeAnalysis* assembly of version {RoslynFloor}: {listed}");
    }

    [Theory]
    [InlineData("analyzers/dotnet/cs/Lockstep.Analyzers.dll")]
    [InlineData("analyzers/dotnet/cs/Lockstep.Analyzers.CodeFixes.dll")]
    public void Analyzer_assembly_needs_no_newer_immutable_collections_or_metadata_reader_than_Roslyn_4_5_ships(string entry)
    {
        var bcl = References(entry).Where(r => r.Name is "System.Collections.Immutable" or "System.Reflection.Metadata").ToList();

        Assert.True(bcl.All(r => r.Version <= RoslynFloorBclDependencies), $"{entry}: {Describe(bcl)}");
    }

    /// <summary>
    /// What a Roslyn 4.5 host (Visual Studio 17.5, the .NET 7.0.2xx SDK's compiler and dotnet format) loads besides
    /// netstandard: Roslyn itself, and the versions its 4.5 packages depend on (Microsoft.CodeAnalysis.Workspaces.Common
    /// 4.5.0 depends on System.Composition 6.0.0; Common on System.Collections.Immutable and System.Reflection.Metadata
    /// 6.0). An analyzer or code-fix assembly that references a newer version, or anything else, fails to load there.
    /// </summary>
    private static readonly Dictionary<string, Version> FloorHostAssemblies = new(StringComparer.Ordinal)
    {
        ["netstandard"] = new(2, 0, 0, 0),
        ["Microsoft.CodeAnalysis"] = RoslynFloor,
        ["Microsoft.CodeAnalysis.CSharp"] = RoslynFloor,
        ["Microsoft.CodeAnalysis.Workspaces"] = RoslynFloor,
        ["Microsoft.CodeAnalysis.CSharp.Workspaces"] = RoslynFloor,
        ["System.Collections.Immutable"] = RoslynFloorBclDependencies,
        ["System.Reflection.Metadata"] = RoslynFloorBclDependencies,
        ["System.Composition.AttributedModel"] = RoslynFloorBclDependencies,
        ["System.Composition.Runtime"] = RoslynFloorBclDependencies,
        ["System.Composition.Hosting"] = RoslynFloorBclDependencies,
        ["System.Composition.TypedParts"] = RoslynFloorBclDependencies,
        ["System.Composition.Convention"] = RoslynFloorBclDependencies,
    };

    [Theory]
    [InlineData("analyzers/dotnet/cs/Lockstep.Analyzers.dll")]
    [InlineData("analyzers/dotnet/cs/Lockstep.Analyzers.CodeFixes.dll")]
    public void Analyzer_assembly_references_nothing_a_Roslyn_4_5_host_does_not_carry(string entry)
    {
        var references = References(entry).Where(r => r.Name != "Lockstep.Analyzers").ToList();

        var unknown = references.Where(r => !FloorHostAssemblies.ContainsKey(r.Name)).ToList();
        var tooNew = references.Where(r => FloorHostAssemblies.TryGetValue(r.Name, out var floor) && r.Version > floor).ToList();

        Assert.True(unknown.Count == 0, $"{entry} references assemblies a Roslyn 4.5 host does not carry: {Describe(unknown)}");
        Assert.True(tooNew.Count == 0, $"{entry} references versions newer than a Roslyn 4.5 host carries: {Describe(tooNew)}");
    }

    [Theory]
    [InlineData("analyzers/dotnet/cs/Lockstep.Analyzers.dll")]
    [InlineData("analyzers/dotnet/cs/Lockstep.Analyzers.CodeFixes.dll")]
    public void Analyzer_assembly_does_not_reference_the_runtime_library(string entry)
    {
        // The rules know the runtime library's types by metadata name only, so they also work without it.
        var references = References(entry);

        Assert.DoesNotContain(references, r => r.Name == "Lockstep");
    }

    private IReadOnlyList<(string Name, Version Version)> References(string entry) =>
        AssemblyMetadata.References(PackedPackages.ReadEntry(_packages.AnalyzerPackagePath, entry));

    private static string Describe(IEnumerable<(string Name, Version Version)> references) =>
        "[" + string.Join(", ", references.Select(r => $"{r.Name} {r.Version}")) + "]";
}
