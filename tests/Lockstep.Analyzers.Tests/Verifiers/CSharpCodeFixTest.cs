using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Lockstep.Analyzers.Tests.Verifiers;

/// <summary>
/// An analyzer test that also applies a code fix: one diagnostic at a time, then Fix All in document and in
/// project scope, each compared with the fixed sources. Mirrors <c>Microsoft.CodeAnalysis.Testing.CSharpCodeFixTest</c>.
/// </summary>
public class CSharpCodeFixTest<TAnalyzer, TCodeFix> : CSharpAnalyzerTest<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    /// <summary>The first fixed source; setting it adds a source to <see cref="FixedState"/>. Markup in it = diagnostics expected to remain.</summary>
    [StringSyntax("C#-test")]
    public string? FixedCode
    {
        get => FixedState.Sources.Count > 0 ? FixedState.Sources[0].content : null;
        set
        {
            if (value is not null)
                FixedState.Sources.Add(value);
        }
    }

    /// <summary>The result of Fix All when it differs from applying the fixes one at a time; defaults to <see cref="FixedCode"/>.</summary>
    [StringSyntax("C#-test")]
    public string? BatchFixedCode
    {
        get => BatchFixedState.Sources.Count > 0 ? BatchFixedState.Sources[0].content : null;
        set
        {
            if (value is not null)
                BatchFixedState.Sources.Add(value);
        }
    }

    /// <summary>Every source after the fixes (all files, fixed or not) and the diagnostics expected to remain.</summary>
    public SolutionState FixedState { get; } = new();

    public SolutionState BatchFixedState { get; } = new();

    /// <summary>Selects the code action by <see cref="Microsoft.CodeAnalysis.CodeActions.CodeAction.EquivalenceKey"/>; also the key Fix All uses.</summary>
    public string? CodeActionEquivalenceKey { get; set; }

    /// <summary>Selects the code action by its index among those registered for a diagnostic (default: the first).</summary>
    public int? CodeActionIndex { get; set; }

    /// <summary>Fixes applied one at a time: exact when ≥ 0, at most |n| when negative; by default at most fixable diagnostics + 1.</summary>
    public int? NumberOfIncrementalIterations { get; set; }

    /// <summary>Fix All passes in project scope (same conventions as <see cref="NumberOfIncrementalIterations"/>).</summary>
    public int? NumberOfFixAllIterations { get; set; }

    /// <summary>Fix All passes in document scope, one per document with diagnostics (same conventions).</summary>
    public int? NumberOfFixAllInDocumentIterations { get; set; }

    public CodeFixTestBehaviors CodeFixTestBehaviors { get; set; }

    protected virtual CodeFixProvider GetCodeFixProvider() => new TCodeFix();

    private protected override async Task VerifyFixesAsync(
        VerificationSession session, PreparedState testState, AnalysisResult testAnalysis, CancellationToken cancellationToken)
    {
        if (FixedState.Sources.Count == 0)
        {
            if (BatchFixedState.Sources.Count > 0)
                throw new VerifierException("BatchFixedCode is set but FixedCode is not; set both (FixedCode is what one-at-a-time fixing must produce).");
            return; // an analyzer-only test run through the code-fix verifier
        }

        var fixedState = session.Prepare(nameof(FixedState), FixedState);
        var batchFixedState = BatchFixedState.Sources.Count > 0 ? session.Prepare(nameof(BatchFixedState), BatchFixedState) : fixedState;
        var applier = new CodeFixApplier(
            session, GetCodeFixProvider(), CodeActionEquivalenceKey, CodeActionIndex, AllowedErrorIds(session, testAnalysis, testState, fixedState, batchFixedState));

        var incremental = await applier.FixOneAtATimeAsync(testAnalysis, NumberOfIncrementalIterations, cancellationToken).ConfigureAwait(false);
        await VerifyFixedStateAsync(session, "Code fix (one diagnostic at a time)", incremental, fixedState, cancellationToken).ConfigureAwait(false);

        if ((CodeFixTestBehaviors & CodeFixTestBehaviors.SkipFixAllInDocumentCheck) == 0)
        {
            var inDocument = await applier.FixAllAsync(testAnalysis, FixAllScope.Document, NumberOfFixAllInDocumentIterations, cancellationToken).ConfigureAwait(false);
            await VerifyFixedStateAsync(session, "Fix All (Document scope)", inDocument, batchFixedState, cancellationToken).ConfigureAwait(false);
        }

        if ((CodeFixTestBehaviors & CodeFixTestBehaviors.SkipFixAllInProjectCheck) == 0)
        {
            var inProject = await applier.FixAllAsync(testAnalysis, FixAllScope.Project, NumberOfFixAllIterations, cancellationToken).ConfigureAwait(false);
            await VerifyFixedStateAsync(session, "Fix All (Project scope)", inProject, batchFixedState, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Compiler errors a fixed state may contain: those the test expects somewhere, and, when the test turned
    /// compiler diagnostics off (deliberately broken code), those already in the original code. Anything else is
    /// an error the fix introduced.
    /// </summary>
    private HashSet<string> AllowedErrorIds(
        VerificationSession session, AnalysisResult testAnalysis, params PreparedState[] states)
    {
        var allowed = new HashSet<string>(states.SelectMany(s => s.ExpectedDiagnostics).Select(e => e.Id).Where(id => !session.DescriptorsById.ContainsKey(id)));
        if (CompilerDiagnostics == CompilerDiagnostics.None)
            allowed.UnionWith(testAnalysis.CompilerDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.Id));
        return allowed;
    }

    private static async Task VerifyFixedStateAsync(
        VerificationSession session, string phase, FixOutcome outcome, PreparedState expected, CancellationToken cancellationToken)
    {
        var project = outcome.FinalAnalysis.Project;
        var applied = outcome.Log.Count == 0 ? "  (nothing: no code action was offered or selected)" : string.Join("\n", outcome.Log);
        foreach (var source in expected.Sources)
        {
            var document = project.Documents.FirstOrDefault(d => d.FilePath == source.Path)
                ?? throw new VerifierException($"{phase}: {expected.Name} lists '{source.Path}', but the fixed project has no such document.\n\nApplied:\n{applied}");
            var text = LineEndings.Normalize((await document.GetTextAsync(cancellationToken).ConfigureAwait(false)).ToString());
            if (text != source.Text)
            {
                throw new VerifierException(
                    $"{phase}: the fixed text of {source.Path} differs from {expected.Name}.\n\n{TextDiff.Unified(source.Text, text, source.Path)}\nApplied:\n{applied}\n\n"
                    + $"Actual text:\n{text}");
            }
        }

        var unlisted = project.Documents.Where(d => expected.Sources.All(s => s.Path != d.FilePath)).Select(d => d.FilePath).ToList();
        if (unlisted.Count > 0)
            throw new VerifierException($"{phase}: the fixed project has document(s) {string.Join(", ", unlisted)} that {expected.Name}.Sources does not list.\n\nApplied:\n{applied}");

        session.VerifyDiagnostics($"{phase}, diagnostics after the fix ({expected.Name})", outcome.FinalAnalysis, expected);
    }
}
