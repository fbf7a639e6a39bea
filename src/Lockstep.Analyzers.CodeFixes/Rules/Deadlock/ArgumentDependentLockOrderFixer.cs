using System.Collections.Immutable;
using System.Threading.Tasks;
using Lockstep.Analyzers.Internal;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace Lockstep.Analyzers.Rules.Deadlock;

/// <summary>LS2002: <c>lock (from) lock (to)</c> becomes <c>using (Locks.AcquireInOrder(from, to))</c>, one global order whatever the arguments.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ArgumentDependentLockOrderFixer))]
public sealed class ArgumentDependentLockOrderFixer : CodeFixProvider
{
    public const string EquivalenceKey = "LS2002.AcquireInOrder";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(DiagnosticIds.ArgumentDependentLockOrder);

    public override FixAllProvider GetFixAllProvider() => EditorFixAllProvider.Create(ApplyAsync);

    public override Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            if (LockOrderRewrites.Offers(diagnostic, LockOrderRewrites.AcquireInOrder))
                EditorFixAllProvider.Register(context, diagnostic, "Take both locks with Locks.AcquireInOrder", EquivalenceKey, ApplyAsync);
        }

        return Task.CompletedTask;
    }

    private static Task ApplyAsync(Microsoft.CodeAnalysis.Editing.DocumentEditor editor, Diagnostic diagnostic, SyntaxNode node, System.Threading.CancellationToken cancellationToken) =>
        LockOrderRewrites.ApplyAsync(editor, diagnostic, LockOrderRewrites.AcquireInOrder);
}
