using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Lockstep.Analyzers.Rules.LockUsage;

/// <summary>
/// The block of statements a lock is held for, as the LS5002 fix moves statements out of it and removes it when it
/// guards nothing any more: the body of a <c>lock</c> statement, of a <c>using</c> scope (<c>EnterScope()</c>,
/// <c>Locks.AcquireInOrder</c>, <c>await l.LockAsync()</c>), or the <c>try</c> block of
/// <c>acquire; try { … } finally { release; }</c> with nothing else in the finally. Decided on syntax, so the analyzer
/// (which offers the fix) and the fixer (which applies it) agree; the analyzer also checks that the lock it found held is
/// the one this region takes.
/// </summary>
internal sealed class LockRegion
{
    private LockRegion(StatementSyntax acquisition, TryStatementSyntax? protectingTry, BlockSyntax body)
    {
        Acquisition = acquisition;
        ProtectingTry = protectingTry;
        Body = body;
    }

    /// <summary>The <c>lock</c> or <c>using</c> statement, or the statement that acquires before the <c>try</c>.</summary>
    public StatementSyntax Acquisition { get; }

    /// <summary>The <c>try</c> whose <c>finally</c> releases, for acquire/try/finally regions.</summary>
    public TryStatementSyntax? ProtectingTry { get; }

    /// <summary>The statements that run holding the lock.</summary>
    public BlockSyntax Body { get; }

    /// <summary>The region whose body directly holds <paramref name="statement"/>, if any.</summary>
    public static LockRegion? Around(StatementSyntax statement)
    {
        if (statement.Parent is not BlockSyntax body)
            return null;

        switch (body.Parent)
        {
            case LockStatementSyntax lockStatement:
                return new LockRegion(lockStatement, null, body);
            case UsingStatementSyntax usingStatement:
                return new LockRegion(usingStatement, null, body);
            case TryStatementSyntax { Catches.Count: 0, Finally.Block.Statements.Count: 1 } tryStatement when tryStatement.Block == body
                && tryStatement.Parent is BlockSyntax outer
                && outer.Statements.IndexOf(tryStatement) is > 0 and var index
                && outer.Statements[index - 1] is ExpressionStatementSyntax acquire:
                return new LockRegion(acquire, tryStatement, body);
            default:
                return null;
        }
    }

    /// <summary>
    /// The region around <paramref name="statement"/>, directly or through <c>if</c>/<c>else</c> branches of a statement of
    /// its body (<paramref name="isDirect"/> says which); not through loops, tries or nested functions.
    /// </summary>
    public static LockRegion? Enclosing(StatementSyntax statement, out bool isDirect)
    {
        isDirect = true;
        var current = statement;
        while (true)
        {
            if (Around(current) is { } region)
                return region;

            // Up through the branch the statement is in: its block, an else, up to the if.
            var parent = current.Parent;
            while (parent is BlockSyntax { Parent: IfStatementSyntax or ElseClauseSyntax } or ElseClauseSyntax)
                parent = parent.Parent;
            if (parent is not IfStatementSyntax ifStatement)
                return null;

            current = ifStatement;
            isDirect = false;
        }
    }

    /// <summary>Whether <paramref name="acquisition"/> (a lock statement or an acquiring call) is the one that opens this region.</summary>
    public bool IsOpenedBy(SyntaxNode acquisition) =>
        ProtectingTry is null
            ? acquisition == Acquisition || (Acquisition is UsingStatementSyntax && Acquisition.Span.Contains(acquisition.Span) && !Body.Span.Contains(acquisition.Span))
            : Acquisition.Span.Contains(acquisition.Span);
}
