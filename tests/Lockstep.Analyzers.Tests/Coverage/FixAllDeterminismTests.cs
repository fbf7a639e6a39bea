using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Lockstep.Analyzers.Tests.Conventions;
using Lockstep.Benchmarks.Corpus;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit.Abstractions;

namespace Lockstep.Analyzers.Tests.Coverage;

/// <summary>
/// Fix All gives one result however it is started. <c>dotnet format analyzers</c> runs Fix All in solution scope with the
/// equivalence key of the first action of whichever diagnostic it meets first, or with no key when that diagnostic has no
/// fix, and hands the diagnostics over in the order the analyzers produced them; the IDE starts from the diagnostic the
/// user picked. So for every project of the rule tests with several findings of one fixer, and for the benchmark corpus,
/// Fix All must produce the same solution with no key, with each finding's first key, and with the findings in reverse.
/// (That Fix All equals applying the fixes one by one is what the rule tests' own Fix All cases check.)
/// </summary>
public sealed class FixAllDeterminismTests
{
    private readonly ITestOutputHelper _output;

    public FixAllDeterminismTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task Fix_All_does_not_depend_on_the_starting_diagnostic_its_key_or_the_order_of_the_findings()
    {
        var projects = (await RuleTestCases.CollectAsync())
            .Select(test => FixCoverageMeter.CreateProject(
                test.Sources.Select(s => (s.Name, Robustness.TestSourceHarvester.StripMarkup(s.Text))),
                test.AnalyzerConfigFiles, test.LanguageVersion, test.OutputKind, test.ReferenceRuntimeLibrary))
            .ToList();
        var corpus = CorpusGenerator.Generate();
        projects.Add(FixCoverageMeter.CreateProject(corpus.Files.Select(f => (f.Path, f.Text)), Array.Empty<(string, string)>(), RoslynLeg.LanguageVersion));

        int compared = 0;
        var differences = new List<string>();
        foreach (var project in projects)
        {
            var diagnostics = await FixCoverageMeter.AnalyzeAsync(project, CancellationToken.None);
            foreach (var fixer in LockstepComponents.Fixers)
            {
                var fixable = diagnostics.Where(d => fixer.FixableDiagnosticIds.Contains(d.Id)).ToImmutableArray();
                if (fixable.Length < 2)
                    continue;

                var keys = new List<string?> { null };
                foreach (var diagnostic in fixable)
                {
                    if (await FirstKeyAsync(project, fixer, diagnostic) is { } key && !keys.Contains(key))
                        keys.Add(key);
                }

                // Only the fixer's default key and no key must agree; an alternative key (the IDE's second action) applies
                // its alternative, and is never the key of a first action.
                string? expected = null;
                foreach (var key in keys)
                {
                    foreach (var order in new[] { fixable, fixable.Reverse().ToImmutableArray() })
                    {
                        string actual = await FixAllAsync(project, fixer, key, order);
                        expected ??= actual;
                        compared++;
                        if (actual != expected)
                            differences.Add($"{fixer.GetType().Name} with key '{key ?? "(none)"}' in {project.Documents.First().Name}:\n{actual}\n--- first result ---\n{expected}");
                    }
                }
            }
        }

        _output.WriteLine($"{compared} Fix All runs compared over {projects.Count} projects.");
        Assert.True(compared > 100, "too few Fix All runs compared");
        Assert.True(differences.Count == 0, string.Join("\n\n", differences.Take(2)));
    }

    private static async Task<string?> FirstKeyAsync(Project project, CodeFixProvider fixer, Diagnostic diagnostic)
    {
        CodeAction? first = null;
        var document = project.GetDocument(diagnostic.Location.SourceTree)!;
        await fixer.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (action, _) => first ??= action, CancellationToken.None));
        return first?.EquivalenceKey;
    }

    private static async Task<string> FixAllAsync(Project project, CodeFixProvider fixer, string? key, ImmutableArray<Diagnostic> diagnostics)
    {
        var context = new FixAllContext(
            project.Documents.First(),
            fixer,
            FixAllScope.Solution,
            key!,
            fixer.FixableDiagnosticIds,
            new GivenDiagnostics(diagnostics),
            CancellationToken.None);
        var action = await fixer.GetFixAllProvider()!.GetFixAsync(context);
        if (action is null)
            return "(no action)";

        var changed = (await action.GetOperationsAsync(CancellationToken.None)).OfType<ApplyChangesOperation>().Single().ChangedSolution.GetProject(project.Id)!;
        var texts = new List<string>();
        foreach (var document in changed.Documents.OrderBy(d => d.Name, StringComparer.Ordinal))
            texts.Add((await document.GetTextAsync()).ToString());
        return string.Join("\n// ----\n", texts);
    }

    /// <summary>The diagnostics a Fix All sees, in the order given.</summary>
    private sealed class GivenDiagnostics : FixAllContext.DiagnosticProvider
    {
        private readonly ImmutableArray<Diagnostic> _diagnostics;

        public GivenDiagnostics(ImmutableArray<Diagnostic> diagnostics) => _diagnostics = diagnostics;

        public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            Task.FromResult<IEnumerable<Diagnostic>>(_diagnostics);

        public override Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken) =>
            Task.FromResult<IEnumerable<Diagnostic>>(_diagnostics.Where(d => d.Location.SourceTree?.FilePath == document.FilePath));

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            Task.FromResult<IEnumerable<Diagnostic>>(_diagnostics);
    }
}
