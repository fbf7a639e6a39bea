using Lockstep.Analyzers.Catalogue;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
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
/// The two lock-order repairs, shared by LS2001–LS2003. The analyzer decides which one fits and lists the nested pairs
/// it rewrites (<see cref="DiagnosticPropertyKeys.LockOrderFixPairs"/>); the shapes are checked again here on syntax.
/// </summary>
internal static class LockOrderRewrites
{
    public const string Reorder = "Reorder";
    public const string AcquireInOrder = "AcquireInOrder";

    public static bool Offers(Diagnostic diagnostic, string fix) =>
        diagnostic.Properties.TryGetValue(DiagnosticPropertyKeys.LockOrderFix, out var kind) && kind == fix;

    /// <summary>Applies the repair the diagnostic offers, if it is <paramref name="fix"/>.</summary>
    public static Task ApplyAsync(DocumentEditor editor, Diagnostic diagnostic, string fix)
    {
        if (!Offers(diagnostic, fix))
            return Task.CompletedTask;

        var pairs = Pairs(editor, diagnostic);
        if (pairs is null)
            return Task.CompletedTask;

        foreach (var (outer, inner) in pairs)
        {
            if (fix == Reorder)
                Swap(editor, outer, inner);
            else
                Combine(editor, outer, inner);
        }

        return Task.CompletedTask;
    }

    /// <summary>The nested pairs as acquisitions in the editor's original tree; null when one is not in this document.</summary>
    private static List<(SyntaxNode Outer, SyntaxNode Inner)>? Pairs(DocumentEditor editor, Diagnostic diagnostic)
    {
        if (!diagnostic.Properties.TryGetValue(DiagnosticPropertyKeys.LockOrderFixPairs, out var text) || text is null)
            return null;

        var locations = new List<Location> { diagnostic.Location };
        locations.AddRange(diagnostic.AdditionalLocations);

        var pairs = new List<(SyntaxNode, SyntaxNode)>();
        foreach (var pair in text.Split(';'))
        {
            var parts = pair.Split(':');
            if (parts.Length != 2
                || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int outerIndex)
                || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int innerIndex)
                || outerIndex >= locations.Count || innerIndex >= locations.Count
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

    /// <summary>Puts the inner acquisition first and the outer one second; the body and all trivia stay.</summary>
    private static void Swap(DocumentEditor editor, SyntaxNode outerAcquisition, SyntaxNode innerAcquisition)
    {
        if (!NestedAcquisitions.CanSwap(outerAcquisition, innerAcquisition))
            return;

        var outer = NestedAcquisitions.StatementOf(outerAcquisition)!;
        var inner = NestedAcquisitions.StatementOf(innerAcquisition)!;
        if (!LockWrapping.MarkReplaced(editor, outer) || !LockWrapping.MarkReplaced(editor, inner))
            return;

        var (first, second) = (Exchanged(outer), Exchanged(inner));
        if (first is null || second is null)
            return;

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
    /// <c>lock (a) { lock (b) { body } }</c> → <c>using (Locks.AcquireInOrder(a, b)) { body }</c>. Statements of the outer
    /// body around the inner lock stay where they are and now run holding both locks.
    /// </summary>
    private static void Combine(DocumentEditor editor, SyntaxNode outerAcquisition, SyntaxNode innerAcquisition)
    {
        if (!NestedAcquisitions.CanCombine(outerAcquisition, innerAcquisition)
            || ConcurrencyCatalogue.For(editor.SemanticModel.Compilation).Types.Locks is not { } locksType)
        {
            return;
        }

        var outer = (LockStatementSyntax)NestedAcquisitions.StatementOf(outerAcquisition)!;
        var inner = (LockStatementSyntax)NestedAcquisitions.StatementOf(innerAcquisition)!;
        if (!LockWrapping.MarkReplaced(editor, outer) || !LockWrapping.MarkReplaced(editor, inner))
            return;

        // The inner body moves up one level when it was the whole outer body: the formatter re-indents it.
        StatementSyntax body = outer.Statement == inner || outer.Statement is BlockSyntax { Statements.Count: 1 }
            ? inner.Statement.WithAdditionalAnnotations(Formatter.Annotation)
            : ((BlockSyntax)outer.Statement).ReplaceNode(inner, inner.Statement.WithTriviaFrom(inner));

        var locks = ((ExpressionSyntax)editor.Generator.TypeExpression(locksType)).WithAdditionalAnnotations(Simplifier.AddImportsAnnotation);
        var acquire = InvocationExpression(
            MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, locks, IdentifierName("AcquireInOrder")),
            ArgumentList(SeparatedList(new[] { Argument(outer.Expression.WithoutTrivia()), Argument(inner.Expression.WithoutTrivia()) })));
        var combined = UsingStatement(null, acquire, body)
            .WithUsingKeyword(Token(outer.LockKeyword.LeadingTrivia, SyntaxKind.UsingKeyword, outer.LockKeyword.TrailingTrivia))
            .WithOpenParenToken(outer.OpenParenToken)
            .WithCloseParenToken(outer.CloseParenToken)
            .WithTrailingTrivia(outer.GetTrailingTrivia());
        editor.ReplaceNode(outer, combined);
    }
}
