using System.Collections.Immutable;
using System.Threading.Tasks;
using Lockstep.Analyzers.Internal;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace Lockstep.Analyzers.Rules.Deadlock;

/// <summary>
/// LS2001: reverses the odd order out when its nested acquisitions can simply trade places; otherwise, when every order
/// of the cycle is a pair of nested lock statements in this document, takes each pair with Locks.AcquireInOrder.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(LockOrderCycleFixer))]
public sealed class LockOrderCycleFixer : CodeFixProvider
{
    public const string ReorderEquivalenceKey = "LS2001.Reorder";
    public const string AcquireInOrderEquivalenceKey = "LS2001.AcquireInOrder";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(DiagnosticIds.LockOrderCycle);

    public override FixAllProvider GetFixAllProvider() => EditorFixAllProvider.Create(key => key == AcquireInOrderEquivalenceKey ? CombineAsync : ReorderAsync);

    public override Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            if (LockOrderRewrites.Offers(diagnostic, LockOrderRewrites.Reorder))
                EditorFixAllProvider.Register(context, diagnostic, "Take the locks in the order the rest of the code uses", ReorderEquivalenceKey, ReorderAsync);
            else if (LockOrderRewrites.Offers(diagnostic, LockOrderRewrites.AcquireInOrder))
                EditorFixAllProvider.Register(context, diagnostic, "Take each nested pair with Locks.AcquireInOrder", AcquireInOrderEquivalenceKey, CombineAsync);
        }

        return Task.CompletedTask;
    }

    private static Task ReorderAsync(Microsoft.CodeAnalysis.Editing.DocumentEditor editor, Diagnostic diagnostic, SyntaxNode node, System.Threading.CancellationToken cancellationToken) =>
        LockOrderRewrites.ApplyAsync(editor, diagnostic, LockOrderRewrites.Reorder);

    private static Task CombineAsync(Microsoft.CodeAnalysis.Editing.DocumentEditor editor, Diagnostic diagnostic, SyntaxNode node, System.Threading.CancellationToken cancellationToken) =>
        LockOrderRewrites.ApplyAsync(editor, diagnostic, LockOrderRewrites.AcquireInOrder);
}
