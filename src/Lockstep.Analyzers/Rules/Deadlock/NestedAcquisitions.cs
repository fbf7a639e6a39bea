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
    /// <c>using (var s = x.EnterScope()) …</c>, or <c>using var s = x.EnterScope();</c>. Null for any other acquisition.
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
    /// <c>using</c> scopes where the inner one is the whole body of the outer one, or two <c>using</c> declarations one
    /// right after the other.
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
            _ => false,
        };
    }

    /// <summary>
    /// Whether the pair can become one <c>using (Locks.AcquireInOrder(a, b))</c>: two <c>lock</c> statements, the inner one
    /// a statement of the outer one's body (other statements of that body then run holding both locks, which is safe).
    /// </summary>
    public static bool CanCombine(SyntaxNode outerAcquisition, SyntaxNode innerAcquisition) =>
        StatementOf(outerAcquisition) is LockStatementSyntax outer
        && StatementOf(innerAcquisition) is LockStatementSyntax inner
        && (outer.Statement == inner || outer.Statement is BlockSyntax block && inner.Parent == block);

    private static bool IsWholeBody(StatementSyntax body, StatementSyntax inner) =>
        body == inner || body is BlockSyntax { Statements.Count: 1 } block && block.Statements[0] == inner;
}
