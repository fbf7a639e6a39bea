using System;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Lockstep.Analyzers.Tests.Conventions;
using Lockstep.Analyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace Lockstep.Analyzers.Tests.Robustness;

/// <summary>
/// Analyzers run in the IDE on code that is half typed. Every analyzer runs over truncated and token-mutated versions of
/// every test source and sample, and must never throw. The seed is fixed and the count bounded so the run is repeatable
/// and fast; a failure message names the mutant so it can be turned into a regular test.
/// </summary>
public sealed class AnalyzerRobustnessTests
{
    private const int Seed = 20261121;
    private const int MutantsPerSource = 5;
    private const int MaxMutants = 1500;

    [Fact]
    public void Harvest_finds_the_rule_test_sources()
    {
        Assert.True(TestSourceHarvester.Harvest().Count >= 20, "too few test sources harvested; is the harvester broken?");
    }

    [Fact]
    public async Task No_analyzer_throws_on_mutated_sources()
    {
        var random = new Random(Seed);
        var mutants = TestSourceHarvester.Harvest()
            .SelectMany(source => SourceMutator.Mutate(source, random, MutantsPerSource))
            .Take(MaxMutants)
            .ToList();

        var failures = new ConcurrentBag<string>();
        var parseOptions = new CSharpParseOptions(LanguageVersion.Preview);
        var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, nullableContextOptions: NullableContextOptions.Enable)
            .WithSpecificDiagnosticOptions(LockstepComponents.Descriptors.ToDictionary(d => d.Id, d => ReportDiagnostic.Warn));

        await Parallel.ForEachAsync(mutants, async (mutant, cancellationToken) =>
        {
            var compilation = CSharpCompilation.Create("Mutant", new[] { CSharpSyntaxTree.ParseText(mutant, parseOptions, cancellationToken: cancellationToken) }, TestReferences.Framework.Add(TestReferences.RuntimeLibrary), options);
            var analyzerOptions = new CompilationWithAnalyzersOptions(
                new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
                onAnalyzerException: (exception, analyzer, _) => failures.Add($"{analyzer.GetType().Name} threw {exception}\n--- mutant ---\n{mutant}"),
                concurrentAnalysis: false,
                logAnalyzerExecutionTime: false);
            var diagnostics = await compilation.WithAnalyzers(LockstepComponents.Analyzers, analyzerOptions).GetAnalyzerDiagnosticsAsync(cancellationToken);
            foreach (var diagnostic in diagnostics.Where(d => d.Id == "AD0001"))
                failures.Add(diagnostic.GetMessage() + "\n--- mutant ---\n" + mutant);
        });

        Assert.True(mutants.Count > 100, "too few mutants");
        Assert.True(failures.IsEmpty, string.Join("\n\n", failures.Take(3)));
    }
}
