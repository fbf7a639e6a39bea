using Lockstep.Analyzers.Catalogue;
using System.Collections.Generic;
using System.Threading.Tasks;
using Lockstep.Analyzers.Internal;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace Lockstep.Analyzers.Rules.Deadlock;

/// <summary>
/// The lock-order repairs, shared by LS2001–LS2003. The analyzer decides which one fits and lists the acquisitions it
/// rewrites (<see cref="FixProperties.LockOrderFixPairs"/>); the shapes are checked again here on syntax, so a stale
/// diagnostic changes nothing.
/// </summary>
internal static class LockOrderRewrites
{
    public static string Title(LockOrderFixKind fix) => fix switch
    {
        LockOrderFixKind.Reorder => "Take the locks in the order the rest of the code uses",
        LockOrderFixKind.TakeInnerLockFirst => "Take the inner lock first, around the whole block",
        LockOrderFixKind.CallOutsideLock => "Make the call after releasing the lock",
        _ => "Take the locks with Locks.AcquireInOrder",
    };

    /// <summary>Applies the repair the diagnostic names to every pair it lists.</summary>
    public static Task ApplyAsync(DocumentEditor editor, Diagnostic diagnostic)
    {
        if (!FixProperties.LockOrderFix.TryGet(diagnostic, out var fix) || Pairs(editor, diagnostic) is not { } pairs)
            return Task.CompletedTask;

        foreach (var (outer, inner) in pairs)
        {
            switch (fix)
            {
                case LockOrderFixKind.Reorder:
                    Swap(editor, outer, inner);
                    break;
                case LockOrderFixKind.TakeInnerLockFirst:
                    TakeInnerFirst(editor, outer, inner);
                    break;
                case LockOrderFixKind.CallOutsideLock:
                    CallOutsideLock(editor, outer, inner);
                    break;
                case LockOrderFixKind.AcquireInOrder:
                    Combine(editor, outer, inner);
                    break;
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>The pairs as nodes of the editor's original tree (acquisitions, or the call of a pair through a call); null when one is not in this document.</summary>
    private static List<(SyntaxNode Outer, SyntaxNode Inner)>? Pairs(DocumentEditor editor, Diagnostic diagnostic)
    {
        if (!FixProperties.LockOrderFixPairs.TryGet(diagnostic, out var indexes))
            return null;

        var locations = new List<Location> { diagnostic.Location };
        locations.AddRange(diagnostic.AdditionalLocations);

        var pairs = new List<(SyntaxNode, SyntaxNode)>();
        foreach (var (outerIndex, innerIndex) in indexes)
        {
            if (outerIndex >= locations.Count || innerIndex >= locations.Count
                || NodeAt(editor, locations[outerIndex], diagnostic) is not { } outer
                || NodeAt(editor, locations[innerIndex], diagnostic) is not { } inner)
            {
                return null;
            }

            pairs.Add((outer, inner));
        }

        return pairs;
    }

    private static SyntaxNode? NodeAt(DocumentEditor editor, Location location, Diagnostic diagnostic)
    {
        if (!location.IsInSource || location.SourceTree?.FilePath != diagnostic.Location.SourceTree?.FilePath)
            return null;

        var span = location.SourceSpan;
        if (span.End > editor.OriginalRoot.FullSpan.End)
            return null;

        var node = editor.OriginalRoot.FindNode(span, getInnermostNodeForTie: true);
        return node.Span == span ? NestedAcquisitions.AcquisitionAt(node) : null;
    }

    /// <summary>
    /// Puts the inner acquisition first and the outer one second; the body and all trivia stay. For acquire/try/finally
    /// regions the acquiring statements and the releasing statements trade places, each lock keeping its own calls.
    /// </summary>
    private static void Swap(DocumentEditor editor, SyntaxNode outerAcquisition, SyntaxNode innerAcquisition)
    {
        if (!NestedAcquisitions.CanSwap(outerAcquisition, innerAcquisition))
            return;

        var outer = NestedAcquisitions.StatementOf(outerAcquisition)!;
        var inner = NestedAcquisitions.StatementOf(innerAcquisition)!;
        if (!LockWrapping.MarkReplaced(editor, outer) || !LockWrapping.MarkReplaced(editor, inner))
            return;

        if (outer is ExpressionStatementSyntax outerStatement && inner is ExpressionStatementSyntax innerStatement)
        {
            var outerRelease = NestedAcquisitions.ProtectingTry(outerStatement)!.Finally!.Block.Statements[0];
            var innerRelease = NestedAcquisitions.ProtectingTry(innerStatement)!.Finally!.Block.Statements[0];
            Exchange(editor, outerStatement.Expression, innerStatement.Expression);
            Exchange(editor, ((ExpressionStatementSyntax)outerRelease).Expression, ((ExpressionStatementSyntax)innerRelease).Expression);
            return;
        }

        if (Exchanged(outer) is { } first && Exchanged(inner) is { } second)
            Exchange(editor, first, second);
    }

    private static void Exchange(DocumentEditor editor, SyntaxNode first, SyntaxNode second)
    {
        editor.ReplaceNode(first, second.WithTriviaFrom(first));
        editor.ReplaceNode(second, first.WithTriviaFrom(second));
    }

    /// <summary>The part of an acquiring statement that names the lock and moves in a swap.</summary>
    private static SyntaxNode? Exchanged(StatementSyntax statement) => statement switch
    {
        LockStatementSyntax lockStatement => lockStatement.Expression,
        UsingStatementSyntax { Expression: { } expression } => expression,
        UsingStatementSyntax { Declaration.Variables: { Count: 1 } variables } => variables[0].Initializer?.Value,
        LocalDeclarationStatementSyntax { Declaration.Variables: { Count: 1 } variables } => variables[0].Initializer?.Value,
        _ => null,
    };

    /// <summary>
    /// <c>lock (a) { x; lock (b) { y } z }</c> → <c>lock (b) { lock (a) { x; { y } z } }</c>: the inner lock is taken first and
    /// held around the whole outer block, so this place takes the two in the order the rest of the code uses.
    /// </summary>
    private static void TakeInnerFirst(DocumentEditor editor, SyntaxNode outerAcquisition, SyntaxNode innerAcquisition)
    {
        if (!NestedAcquisitions.CanTakeInnerFirst(outerAcquisition, innerAcquisition))
            return;

        var outer = (LockStatementSyntax)NestedAcquisitions.StatementOf(outerAcquisition)!;
        var inner = (LockStatementSyntax)NestedAcquisitions.StatementOf(innerAcquisition)!;
        if (!LockWrapping.MarkReplaced(editor, outer) || !LockWrapping.MarkReplaced(editor, inner))
            return;

        var innerBody = inner.Statement is BlockSyntax ? inner.Statement : Block(inner.Statement);
        var outerBody = outer.Statement == inner
            ? innerBody
            : ((BlockSyntax)outer.Statement).ReplaceNode(inner, innerBody.WithTriviaFrom(inner));
        var rewritten = inner
            .WithStatement(Block(outer.WithStatement(outerBody).WithoutLeadingTrivia().WithoutTrailingTrivia()))
            .WithTriviaFrom(outer)
            .WithAdditionalAnnotations(Formatter.Annotation);
        editor.ReplaceNode(outer, rewritten);
    }

    /// <summary><c>lock (a) { other.Touch(); }</c> → <c>other.Touch();</c>: the call no longer holds a lock it does not need.</summary>
    private static void CallOutsideLock(DocumentEditor editor, SyntaxNode outerAcquisition, SyntaxNode call)
    {
        if (NestedAcquisitions.StatementOf(outerAcquisition) is not LockStatementSyntax outer
            || call.Parent is not ExpressionStatementSyntax statement
            || !LockWrapping.MarkReplaced(editor, outer))
        {
            return;
        }

        editor.ReplaceNode(outer, statement.WithTriviaFrom(outer).WithAdditionalAnnotations(Formatter.Annotation));
    }

    /// <summary>
    /// <c>lock (a) { lock (b) { body } }</c> → <c>using (Locks.AcquireInOrder(a, b)) { body }</c>, and the same for nested
    /// <c>using (x.EnterScope())</c> scopes. Statements of the outer body around the inner lock stay where they are and
    /// now run holding both locks.
    /// </summary>
    private static void Combine(DocumentEditor editor, SyntaxNode outerAcquisition, SyntaxNode innerAcquisition)
    {
        if (!NestedAcquisitions.CanCombine(outerAcquisition, innerAcquisition)
            || ConcurrencyCatalogue.For(editor.SemanticModel.Compilation).Types.Locks is not { } locksType)
        {
            return;
        }

        var outer = NestedAcquisitions.StatementOf(outerAcquisition)!;
        var inner = NestedAcquisitions.StatementOf(innerAcquisition)!;
        if (!LockWrapping.MarkReplaced(editor, outer) || !LockWrapping.MarkReplaced(editor, inner))
            return;

        var (outerLock, outerBody, outerKeyword) = Parts(outer);
        var (innerLock, innerBody, _) = Parts(inner);

        // The inner body moves up one level when it was the whole outer body: the formatter re-indents it.
        StatementSyntax body = outerBody == inner || outerBody is BlockSyntax { Statements.Count: 1 }
            ? innerBody.WithAdditionalAnnotations(Formatter.Annotation)
            : ((BlockSyntax)outerBody).ReplaceNode(inner, innerBody.WithTriviaFrom(inner));

        var locks = ((ExpressionSyntax)editor.Generator.TypeExpression(locksType)).WithAdditionalAnnotations(Simplifier.AddImportsAnnotation);
        var acquire = InvocationExpression(
            MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, locks, IdentifierName("AcquireInOrder")),
            ArgumentList(SeparatedList(new[] { Argument(outerLock.WithoutTrivia()), Argument(innerLock.WithoutTrivia()) })));
        var combined = UsingStatement(null, acquire, body)
            .WithUsingKeyword(Token(outerKeyword.LeadingTrivia, SyntaxKind.UsingKeyword, outerKeyword.TrailingTrivia))
            .WithLeadingTrivia(outer.GetLeadingTrivia())
            .WithTrailingTrivia(outer.GetTrailingTrivia());
        editor.ReplaceNode(outer, combined);
    }

    /// <summary>The locked object, the body and the leading keyword of <c>lock (x) body</c> or <c>using (x.EnterScope()) body</c>.</summary>
    private static (ExpressionSyntax Lock, StatementSyntax Body, SyntaxToken Keyword) Parts(StatementSyntax statement) => statement switch
    {
        LockStatementSyntax lockStatement => (lockStatement.Expression, lockStatement.Statement, lockStatement.LockKeyword),
        UsingStatementSyntax { Expression: InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax scope } } usingStatement =>
            (scope.Expression, usingStatement.Statement, usingStatement.UsingKeyword),
        _ => throw new System.InvalidOperationException("CanCombine admits lock statements and EnterScope scopes only"),
    };
}
