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

    /// <summary>System.Collections.Immutable / System.Reflection.Metadata as Roslyn 4.5 ships them (package 6.0.x).</summary>
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
