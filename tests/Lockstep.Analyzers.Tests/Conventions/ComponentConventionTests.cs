using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace Lockstep.Analyzers.Tests.Conventions;

/// <summary>Analyzers, fixers and tests line up by rule name, and every fixer works with Fix All (and so with dotnet format).</summary>
public sealed class ComponentConventionTests
{
    [Fact]
    public void Every_analyzer_is_sealed_CSharp_only_and_named_after_its_rule()
    {
        Assert.NotEmpty(LockstepComponents.AnalyzerTypes);
        foreach (var type in LockstepComponents.AnalyzerTypes)
        {
            Assert.True(type.IsSealed, type.Name + " is sealed");
            Assert.EndsWith("Analyzer", type.Name);
            var attribute = type.GetCustomAttribute<DiagnosticAnalyzerAttribute>();
            Assert.NotNull(attribute);
            Assert.Equal(new[] { LanguageNames.CSharp }, attribute!.Languages);
            Assert.StartsWith("Lockstep.Analyzers.Rules.", type.Namespace);
        }
    }

    [Fact]
    public void Every_analyzer_has_a_test_class_named_after_its_rule()
    {
        var testTypes = typeof(ComponentConventionTests).Assembly.GetTypes().Select(t => t.Name).ToHashSet();
        foreach (var type in LockstepComponents.AnalyzerTypes)
        {
            string rule = type.Name.Substring(0, type.Name.Length - "Analyzer".Length);
            Assert.True(testTypes.Contains(rule + "Tests"), $"{rule}Tests is missing for {type.Name}");
        }
    }

    [Fact]
    public void Every_fixer_is_exported_under_its_own_name_and_has_a_Fix_All_provider()
    {
        Assert.NotEmpty(LockstepComponents.Fixers);
        var knownIds = LockstepComponents.Descriptors.Select(d => d.Id).ToHashSet();
        foreach (var fixer in LockstepComponents.Fixers)
        {
            var type = fixer.GetType();
            Assert.True(type.IsSealed, type.Name + " is sealed");
            Assert.EndsWith("Fixer", type.Name);
            var export = type.GetCustomAttribute<ExportCodeFixProviderAttribute>();
            Assert.NotNull(export);
            Assert.Equal(type.Name, export!.Name);
            Assert.Equal(new[] { LanguageNames.CSharp }, export.Languages);
            // No MEF [Shared]: fixers from a package are created by Roslyn through reflection, not composed by MEF, so
            // the attribute does nothing for them, while reading it makes the host load System.Composition.AttributedModel
            // of the version we compiled against, newer than Roslyn 4.5 hosts carry (package tests check the references).
            Assert.DoesNotContain(type.GetCustomAttributesData(), a => a.AttributeType.Namespace == "System.Composition");

            // dotnet format analyzers applies only fixes that have a Fix All provider.
            Assert.NotNull(fixer.GetFixAllProvider());
            Assert.All(fixer.FixableDiagnosticIds, id => Assert.Contains(id, knownIds));

            string rule = type.Name.Substring(0, type.Name.Length - "Fixer".Length);
            Assert.Contains(LockstepComponents.AnalyzerTypes, analyzer => analyzer.Name == rule + "Analyzer");
        }
    }

    [Fact]
    public void Equivalence_keys_are_unique_and_shaped_Id_dot_Name()
    {
        var keys = new List<string>();
        foreach (var type in LockstepComponents.FixerTypes)
        {
            foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral && f.Name.EndsWith("EquivalenceKey", System.StringComparison.Ordinal)))
                keys.Add((string)field.GetRawConstantValue()!);
        }

        // Every fixer declares its keys as constants (one per kind of action it offers).
        Assert.True(keys.Count >= LockstepComponents.FixerTypes.Length, "a fixer without a public EquivalenceKey constant");
        Assert.Equal(keys.Count, keys.Distinct().Count());
        Assert.All(keys, key => Assert.Matches(@"^LS\d{4}\.[A-Z]\w+$", key));
    }
}
