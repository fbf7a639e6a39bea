using Lockstep.Analyzers.Catalogue;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Simplification;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace Lockstep.Analyzers.Internal;

/// <summary>The repairs shared by the data-race fixes (LS1001–LS1003).</summary>
internal static class RaceRepairs
{
    /// <summary>
    /// <c>x++</c> → <c>Interlocked.Increment(ref x)</c>, <c>x -= n</c> → <c>Interlocked.Add(ref x, -n)</c>; when the
    /// old value of a postfix update is used, the call's (new) value is adjusted back.
    /// </summary>
    public static bool TryUseInterlocked(DocumentEditor editor, SyntaxNode node)
    {
        var interlockedType = ConcurrencyCatalogue.For(editor.SemanticModel.Compilation).Types.Interlocked;
        if (interlockedType is null)
            return false;

        var interlocked = ((ExpressionSyntax)editor.Generator.TypeExpression(interlockedType)).WithAdditionalAnnotations(Simplifier.AddImportsAnnotation);
        ExpressionSyntax Call(string method, ExpressionSyntax target, ExpressionSyntax? amount = null)
        {
            var byReference = Argument(target.WithoutTrivia()).WithRefKindKeyword(Token(SyntaxKind.RefKeyword).WithTrailingTrivia(Space));
            var arguments = amount is null
                ? SingletonSeparatedList(byReference)
                : SeparatedList(new[] { byReference, Argument(amount.WithoutTrivia()) }, new[] { Token(SyntaxKind.CommaToken).WithTrailingTrivia(Space) });
            return InvocationExpression(MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, interlocked, IdentifierName(method)), ArgumentList(arguments));
        }

        // An expression-bodied void member or lambda wraps the update in an implicit statement: its value is unused.
        bool valueUsed = node.Parent is not (ExpressionStatementSyntax or ForStatementSyntax)
            && editor.SemanticModel.GetOperation(node)?.Parent is not Microsoft.CodeAnalysis.Operations.IExpressionStatementOperation;
        ExpressionSyntax? replacement = node switch
        {
            PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PostIncrementExpression } post => valueUsed
                ? Adjust(Call("Increment", post.Operand), SyntaxKind.SubtractExpression)
                : Call("Increment", post.Operand),
            PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PostDecrementExpression } post => valueUsed
                ? Adjust(Call("Decrement", post.Operand), SyntaxKind.AddExpression)
                : Call("Decrement", post.Operand),
            PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PreIncrementExpression } pre => Call("Increment", pre.Operand),
            PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PreDecrementExpression } pre => Call("Decrement", pre.Operand),
            AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.AddAssignmentExpression } add => Call("Add", add.Left, add.Right),
            AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.SubtractAssignmentExpression } subtract => Call("Add", subtract.Left, Negate(subtract.Right)),
            _ => null,
        };

        if (replacement is null)
            return false;

        if (valueUsed && node.Parent is not (ArgumentSyntax or EqualsValueClauseSyntax or ReturnStatementSyntax or ArrowExpressionClauseSyntax or AssignmentExpressionSyntax))
            replacement = ParenthesizedExpression(replacement);

        editor.ReplaceNode(node, replacement.WithTriviaFrom(node));
        return true;
    }

    private static ExpressionSyntax Adjust(ExpressionSyntax call, SyntaxKind kind) =>
        BinaryExpression(kind, call, LiteralExpression(SyntaxKind.NumericLiteralExpression, Literal(1)))
            .WithOperatorToken(Token(kind == SyntaxKind.SubtractExpression ? SyntaxKind.MinusToken : SyntaxKind.PlusToken).WithLeadingTrivia(Space).WithTrailingTrivia(Space));

    private static ExpressionSyntax Negate(ExpressionSyntax amount) => amount switch
    {
        LiteralExpressionSyntax or IdentifierNameSyntax or MemberAccessExpressionSyntax or InvocationExpressionSyntax => PrefixUnaryExpression(SyntaxKind.UnaryMinusExpression, amount.WithoutTrivia()),
        _ => PrefixUnaryExpression(SyntaxKind.UnaryMinusExpression, ParenthesizedExpression(amount.WithoutTrivia())),
    };

    /// <summary>Locks the statement holding <paramref name="node"/>, or from the statement holding <paramref name="regionStart"/> to it.</summary>
    public static bool TryLock(DocumentEditor editor, SyntaxNode node, int? regionStart, CancellationToken cancellationToken)
    {
        bool isStatic = IsInStaticContext(editor.SemanticModel, node, cancellationToken);
        var last = node.FirstAncestorOrSelf<StatementSyntax>();
        var lambda = node.FirstAncestorOrSelf<LambdaExpressionSyntax>();
        if (lambda is not null && lambda.ExpressionBody is { } body && body.Span.Contains(node.Span) && (last is null || !lambda.Span.Contains(last.Span)))
            return LockWrapping.TryWrapLambdaBody(editor, lambda, isStatic);

        if (last is null || last is BlockSyntax)
            return false;

        var first = last;
        if (regionStart is { } start && start < last.SpanStart)
        {
            // The read and the write-back may sit at different depths: lock the range of sibling statements holding both.
            var startStatement = editor.OriginalRoot.FindToken(start).Parent?.FirstAncestorOrSelf<StatementSyntax>();
            while (startStatement is not null && startStatement.Parent != last.Parent)
            {
                if (last.Parent is not null && last.Parent.Span.Contains(startStatement.Span) && last.Parent is BlockSyntax)
                {
                    last = last.Parent.ChildNodes().OfType<StatementSyntax>().FirstOrDefault(s => s.Span.Contains(node.Span)) ?? last;
                    break;
                }

                startStatement = startStatement.Parent?.FirstAncestorOrSelf<StatementSyntax>();
            }

            if (startStatement is not null && startStatement.Parent == last.Parent)
                first = startStatement;
            else
                return false;
        }

        return LockWrapping.TryWrap(editor, first, last, isStatic);
    }

    private static bool IsInStaticContext(SemanticModel model, SyntaxNode node, CancellationToken cancellationToken)
    {
        var member = node.FirstAncestorOrSelf<MemberDeclarationSyntax>(m => m is BaseMethodDeclarationSyntax or BasePropertyDeclarationSyntax or FieldDeclarationSyntax);
        return member is not null && model.GetDeclaredSymbol(member, cancellationToken) is { IsStatic: true }
            || member is FieldDeclarationSyntax field && field.Modifiers.Any(SyntaxKind.StaticKeyword);
    }

    /// <summary>
    /// <c>if (_x == null) _x = new X(…);</c> → <c>LazyInitializer.EnsureInitialized(ref _x, () => new X(…));</c>
    /// and <c>_x ??= new X(…)</c> → <c>LazyInitializer.EnsureInitialized(ref _x, () => new X(…))</c>.
    /// </summary>
    public static bool TryUseLazyInitializer(DocumentEditor editor, SyntaxNode node)
    {
        var initializerType = ConcurrencyCatalogue.For(editor.SemanticModel.Compilation).Types.LazyInitializer;
        if (initializerType is null)
            return false;

        ExpressionSyntax target;
        ExpressionSyntax creation;
        SyntaxNode replaced;
        switch (node)
        {
            case AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.CoalesceAssignmentExpression } coalesce:
                target = coalesce.Left;
                creation = coalesce.Right;
                replaced = coalesce;
                break;
            case ExpressionSyntax condition when condition.Parent is IfStatementSyntax { Else: null } ifStatement
                && SingleStatement(ifStatement.Statement) is ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.SimpleAssignmentExpression } assignment }:
                target = assignment.Left;
                creation = assignment.Right;
                replaced = ifStatement;
                break;
            default:
                return false;
        }

        var lazy = ((ExpressionSyntax)editor.Generator.TypeExpression(initializerType)).WithAdditionalAnnotations(Simplifier.AddImportsAnnotation);
        var call = InvocationExpression(
            MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, lazy, IdentifierName("EnsureInitialized")),
            ArgumentList(SeparatedList(new[]
            {
                Argument(target.WithoutTrivia()).WithRefKindKeyword(Token(SyntaxKind.RefKeyword).WithTrailingTrivia(Space)),
                Argument(ParenthesizedLambdaExpression(creation.WithoutTrivia()).WithArrowToken(Token(SyntaxKind.EqualsGreaterThanToken).WithLeadingTrivia(Space).WithTrailingTrivia(Space))),
            }, new[] { Token(SyntaxKind.CommaToken).WithTrailingTrivia(Space) })));

        SyntaxNode replacement = replaced is IfStatementSyntax ? ExpressionStatement(call) : call;
        editor.ReplaceNode(replaced, replacement.WithTriviaFrom(replaced));
        return true;
    }

    private static StatementSyntax? SingleStatement(StatementSyntax statement) =>
        statement is BlockSyntax block ? (block.Statements.Count == 1 ? block.Statements[0] : null) : statement;
}
