using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace Lockstep.Analyzers.Tests.Verifiers;

/// <summary>
/// Applies a code fix provider the way a user would: one diagnostic at a time (the first fixable one in document
/// order, re-analysing after each fix), or through its Fix All provider. After every step the code must still
/// compile, apart from compiler errors the test expects.
/// </summary>
internal sealed class CodeFixApplier
{
    private readonly VerificationSession _session;
    private readonly CodeFixProvider _fixer;
    private readonly string? _equivalenceKey;
    private readonly int? _actionIndex;
    private readonly ISet<string> _allowedErrorIds;
    private readonly ImmutableHashSet<string> _fixableIds;

    public CodeFixApplier(VerificationSession session, CodeFixProvider fixer, string? equivalenceKey, int? actionIndex, ISet<string> allowedErrorIds)
    {
        _session = session;
        _fixer = fixer;
        _equivalenceKey = equivalenceKey;
        _actionIndex = actionIndex;
        _allowedErrorIds = allowedErrorIds;
        _fixableIds = fixer.FixableDiagnosticIds.ToImmutableHashSet();
    }

    public Task<FixOutcome> FixOneAtATimeAsync(AnalysisResult start, int? iterations, CancellationToken cancellationToken) =>
        RunAsync("Code fix (one diagnostic at a time)", start, iterations, async (project, diagnostic, action, phase, ct) =>
        {
            var fixedProject = await ApplyAsync(project, action, phase, ct).ConfigureAwait(false);
            return (fixedProject, $"'{action.Title}' (equivalence key {Key(action.EquivalenceKey)}) for {Describe(diagnostic)}");
        }, cancellationToken);

    public Task<FixOutcome> FixAllAsync(AnalysisResult start, FixAllScope scope, int? iterations, CancellationToken cancellationToken)
    {
        var phase = $"Fix All ({scope} scope)";
        var provider = _fixer.GetFixAllProvider() ?? throw new VerifierException(
            $"{phase}: {_fixer.GetType().Name}.GetFixAllProvider() returned null. Return WellKnownFixAllProviders.BatchFixer "
            + "(or a custom FixAllProvider), or set CodeFixTestBehaviors.SkipFixAllCheck if the fix must not be applied in bulk.");
        if (!provider.GetSupportedFixAllScopes().Contains(scope))
            throw new VerifierException($"{phase}: the Fix All provider does not support {scope} scope; skip it with CodeFixTestBehaviors.SkipFixAllIn{scope}Check.");

        return RunAsync(phase, start, iterations, async (project, diagnostic, action, stepPhase, ct) =>
        {
            // The IDE offers "Fix all occurrences" from one diagnostic: same ID, same equivalence key as the action chosen there.
            var equivalenceKey = _equivalenceKey ?? action.EquivalenceKey;
            var document = DocumentOf(project, diagnostic);
            var context = new FixAllContext(
                document,
                _fixer,
                scope,
                equivalenceKey,
                new[] { diagnostic.Id },
                new TestDiagnosticProvider(_session, stepPhase, new[] { diagnostic.Id }),
                ct);
            var fixAll = await Guard(stepPhase, "the Fix All provider", () => provider.GetFixAsync(context)).ConfigureAwait(false)
                ?? throw new VerifierException($"{stepPhase}: the Fix All provider returned no code action for {Describe(diagnostic)} (equivalence key {Key(equivalenceKey)}).");
            var fixedProject = await ApplyAsync(project, fixAll, stepPhase, ct).ConfigureAwait(false);
            return (fixedProject, $"Fix All '{fixAll.Title}' (equivalence key {Key(equivalenceKey)}) from {Describe(diagnostic)}");
        }, cancellationToken);
    }

    private async Task<FixOutcome> RunAsync(
        string phase,
        AnalysisResult start,
        int? iterations,
        Func<Project, Diagnostic, CodeAction, string, CancellationToken, Task<(Project Project, string Description)>> applyStep,
        CancellationToken cancellationToken)
    {
        var analysis = start;
        var log = new List<string>();
        var applied = 0;
        int? limit = iterations is { } explicitCount ? Math.Abs(explicitCount) : null;
        while (true)
        {
            if (applied > 0)
                VerifyCompiles(phase, applied, analysis, log);

            var fixable = FixableDiagnostics(analysis);
            // By default each fixable diagnostic may take one step, plus one for a fix that reveals another.
            limit ??= fixable.Count + 1;
            var next = await FindActionAsync(analysis.Project, fixable, phase, log, cancellationToken).ConfigureAwait(false);
            if (next is not { } found)
                break;

            if (applied >= limit)
            {
                throw new VerifierException(
                    $"{phase}: still fixable after {applied} iteration(s), the most allowed "
                    + $"({(iterations is null ? "fixable diagnostics + 1" : "NumberOf…Iterations")}); does the fix fail to remove its diagnostic?\n\n"
                    + $"Applied:\n{string.Join("\n", log)}\n\n{_session.DescribeActual(fixable, analysis.Project)}");
            }

            var stepPhase = $"{phase}, iteration {applied + 1}";
            var (project, description) = await applyStep(analysis.Project, found.Diagnostic, found.Action, stepPhase, cancellationToken).ConfigureAwait(false);
            applied++;
            log.Add($"  {applied}. {description}");
            analysis = await _session.AnalyzeAsync(project, stepPhase, cancellationToken).ConfigureAwait(false);
        }

        // Exact when positive, an upper bound when negative (as NumberOfIncrementalIterations in Microsoft.CodeAnalysis.Testing).
        if (iterations is >= 0 && applied != iterations)
        {
            throw new VerifierException(
                $"{phase}: expected {iterations} iteration(s) but the fixes were done after {applied}.\n\nApplied:\n{(log.Count == 0 ? "  (nothing)" : string.Join("\n", log))}");
        }

        return new FixOutcome(analysis, applied, log);
    }

    private List<Diagnostic> FixableDiagnostics(AnalysisResult analysis) =>
        DiagnosticOrder.Sort(analysis.AnalyzerDiagnostics.Concat(analysis.CompilerDiagnostics)
                .Where(d => _fixableIds.Contains(d.Id) && d.Location.IsInSource))
            .ToList();

    /// <summary>The first diagnostic, in document order, for which the fixer offers the selected action.</summary>
    private async Task<(Diagnostic Diagnostic, CodeAction Action)?> FindActionAsync(
        Project project, IReadOnlyList<Diagnostic> fixable, string phase, List<string> log, CancellationToken cancellationToken)
    {
        foreach (var diagnostic in fixable)
        {
            var actions = new List<CodeAction>();
            var context = new CodeFixContext(DocumentOf(project, diagnostic), diagnostic, (action, _) => actions.Add(action), cancellationToken);
            await Guard(phase, $"{_fixer.GetType().Name}.RegisterCodeFixesAsync", async () =>
            {
                await _fixer.RegisterCodeFixesAsync(context).ConfigureAwait(false);
                return true;
            }).ConfigureAwait(false);

            var selected = Select(actions, diagnostic, phase);
            if (selected is not null)
                return (diagnostic, selected);
            if (actions.Count > 0)
            {
                log.Add($"  (skipped {Describe(diagnostic)}: offered {string.Join(", ", actions.Select(a => $"'{a.Title}' (key {Key(a.EquivalenceKey)})"))}, "
                    + $"none selected by CodeActionIndex {_actionIndex?.ToString(CultureInfo.InvariantCulture) ?? "(unset)"} / CodeActionEquivalenceKey {Key(_equivalenceKey)})");
            }
        }

        return null;
    }

    private CodeAction? Select(List<CodeAction> actions, Diagnostic diagnostic, string phase)
    {
        if (_actionIndex is { } index)
        {
            if (index >= actions.Count)
                return null;
            var action = actions[index];
            if (_equivalenceKey is not null && action.EquivalenceKey != _equivalenceKey)
            {
                throw new VerifierException(
                    $"{phase}: for {Describe(diagnostic)} the action at CodeActionIndex {index} has equivalence key {Key(action.EquivalenceKey)}, "
                    + $"not CodeActionEquivalenceKey {Key(_equivalenceKey)}. Offered: {string.Join(", ", actions.Select(a => $"'{a.Title}' (key {Key(a.EquivalenceKey)})"))}.");
            }

            return action;
        }

        return _equivalenceKey is null ? actions.FirstOrDefault() : actions.FirstOrDefault(a => a.EquivalenceKey == _equivalenceKey);
    }

    private static async Task<Project> ApplyAsync(Project project, CodeAction action, string phase, CancellationToken cancellationToken)
    {
        // GetOperationsAsync also runs the Simplifier and Formatter on annotated nodes, as the IDE does.
        var operations = await Guard(phase, $"code action '{action.Title}'", () => action.GetOperationsAsync(cancellationToken)).ConfigureAwait(false);
        var changes = operations.OfType<ApplyChangesOperation>().ToList();
        if (changes.Count != 1)
            throw new VerifierException($"{phase}: code action '{action.Title}' produced {changes.Count} ApplyChangesOperation(s); exactly one is expected.");
        return changes[0].ChangedSolution.GetProject(project.Id)
            ?? throw new VerifierException($"{phase}: code action '{action.Title}' removed the test project.");
    }

    private void VerifyCompiles(string phase, int iteration, AnalysisResult analysis, List<string> log)
    {
        var errors = analysis.CompilerDiagnostics
            .Where(d => d.Severity == DiagnosticSeverity.Error && !_allowedErrorIds.Contains(d.Id))
            .ToList();
        if (errors.Count == 0)
            return;
        throw new VerifierException(
            $"{phase}: after iteration {iteration} the code does not compile; a code fix must produce code that compiles.\n\n"
            + $"Applied:\n{string.Join("\n", log)}\n\n{_session.DescribeActual(errors, analysis.Project)}");
    }

    private static Document DocumentOf(Project project, Diagnostic diagnostic) =>
        project.GetDocument(diagnostic.Location.SourceTree)
        ?? project.Documents.First(d => d.FilePath == diagnostic.Location.SourceTree!.FilePath);

    /// <summary>Fixer exceptions fail the test with the fixer named and the full stack, instead of escaping the verifier bare.</summary>
    private static async Task<T> Guard<T>(string phase, string what, Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not VerifierException and not OperationCanceledException)
        {
            throw new VerifierException($"{phase}: {what} threw:\n{exception}", exception);
        }
    }

    private static string Describe(Diagnostic diagnostic)
    {
        var span = diagnostic.Location.GetLineSpan();
        return $"{diagnostic.Id} at {span.Path}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1})";
    }

    private static string Key(string? equivalenceKey) => equivalenceKey is null ? "null" : $"'{equivalenceKey}'";
}
