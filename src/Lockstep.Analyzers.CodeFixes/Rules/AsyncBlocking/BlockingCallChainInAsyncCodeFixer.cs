using Lockstep.Analyzers.Catalogue;
using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using Lockstep.Analyzers.Internal;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace Lockstep.Analyzers.Rules.AsyncBlocking;

/// <summary>
/// LS3003: when the blocking callee has an awaitable twin (<c>Pause</c> / <c>PauseAsync</c>), calls and awaits the twin,
/// passing the cancellation token in scope when the twin takes one. Without a twin there is no mechanical fix.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(BlockingCallChainInAsyncCodeFixer))]
public sealed class BlockingCallChainInAsyncCodeFixer : CodeFixProvider
{
    public const string EquivalenceKey = "LS3003.AwaitAsyncCounterpart";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(DiagnosticIds.BlockingCallChainInAsyncCode);

    public override FixAllProvider GetFixAllProvider() => EditorFixAllProvider.Create(ApplyAsync);

    public override Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            if (diagnostic.Properties.TryGetValue(DiagnosticPropertyKeys.AsyncCounterpart, out var counterpart) && counterpart is not null)
                EditorFixAllProvider.Register(context, diagnostic, $"Await '{counterpart}' instead", EquivalenceKey, ApplyAsync);
        }

        return Task.CompletedTask;
    }

    private static Task ApplyAsync(DocumentEditor editor, Diagnostic diagnostic, SyntaxNode node, CancellationToken cancellationToken)
    {
        if (node is not InvocationExpressionSyntax invocation
            || !diagnostic.Properties.TryGetValue(DiagnosticPropertyKeys.AsyncCounterpart, out var counterpartName)
            || counterpartName is null)
        {
            return Task.CompletedTask;
        }

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
