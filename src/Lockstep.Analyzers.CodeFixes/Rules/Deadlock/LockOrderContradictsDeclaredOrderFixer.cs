using System.Collections.Immutable;
using System.Threading.Tasks;
using Lockstep.Analyzers.Internal;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace Lockstep.Analyzers.Rules.Deadlock;

/// <summary>LS2003: nested acquisitions that can trade places are put in the declared order.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(LockOrderContradictsDeclaredOrderFixer))]
public sealed class LockOrderContradictsDeclaredOrderFixer : CodeFixProvider
{
    public const string EquivalenceKey = "LS2003.Reorder";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(DiagnosticIds.LockOrderContradictsDeclaredOrder);

    public override FixAllProvider GetFixAllProvider() => EditorFixAllProvider.Create(ApplyAsync);

    public override Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            if (LockOrderRewrites.Offers(diagnostic, LockOrderRewrites.Reorder))
                EditorFixAllProvider.Register(context, diagnostic, "Take the locks in their declared order", EquivalenceKey, ApplyAsync);
        }

        return Task.CompletedTask;
    }

    private static Task ApplyAsync(Microsoft.CodeAnalysis.Editing.DocumentEditor editor, Diagnostic diagnostic, SyntaxNode node, System.Threading.CancellationToken cancellationToken) =>
        LockOrderRewrites.ApplyAsync(editor, diagnostic, LockOrderRewrites.Reorder);
}
