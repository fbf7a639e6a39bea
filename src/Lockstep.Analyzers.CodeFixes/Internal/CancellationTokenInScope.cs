using Lockstep.Analyzers.Catalogue;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Lockstep.Analyzers.Internal;

/// <summary>
/// The one <see cref="System.Threading.CancellationToken"/> a fix can pass along: the single local or parameter of that
/// type visible at a position. With none or several, the fix passes none rather than guess which one the caller meant.
/// </summary>
internal static class CancellationTokenInScope
{
    public static string? FindSingle(SemanticModel model, SyntaxNode node, CancellationToken cancellationToken)
    {
        var tokenType = ConcurrencyCatalogue.For(model.Compilation).Types.CancellationToken;
        if (tokenType is null)
            return null;

        var staticBoundary = FindStaticFunctionBoundary(model, node, cancellationToken);
        string? found = null;
        foreach (var symbol in model.LookupSymbols(node.SpanStart))
        {
            var (type, declaredAt) = symbol switch
            {
                ILocalSymbol local => (local.Type, DeclarationEnd(local)),
                IParameterSymbol parameter => (parameter.Type, 0),
                _ => (null, 0),
            };

            if (type is null || !SymbolEqualityComparer.Default.Equals(type, tokenType) || declaredAt > node.SpanStart)
                continue;

            // A static lambda or local function cannot capture the outer function's locals and parameters.
            if (staticBoundary is not null && !IsInside(symbol, staticBoundary))
                continue;

            if (found is not null)
                return null;
            found = symbol.Name;
        }

        return found;
    }

    private static int DeclarationEnd(ILocalSymbol local) =>
        local.DeclaringSyntaxReferences.Length > 0 ? local.DeclaringSyntaxReferences[0].Span.End : int.MaxValue;

    private static IMethodSymbol? FindStaticFunctionBoundary(SemanticModel model, SyntaxNode node, CancellationToken cancellationToken)
    {
        for (var current = node.Parent; current is not null; current = current.Parent)
        {
            bool isStatic = current switch
            {
                AnonymousFunctionExpressionSyntax lambda => lambda.Modifiers.Any(Microsoft.CodeAnalysis.CSharp.SyntaxKind.StaticKeyword),
                LocalFunctionStatementSyntax local => local.Modifiers.Any(Microsoft.CodeAnalysis.CSharp.SyntaxKind.StaticKeyword),
                _ => false,
            };

            if (isStatic)
                return model.GetSymbolInfo(current, cancellationToken).Symbol as IMethodSymbol ?? model.GetDeclaredSymbol(current, cancellationToken) as IMethodSymbol;
        }

        return null;
    }

    private static bool IsInside(ISymbol symbol, IMethodSymbol function)
    {
        for (var container = symbol.ContainingSymbol; container is not null; container = container.ContainingSymbol)
        {
            if (SymbolEqualityComparer.Default.Equals(container, function))
                return true;
        }

        return false;
    }
}
