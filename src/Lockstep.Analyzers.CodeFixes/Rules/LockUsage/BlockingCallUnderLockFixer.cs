using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using Lockstep.Analyzers.Internal;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;

namespace Lockstep.Analyzers.Rules.LockUsage;

/// <summary>
/// LS5002: moves a blocking statement that opens a <c>lock</c> body, and uses none of the guarded state, in front of
/// the lock. Anywhere else the right change depends on the design (copy state out, block, then re-lock), so there is
/// no automatic fix; the docs page shows the manual one.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(BlockingCallUnderLockFixer))]
public sealed class BlockingCallUnderLockFixer : CodeFixProvider
{
    public const string EquivalenceKey = "LS5002.MoveBeforeLock";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(DiagnosticIds.BlockingCallUnderLock);

    public override FixAllProvider GetFixAllProvider() => EditorFixAllProvider.Create(ApplyAsync);

    public override Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            if (diagnostic.Properties.ContainsKey(DiagnosticPropertyKeys.MoveBeforeLock))
                EditorFixAllProvider.Register(context, diagnostic, "Move the blocking call before the lock", EquivalenceKey, ApplyAsync);
        }

        return Task.CompletedTask;
    }

    private static Task ApplyAsync(DocumentEditor editor, Diagnostic diagnostic, SyntaxNode node, CancellationToken cancellationToken)
    {
        if (!diagnostic.Properties.ContainsKey(DiagnosticPropertyKeys.MoveBeforeLock)
            || node.Parent is not ExpressionStatementSyntax statement
            || statement.Parent is not BlockSyntax { Parent: LockStatementSyntax lockStatement }
            || !LockWrapping.MarkReplaced(editor, statement))
        {
            return Task.CompletedTask;
        }

        editor.RemoveNode(statement, SyntaxRemoveOptions.KeepNoTrivia);
        editor.InsertBefore(lockStatement, statement.WithLeadingTrivia(lockStatement.GetLeadingTrivia()).WithAdditionalAnnotations(Formatter.Annotation));
        return Task.CompletedTask;
    }
}
