using System;
using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Editing;

namespace Lockstep.Analyzers.Internal;

/// <summary>
/// A Fix All that applies every diagnostic of a document through one <see cref="DocumentEditor"/>. Unlike the batch
/// fixer, which merges independent text changes and drops overlapping ones, the editor composes nested edits
/// (<c>a.Result.Result</c>, a wait inside the argument of another), so Fix All never silently leaves one behind.
/// Works for document, project and solution scope.
/// </summary>
internal static class EditorFixAllProvider
{
    /// <summary>One fix applied to one diagnostic; <paramref name="node"/> is the node the diagnostic spans in the original tree.</summary>
    public delegate Task ApplyFix(DocumentEditor editor, Diagnostic diagnostic, SyntaxNode node, CancellationToken cancellationToken);

    public static FixAllProvider Create(ApplyFix apply) =>
        FixAllProvider.Create(async (context, document, diagnostics) => await FixDocumentAsync(document, diagnostics, apply, context.CancellationToken).ConfigureAwait(false));

    /// <summary>Applies <paramref name="apply"/> to each diagnostic in turn; used by single fixes too, so both paths share one rewrite.</summary>
    public static async Task<Document> FixDocumentAsync(Document document, ImmutableArray<Diagnostic> diagnostics, ApplyFix apply, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        foreach (var diagnostic in diagnostics)
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
            Microsoft.CodeAnalysis.CodeActions.CodeAction.Create(
                title,
                ct => FixDocumentAsync(context.Document, ImmutableArray.Create(diagnostic), apply, ct),
                equivalenceKey),
            diagnostic);
    }
}
