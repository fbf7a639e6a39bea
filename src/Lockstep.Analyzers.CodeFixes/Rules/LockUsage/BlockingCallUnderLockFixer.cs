using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Lockstep.Analyzers.Internal;
using Lockstep.Analyzers.Rules.AsyncBlocking;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;

namespace Lockstep.Analyzers.Rules.LockUsage;

/// <summary>
/// LS5002: under an AsyncLock or a SemaphoreSlim in async code, awaits the call instead (the lock stays held for the same
/// work); otherwise moves a sleep, or a wait that opens the locked block, in front of the lock, and removes a lock left
/// guarding nothing. Synchronous I/O under a lock, a wait after guarded work, and blocking inside a nested statement
/// get no fix: the analyzer leaves the fix kind out (see BlockingUnderLockFixes for why each is unsafe).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(BlockingCallUnderLockFixer))]
public sealed class BlockingCallUnderLockFixer : CodeFixProvider
{
    public const string EquivalenceKey = "LS5002.StopBlockingUnderTheLock";

    /// <summary>Per Fix All: how many statements of each locked block have moved out, to remove the block with its last one.</summary>
    private static readonly ConditionalWeakTable<DocumentEditor, Dictionary<SyntaxNode, int>> Moved = new();

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(DiagnosticIds.BlockingCallUnderLock);

    public override FixAllProvider GetFixAllProvider() => EditorFixAllProvider.Create(ApplyAsync);

    public override Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            if (!FixProperties.BlockingUnderLockFix.TryGet(diagnostic, out var fix))
                continue;

            string title = fix switch
            {
                BlockingUnderLockFixKind.Await when FixProperties.AsyncCounterpart.TryGet(diagnostic, out var counterpart) => $"Await '{counterpart}' instead, keeping the lock",
                BlockingUnderLockFixKind.Await => "Await instead, keeping the lock",
                _ => "Move the blocking call before the lock",
            };
            EditorFixAllProvider.Register(context, diagnostic, title, EquivalenceKey, ApplyAsync);
        }

        return Task.CompletedTask;
    }

    private static Task ApplyAsync(DocumentEditor editor, Diagnostic diagnostic, SyntaxNode node, CancellationToken cancellationToken)
    {
        if (!FixProperties.BlockingUnderLockFix.TryGet(diagnostic, out var fix))
            return Task.CompletedTask;

        if (fix == BlockingUnderLockFixKind.Await)
        {
            return FixProperties.AsyncCounterpart.TryGet(diagnostic, out var counterpart)
                ? AsyncCounterpartRewriter.ApplyAsync(editor, node, counterpart, cancellationToken)
                : AwaitFixes.ApplyAsync(editor, diagnostic, node, cancellationToken);
        }

        var statement = node.Parent switch
        {
            ExpressionStatementSyntax expressionStatement => (StatementSyntax)expressionStatement,
            ReturnStatementSyntax returnStatement => returnStatement,
            Microsoft.CodeAnalysis.CSharp.Syntax.AssignmentExpressionSyntax { Parent: ExpressionStatementSyntax discard } => discard,
            _ => null,
        };
        if (statement is null || LockRegion.Enclosing(statement, out bool isDirect) is not { } region || !LockWrapping.MarkReplaced(editor, statement))
            return Task.CompletedTask;

        if (!isDirect)
        {
            // A sleep from a branch: out of its block it goes (a branch of its own becomes { }), in front of the lock.
            editor.InsertBefore(region.Acquisition, statement.WithLeadingTrivia(region.Acquisition.GetLeadingTrivia()).WithAdditionalAnnotations(Formatter.Annotation));
            if (statement.Parent is BlockSyntax)
                editor.RemoveNode(statement, SyntaxRemoveOptions.KeepNoTrivia);
            else
                editor.ReplaceNode(statement, Microsoft.CodeAnalysis.CSharp.SyntaxFactory.Block());
            return Task.CompletedTask;
        }

        var moved = Moved.GetValue(editor, _ => new Dictionary<SyntaxNode, int>());
        moved.TryGetValue(region.Body, out int count);
        moved[region.Body] = ++count;

        var outside = statement.WithLeadingTrivia(region.Acquisition.GetLeadingTrivia()).WithAdditionalAnnotations(Formatter.Annotation);
        if (count < region.Body.Statements.Count)
        {
            editor.RemoveNode(statement, SyntaxRemoveOptions.KeepNoTrivia);
            editor.InsertBefore(region.Acquisition, outside);
            return Task.CompletedTask;
        }

        // The last statement of the block leaves: a lock that guards nothing goes too.
        if (region.ProtectingTry is { } protectingTry)
            editor.RemoveNode(protectingTry, SyntaxRemoveOptions.KeepNoTrivia);
        editor.ReplaceNode(region.Acquisition, outside.WithTrailingTrivia((region.ProtectingTry ?? region.Acquisition).GetTrailingTrivia()));
        return Task.CompletedTask;
    }
}
