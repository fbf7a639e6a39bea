using Lockstep.Analyzers.Catalogue;
using Lockstep.Analyzers.Rules.DataRace;
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

    /// <summary>
    /// Locks the region <see cref="RaceFixShapes.LockRegion"/> finds: a lambda's expression body, or the statements from the
    /// earlier read to the race, with the sleeps among them moved in front of the lock (a delay computes nothing, and the
    /// lock would otherwise hold it: LS5002).
    /// </summary>
    public static bool TryLock(DocumentEditor editor, SyntaxNode node, int? regionStart, CancellationToken cancellationToken)
    {
        bool isStatic = IsInStaticContext(editor.SemanticModel, node, cancellationToken);
        return RaceFixShapes.LockRegion(node, regionStart) switch
        {
            { Lambda: { } lambda } => LockWrapping.TryWrapLambdaBody(editor, lambda, isStatic),
            { Arrow: { } arrow } => LockWrapping.TryWrapExpressionBody(editor, arrow, isStatic, cancellationToken),
            { First: { } first, Last: { } last } => LockWrapping.TryWrap(editor, first, last, isStatic, RaceFixShapes.SleepsToMoveOut(first, last, editor.SemanticModel, cancellationToken)),
            _ => false,
        };
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
        if (initializerType is null || RaceFixShapes.LazyInitialization(node) is not var (target, creation, replaced))
            return false;

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
}
