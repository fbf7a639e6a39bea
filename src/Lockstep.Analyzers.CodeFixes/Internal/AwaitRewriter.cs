using Lockstep.Analyzers.Catalogue;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Simplification;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace Lockstep.Analyzers.Internal;

/// <summary>
/// The rewrites shared by the LS3xxx fixes: each turns a blocking expression into the awaited form with the same
/// meaning, parenthesised only where the position needs it, so
/// <c>t.Result.Length</c> becomes <c>(await t).Length</c> and <c>var x = t.Result;</c> becomes <c>var x = await t;</c>.
/// </summary>
internal static class AwaitRewriter
{
    /// <summary>Replaces <paramref name="node"/> (in the editor's original tree) according to <paramref name="fix"/>.</summary>
    public static Task ApplyAsync(DocumentEditor editor, SyntaxNode node, AwaitFixKind fix, CancellationToken cancellationToken)
    {
        string? token = NeedsToken(editor.SemanticModel, node, fix, cancellationToken)
            ? CancellationTokenInScope.FindSingle(editor.SemanticModel, node, cancellationToken)
            : null;
        var taskType = ConcurrencyCatalogue.For(editor.SemanticModel.Compilation).Types.Task;
        if (taskType is null)
            return Task.CompletedTask;

        var taskTypeSyntax = (ExpressionSyntax)editor.Generator.TypeExpression(taskType).WithAdditionalAnnotations(Simplifier.AddImportsAnnotation);
        editor.ReplaceNode(node, (current, _) => Rewrite(current, fix, token, taskTypeSyntax) ?? current);
        return Task.CompletedTask;
    }

    /// <summary>Task.Delay, WaitAsync and a read's twin that takes one can take the token in scope, unless the call already passes one.</summary>
    private static bool NeedsToken(SemanticModel model, SyntaxNode node, AwaitFixKind fix, CancellationToken cancellationToken)
    {
        if (fix is not (AwaitFixKind.TaskDelay or AwaitFixKind.WaitAsync or AwaitFixKind.AsyncCounterpart))
            return false;

        if (model.GetSymbolInfo(node, cancellationToken).Symbol is not IMethodSymbol method)
            return false;

        if (fix == AwaitFixKind.AsyncCounterpart
            && (model.GetOperation(node, cancellationToken) is not Microsoft.CodeAnalysis.Operations.IInvocationOperation read
                || ConcurrencyCatalogue.For(model.Compilation).Blocking.FindReadTwin(read, out bool takesToken) is null
                || !takesToken))
        {
            return false;
        }

        foreach (var parameter in method.Parameters)
        {
            if (parameter.Type.Name == nameof(CancellationToken))
                return false;
        }

        return true;
    }

    private static SyntaxNode? Rewrite(SyntaxNode current, AwaitFixKind fix, string? token, ExpressionSyntax taskType)
    {
        ExpressionSyntax? awaited = fix switch
        {
            AwaitFixKind.TaskDelay when current is InvocationExpressionSyntax sleep =>
                InvocationExpression(
                    MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, taskType, IdentifierName("Delay")),
                    WithToken(WithoutNames(sleep.ArgumentList), token)),

            AwaitFixKind.AwaitInstance when current is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax wait } =>
                wait.Expression,

            AwaitFixKind.AwaitResult when current is MemberAccessExpressionSyntax result =>
                result.Expression,

            AwaitFixKind.AwaitResult when current is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Expression: InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax getAwaiter } } } =>
                getAwaiter.Expression,

            AwaitFixKind.WaitAsync when current is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax wait } invocation =>
                invocation
                    .WithExpression(wait.WithName(IdentifierName("WaitAsync")))
                    .WithArgumentList(WithToken(invocation.ArgumentList, token)),

            AwaitFixKind.WhenAll when current is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax waitAll } invocation =>
                invocation.WithExpression(waitAll.WithName(IdentifierName("WhenAll"))),

            AwaitFixKind.WhenAny when current is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax waitAny } invocation =>
                invocation.WithExpression(waitAny.WithName(IdentifierName("WhenAny"))),

            // await Task.Run(() => expression): the same call on a pool thread, awaited.
            AwaitFixKind.Offload when current is ExpressionSyntax blocking =>
                InvocationExpression(
                    MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, taskType, IdentifierName("Run")),
                    ArgumentList(SingletonSeparatedList(Argument(ParenthesizedLambdaExpression(blocking.WithoutTrivia()))))),

            AwaitFixKind.AsyncCounterpart when current is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax read } invocation =>
                invocation
                    .WithExpression(read.WithName(IdentifierName(read.Name.Identifier.ValueText + "Async")))
                    .WithArgumentList(WithToken(invocation.ArgumentList, token)),

            AwaitFixKind.AsyncCounterpart when current is InvocationExpressionSyntax { Expression: IdentifierNameSyntax read } invocation =>
                invocation
                    .WithExpression(read.WithIdentifier(Identifier(read.Identifier.ValueText + "Async")))
                    .WithArgumentList(WithToken(invocation.ArgumentList, token)),

            _ => null,
        };

        return awaited is null ? null : Await(awaited.WithoutTrivia(), current).WithTriviaFrom(current);
    }

    /// <summary>
    /// <c>await x</c> to stand where <paramref name="replaced"/> stood, parenthesised only when the position binds
    /// tighter than a unary expression (member access, element access, invocation, postfix operator).
    /// </summary>
    public static ExpressionSyntax Await(ExpressionSyntax operand, SyntaxNode replaced)
    {
        // An earlier fix may have left '(await t)' as the receiver; 'await await t' needs no parentheses.
        if (operand is ParenthesizedExpressionSyntax { Expression: AwaitExpressionSyntax inner })
            operand = inner;

        ExpressionSyntax awaited = AwaitExpression(Token(SyntaxKind.AwaitKeyword).WithTrailingTrivia(Space), operand);
        bool needsParentheses = replaced.Parent switch
        {
            MemberAccessExpressionSyntax access => access.Expression == replaced,
            ElementAccessExpressionSyntax element => element.Expression == replaced,
            InvocationExpressionSyntax invocation => invocation.Expression == replaced,
            ConditionalAccessExpressionSyntax conditional => conditional.Expression == replaced,
            PostfixUnaryExpressionSyntax => true,
            _ => false,
        };

        return needsParentheses ? ParenthesizedExpression(awaited) : awaited;
    }

    /// <summary>Appends <paramref name="token"/> as the last argument when there is one to pass.</summary>
    public static ArgumentListSyntax WithToken(ArgumentListSyntax arguments, string? token)
    {
        if (token is null)
            return arguments;

        var nodes = new System.Collections.Generic.List<ArgumentSyntax>(arguments.Arguments) { Argument(IdentifierName(token)) };
        var separators = new System.Collections.Generic.List<SyntaxToken>(arguments.Arguments.GetSeparators());
        while (separators.Count < nodes.Count - 1)
            separators.Add(Token(SyntaxKind.CommaToken).WithTrailingTrivia(Space));

        return arguments.WithArguments(SeparatedList(nodes, separators));
    }

    /// <summary>Task.Delay names its parameters differently from Thread.Sleep, so named arguments become positional.</summary>
    private static ArgumentListSyntax WithoutNames(ArgumentListSyntax arguments)
    {
        var positional = new System.Collections.Generic.List<ArgumentSyntax>();
        foreach (var argument in arguments.Arguments)
            positional.Add(argument.WithNameColon(null));

        return arguments.WithArguments(SeparatedList(positional, arguments.Arguments.GetSeparators()));
    }
}
