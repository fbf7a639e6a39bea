using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using Lockstep.Analyzers.Internal;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Editing;

namespace Lockstep.Analyzers.Rules.Deadlock;

/// <summary>
/// LS2001: makes the order of the cycle consistent with the repair the analyzer chose: the odd order's nested
/// acquisitions trade places (any lock kind), or its inner lock is taken first around the whole block, or its call runs
/// after the lock it does not need; otherwise every order of the cycle is taken with Locks.AcquireInOrder. No fix where
/// none of these keeps the program's behaviour (locks taken in other documents, a cycle only through calls that use the
/// locked state, AcquireInOrder without the runtime library).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(LockOrderCycleFixer))]
public sealed class LockOrderCycleFixer : CodeFixProvider
{
    public const string EquivalenceKey = "LS2001.MakeTheOrderConsistent";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(DiagnosticIds.LockOrderCycle);

    public override FixAllProvider GetFixAllProvider() => EditorFixAllProvider.Create(ApplyAsync);

    public override Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            if (FixProperties.LockOrderFix.TryGet(diagnostic, out var fix) && FixProperties.LockOrderFixPairs.IsSet(diagnostic))
                EditorFixAllProvider.Register(context, diagnostic, LockOrderRewrites.Title(fix), EquivalenceKey, ApplyAsync);
        }

        return Task.CompletedTask;
    }

    private static Task ApplyAsync(DocumentEditor editor, Diagnostic diagnostic, SyntaxNode node, CancellationToken cancellationToken) =>
        LockOrderRewrites.ApplyAsync(editor, diagnostic);
}
