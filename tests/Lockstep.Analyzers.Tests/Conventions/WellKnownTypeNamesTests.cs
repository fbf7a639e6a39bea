using System.Linq;
using System.Reflection;
using Lockstep.Analyzers.Catalogue;
using Lockstep.Analyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace Lockstep.Analyzers.Tests.Conventions;

/// <summary>A misspelt metadata name would silently switch a rule off; every entry must resolve.</summary>
public sealed class WellKnownTypeNamesTests
{
    [Fact]
    public void Every_well_known_type_name_resolves_against_the_BCL_and_the_runtime_library()
    {
        var compilation = CSharpCompilation.Create("Probe", references: TestReferences.Framework.Add(TestReferences.RuntimeLibrary));
        var names = typeof(WellKnownTypeNames).GetFields(BindingFlags.Public | BindingFlags.Static | BindingFlags.NonPublic)
            .Where(f => f.IsLiteral)
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();

        Assert.NotEmpty(names);
        Assert.All(names, name => Assert.True(compilation.GetTypeByMetadataName(name) is not null, name + " does not resolve"));
    }
}
