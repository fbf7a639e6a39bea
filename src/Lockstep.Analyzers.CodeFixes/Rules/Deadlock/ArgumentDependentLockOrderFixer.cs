using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using Lockstep.Analyzers.Internal;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Editing;

namespace Lockstep.Analyzers.Rules.Deadlock;

/// <summary>LS2002: <c>lock (from) lock (to)</c> (or nested EnterScope scopes) becomes <c>using (Locks.AcquireInOrder(from, to))</c>, one global order whatever the arguments.</summary>
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
            if (FixProperties.LockOrderFix.TryGet(diagnostic, out var fix) && FixProperties.LockOrderFixPairs.IsSet(diagnostic))
                EditorFixAllProvider.Register(context, diagnostic, LockOrderRewrites.Title(fix), EquivalenceKey, ApplyAsync);
        }

        return Task.CompletedTask;
    }

    private static Task ApplyAsync(DocumentEditor editor, Diagnostic diagnostic, SyntaxNode node, CancellationToken cancellationToken) =>
        LockOrderRewrites.ApplyAsync(editor, diagnostic);
}
