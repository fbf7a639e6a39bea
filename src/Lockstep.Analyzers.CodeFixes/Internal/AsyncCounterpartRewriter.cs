using Lockstep.Analyzers.Catalogue;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace Lockstep.Analyzers.Internal;

/// <summary>
/// <c>Pause(x)</c> → <c>await PauseAsync(x)</c> (LS3003, and LS5002 under an async lock): calls and awaits the awaitable
/// twin the analyzer named, passing the cancellation token in scope when the twin takes one more (optional) token.
/// </summary>
internal static class AsyncCounterpartRewriter
{
    public static Task ApplyAsync(DocumentEditor editor, SyntaxNode node, string counterpartName, CancellationToken cancellationToken)
    {
        if (node is not InvocationExpressionSyntax invocation)
            return Task.CompletedTask;

        string? token = TakesExtraToken(editor.SemanticModel, invocation, cancellationToken)
            ? CancellationTokenInScope.FindSingle(editor.SemanticModel, invocation, cancellationToken)
            : null;

        editor.ReplaceNode(invocation, (current, _) =>
        {
            if (current is not InvocationExpressionSyntax call || Rename(call.Expression, counterpartName) is not { } renamed)
                return current;

            var asyncCall = call.WithExpression(renamed).WithArgumentList(AwaitRewriter.WithToken(call.ArgumentList, token));
            return AwaitRewriter.Await(asyncCall.WithoutTrivia(), current).WithTriviaFrom(current);
        });
        return Task.CompletedTask;
    }

    /// <summary>Whether the twin has one more (optional) parameter than the call passes: the cancellation token.</summary>
    private static bool TakesExtraToken(SemanticModel model, InvocationExpressionSyntax invocation, CancellationToken cancellationToken)
    {
        if (model.GetSymbolInfo(invocation, cancellationToken).Symbol is not IMethodSymbol callee)
            return false;

        return ConcurrencyCatalogue.For(model.Compilation).Blocking.FindAsyncCounterpart(callee.ReducedFrom ?? callee) is { } counterpart
            && counterpart.Parameters.Length == (callee.ReducedFrom ?? callee).Parameters.Length + 1;
    }

    private static ExpressionSyntax? Rename(ExpressionSyntax expression, string name) => expression switch
    {
        IdentifierNameSyntax identifier => identifier.WithIdentifier(Identifier(name).WithTriviaFrom(identifier.Identifier)),
        GenericNameSyntax generic => generic.WithIdentifier(Identifier(name).WithTriviaFrom(generic.Identifier)),
        MemberAccessExpressionSyntax access when Rename(access.Name, name) is SimpleNameSyntax renamed => access.WithName(renamed),
        _ => null,
    };
}
