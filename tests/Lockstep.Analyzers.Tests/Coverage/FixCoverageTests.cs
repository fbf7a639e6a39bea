using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Lockstep.Analyzers.Tests.Conventions;
using Lockstep.Benchmarks.Corpus;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit.Abstractions;

namespace Lockstep.Analyzers.Tests.Coverage;

/// <summary>
/// How often a finding gets a code fix, per rule and family, over three bodies of code: the projects the rule tests
/// verify (their positive cases), the pitfall samples, and the benchmark corpus. Every action offered is applied and
/// must compile without new compiler diagnostics (and, in the small projects, without a finding of a rule the project
/// had none of). The table is written to the test output:
/// <c>dotnet test tests/Lockstep.Analyzers.Tests -c Release --filter FixCoverage --logger "console;verbosity=detailed"</c>.
/// <para>
/// The nine-in-ten bar is measured without the rule tests whose fixed code is their test code: each of those asserts
/// that a fix is deliberately not offered (synchronous I/O under a lock, a worker that writes shared state, a thread used
/// after it starts…), one test per such condition, so counting them as misses would make every safety condition cost
/// coverage. The table shows both figures.
/// </para>
/// </summary>
public sealed class FixCoverageTests
{
    private const double Required = 0.9;

    /// <summary>Rule tests whose fixed code is their test code: each asserts that a fix is not offered, for a stated reason.</summary>
    private const string NoFixTests = "no-fix tests";

    private readonly ITestOutputHelper _output;

    public FixCoverageTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task A_fix_is_offered_for_nine_findings_in_ten_in_every_family_and_every_fix_compiles()
    {
        var meter = new FixCoverageMeter();

        // Each rule test counts the findings of the rule it tests; the same project verified twice counts once.
        var cases = (await RuleTestCases.CollectAsync())
            .GroupBy(c => (c.Analyzer, Key: string.Join("\u0001", c.Sources.Select(s => s.Text).Concat(c.AnalyzerConfigFiles.Select(a => a.Text))), c.ReferenceRuntimeLibrary, c.LanguageVersion, c.OutputKind))
            .Select(g => g.First())
            .ToList();
        await Parallel.ForEachAsync(cases, async (test, cancellationToken) =>
        {
            var ids = ((DiagnosticAnalyzer)Activator.CreateInstance(test.Analyzer)!).SupportedDiagnostics.Select(d => d.Id).ToHashSet();
            var sources = test.Sources.Select(s => (s.Name, Robustness.TestSourceHarvester.StripMarkup(s.Text)));
            var project = FixCoverageMeter.CreateProject(sources, test.AnalyzerConfigFiles, test.LanguageVersion, test.OutputKind, test.ReferenceRuntimeLibrary);
            await meter.MeasureAsync(test.AssertsNoFix ? NoFixTests : "rule tests", project, ids, checkFindingsAfterFix: true, cancellationToken);
        });

        foreach (var file in Directory.EnumerateFiles(RepositoryPaths.Combine("samples", "Lockstep.Samples", "Pitfalls"), "*.cs").OrderBy(f => f, StringComparer.Ordinal))
        {
            var project = FixCoverageMeter.CreateProject(new[] { (Path.GetFileName(file), File.ReadAllText(file)) }, Array.Empty<(string, string)>(), RoslynLeg.LanguageVersion);
            await meter.MeasureAsync("samples", project, countedIds: null, checkFindingsAfterFix: true);
        }

        var corpus = CorpusGenerator.Generate();
        var corpusProject = FixCoverageMeter.CreateProject(corpus.Files.Select(f => (f.Path, f.Text)), Array.Empty<(string, string)>(), RoslynLeg.LanguageVersion);
        await meter.MeasureAsync("bench corpus", corpusProject, countedIds: null, checkFindingsAfterFix: false);

        _output.WriteLine($"Rule test projects: {cases.Count}; Roslyn leg: {(RoslynLeg.IsCurrent ? "current" : "floor")}, C# {RoslynLeg.LanguageVersion}");
        _output.WriteLine(meter.Report(new[] { "rule tests", NoFixTests, "samples", "bench corpus" }, NoFixTests));
        _output.WriteLine("Findings without a fix:");
        foreach (var line in meter.Unfixed())
            _output.WriteLine("  " + line);

        Assert.True(meter.Problems.Count == 0, string.Join("\n\n", meter.Problems.Take(5)));
        var short_ = meter.Families(excluded: NoFixTests).Where(f => f.Findings > 0 && f.Fixed < Required * f.Findings).ToList();
        Assert.True(short_.Count == 0, "Fewer than nine findings in ten get a fix in: " + string.Join(", ", short_.Select(f => $"{f.Family} {f.Fixed}/{f.Findings}")));
    }
}
