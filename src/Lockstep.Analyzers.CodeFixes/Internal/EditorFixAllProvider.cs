using System;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Editing;

namespace Lockstep.Analyzers.Internal;

/// <summary>
/// Fix All through one <see cref="DocumentEditor"/> per document, made deterministic. Unlike the batch fixer, which
/// merges independent text changes and drops overlapping ones, the editor composes nested edits (<c>a.Result.Result</c>,
/// a wait inside the argument of another), so Fix All never silently leaves one behind.
/// <para>
/// Every fixer has one default equivalence key, and the first action it registers for any diagnostic carries it: that
/// action is the diagnostic's preferred repair, whichever kind the analyzer chose for it. Fix All with the default key
/// applies each diagnostic's preferred repair. <c>dotnet format analyzers</c> starts Fix All with the key of the first
/// action of whichever diagnostic it meets first, or with no key when that diagnostic has no fix, so the default key and
/// the missing key mean the same; the result then depends neither on which diagnostic comes first nor on the order the
/// analyzers reported them in, because diagnostics are applied in source order. An alternative key (a second action a
/// user picks in the IDE) applies that alternative where it is offered and nothing elsewhere.
/// </para>
/// </summary>
internal static class EditorFixAllProvider
{
    /// <summary>One fix applied to one diagnostic; <paramref name="node"/> is the node the diagnostic spans in the original tree.</summary>
    public delegate Task ApplyFix(DocumentEditor editor, Diagnostic diagnostic, SyntaxNode node, CancellationToken cancellationToken);

    public static FixAllProvider Create(ApplyFix preferred) => Create(preferred, ImmutableDictionary<string, ApplyFix>.Empty);

    /// <summary>For fixers that also offer alternatives, each under its own equivalence key.</summary>
    public static FixAllProvider Create(ApplyFix preferred, ImmutableDictionary<string, ApplyFix> alternatives) =>
        FixAllProvider.Create(async (context, document, diagnostics) =>
        {
            var apply = context.CodeActionEquivalenceKey is { } key && alternatives.TryGetValue(key, out var alternative) ? alternative : preferred;
            return await FixDocumentAsync(document, diagnostics, apply, context.CancellationToken).ConfigureAwait(false);
        });

    /// <summary>Applies <paramref name="apply"/> to each diagnostic in source order; used by single fixes too, so both paths share one rewrite.</summary>
    public static async Task<Document> FixDocumentAsync(Document document, ImmutableArray<Diagnostic> diagnostics, ApplyFix apply, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var ordered = diagnostics
            .OrderBy(d => d.Location.SourceSpan.Start)
            .ThenByDescending(d => d.Location.SourceSpan.Length)
            .ThenBy(d => d.Id, StringComparer.Ordinal);
        foreach (var diagnostic in ordered)
        {
            var node = editor.OriginalRoot.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            if (node.Span != diagnostic.Location.SourceSpan)
                continue; // the document changed since the diagnostic was computed
            await apply(editor, diagnostic, node, cancellationToken).ConfigureAwait(false);
        }

        return editor.GetChangedDocument();
    }

    /// <summary>Registers one code action for one diagnostic that runs the same rewrite as Fix All.</summary>
    public static void Register(CodeFixContext context, Diagnostic diagnostic, string title, string equivalenceKey, ApplyFix apply)
    {
        context.RegisterCodeFix(
            CodeAction.Create(
                title,
                ct => FixDocumentAsync(context.Document, ImmutableArray.Create(diagnostic), apply, ct),
                equivalenceKey),
            diagnostic);
    }
}
