using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Lockstep.Analyzers.Rules.Deadlock;

/// <summary>
/// The nested-acquisition shapes the lock-order fixes can rewrite, decided on syntax so the analyzer (which offers a
/// fix) and the fixer (which applies it) agree.
/// </summary>
internal static class NestedAcquisitions
{
    /// <summary>
    /// The statement that takes a lock and holds it for a scope: <c>lock (x) …</c>, <c>using (x.EnterScope()) …</c>,
    /// <c>using (var s = x.EnterScope()) …</c>, <c>using var s = x.EnterScope();</c>, or an acquiring call as a statement
    /// (<c>m.WaitOne();</c>, <c>await s.WaitAsync();</c>) whose region is the <c>try</c> after it. Null for any other acquisition.
    /// </summary>
    public static StatementSyntax? StatementOf(SyntaxNode acquisition)
    {
        if (acquisition is LockStatementSyntax lockStatement)
            return lockStatement;
        if (acquisition is not ExpressionSyntax expression)
            return null;

        SyntaxNode node = expression;
        while (node.Parent is AwaitExpressionSyntax or ParenthesizedExpressionSyntax)
            node = node.Parent;

        return node.Parent switch
        {
            UsingStatementSyntax usingStatement when usingStatement.Expression == node => usingStatement,
            ExpressionStatementSyntax statement => statement,
            EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax { Variables.Count: 1 } declaration } } => declaration.Parent switch
            {
                UsingStatementSyntax usingStatement => usingStatement,
                LocalDeclarationStatementSyntax local when local.UsingKeyword.IsKind(SyntaxKind.UsingKeyword) => local,
                _ => null,
            },
            _ => null,
        };
    }

    /// <summary>
    /// The acquisition a diagnostic location points at: the <c>lock</c> statement for its locked expression, the node
    /// itself (the acquiring call) otherwise.
    /// </summary>
    public static SyntaxNode AcquisitionAt(SyntaxNode node) =>
        node.Parent is LockStatementSyntax lockStatement && lockStatement.Expression == node ? lockStatement : node;

    /// <summary>
    /// Whether the two acquisitions can trade places with nothing else changing: nested <c>lock</c> statements or
    /// <c>using</c> scopes where the inner one is the whole body of the outer one, two <c>using</c> declarations one
    /// right after the other, or two acquire/try/finally-release regions where the inner region is the whole <c>try</c>
    /// block of the outer one (the acquiring and the releasing statements trade places, each lock keeping its own calls).
    /// </summary>
    public static bool CanSwap(SyntaxNode outerAcquisition, SyntaxNode innerAcquisition)
    {
        var outer = StatementOf(outerAcquisition);
        var inner = StatementOf(innerAcquisition);
        return (outer, inner) switch
        {
            (LockStatementSyntax o, LockStatementSyntax i) => IsWholeBody(o.Statement, i),
            (UsingStatementSyntax o, UsingStatementSyntax i) => IsWholeBody(o.Statement, i) && (o.Expression is null) == (i.Expression is null),
            (LocalDeclarationStatementSyntax o, LocalDeclarationStatementSyntax i) => o.Parent is BlockSyntax block && i.Parent == block
                && block.Statements.IndexOf(i) == block.Statements.IndexOf(o) + 1,
            (ExpressionStatementSyntax o, ExpressionStatementSyntax i) => ProtectingTry(o) is { } outerTry
                && ProtectingTry(i) is { } innerTry
                && outerTry.Block.Statements.Count == 2 && outerTry.Block.Statements[0] == i && outerTry.Block.Statements[1] == innerTry,
            _ => false,
        };
    }

    /// <summary>
    /// <c>acquire; try { … } finally { release; }</c>: the try right after an acquiring statement, with no catch and a
    /// finally that holds the single release statement.
    /// </summary>
    public static TryStatementSyntax? ProtectingTry(ExpressionStatementSyntax acquire) =>
        acquire.Parent is BlockSyntax block
        && block.Statements.IndexOf(acquire) is var index && index + 1 < block.Statements.Count
        && block.Statements[index + 1] is TryStatementSyntax { Catches.Count: 0, Finally.Block.Statements: { Count: 1 } releases } protecting
        && releases[0] is ExpressionStatementSyntax
            ? protecting
            : null;

    /// <summary>
    /// Whether the pair can become one <c>using (Locks.AcquireInOrder(a, b))</c>: two <c>lock</c> statements, the inner one
    /// a statement of the outer one's body (other statements of that body then run holding both locks, which is safe), or
    /// two <c>using (x.EnterScope())</c> scopes, the inner one the whole body of the outer.
    /// </summary>
    public static bool CanCombine(SyntaxNode outerAcquisition, SyntaxNode innerAcquisition) =>
        (StatementOf(outerAcquisition), StatementOf(innerAcquisition)) switch
        {
            (LockStatementSyntax outer, LockStatementSyntax inner) => outer.Statement == inner || outer.Statement is BlockSyntax block && inner.Parent == block,
            (UsingStatementSyntax { Declaration: null, Expression: InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax } } outer,
             UsingStatementSyntax { Declaration: null, Expression: InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax } } inner) => IsWholeBody(outer.Statement, inner),
            _ => false,
        };

    /// <summary>
    /// Whether the inner lock statement can be taken first, around the whole outer one: <c>lock (a) { x; lock (b) { y } z }</c>
    /// → <c>lock (b) { lock (a) { x; { y } z } }</c>. The inner lock statement must be a statement of the outer body; the
    /// other statements then run holding both locks (the analyzer checks that this adds no new order that closes a cycle).
    /// </summary>
    public static bool CanTakeInnerFirst(SyntaxNode outerAcquisition, SyntaxNode innerAcquisition) =>
        StatementOf(outerAcquisition) is LockStatementSyntax outer
        && StatementOf(innerAcquisition) is LockStatementSyntax inner
        && (outer.Statement == inner || outer.Statement is BlockSyntax block && inner.Parent == block);

    private static bool IsWholeBody(StatementSyntax body, StatementSyntax inner) =>
        body == inner || body is BlockSyntax { Statements.Count: 1 } block && block.Statements[0] == inner;
}
