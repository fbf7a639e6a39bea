using Lockstep.Analyzers.Catalogue;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Simplification;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace Lockstep.Analyzers.Internal;

/// <summary>
/// A collection local mutated from a parallel body becomes its System.Collections.Concurrent counterpart, when every
/// use of the local is one the counterpart supports with the same meaning (List → ConcurrentBag when only added to,
/// counted and enumerated; Dictionary → ConcurrentDictionary; Queue → ConcurrentQueue; Stack → ConcurrentStack).
/// Otherwise the fix falls back to a lock.
/// </summary>
internal static class ConcurrentCollectionRepair
{
    public static bool TryReplace(DocumentEditor editor, SyntaxNode mutation, CancellationToken cancellationToken)
    {
        var model = editor.SemanticModel;
        var receiver = mutation switch
        {
            InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access } => access.Expression,
            AssignmentExpressionSyntax { Left: ElementAccessExpressionSyntax element } => element.Expression,
            _ => null,
        };

        if (receiver is null || model.GetSymbolInfo(receiver, cancellationToken).Symbol is not ILocalSymbol local
            || local.Type is not INamedTypeSymbol { IsGenericType: true } collectionType
            || !ConcurrencyCatalogue.For(model.Compilation).Collections.TryGetConcurrentCounterpart(collectionType, out var targetDefinition, out var sharedMembers)
            || local.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) is not VariableDeclaratorSyntax declarator
            || declarator.Parent is not VariableDeclarationSyntax declaration
            || declarator.Initializer?.Value is not BaseObjectCreationExpressionSyntax { Initializer: null } creation
            || creation.ArgumentList is { Arguments.Count: > 0 })
        {
            return false;
        }

        var targetType = targetDefinition.Construct(collectionType.TypeArguments.ToArray());
        var scope = declaration.FirstAncestorOrSelf<BlockSyntax>();
        if (scope is null || !AllUsesSupported(model, scope, local, sharedMembers, targetType, cancellationToken))
            return false;

        var typeSyntax = ((TypeSyntax)editor.Generator.TypeExpression(targetType)).WithAdditionalAnnotations(Simplifier.AddImportsAnnotation);
        editor.ReplaceNode(creation, ObjectCreationExpression(typeSyntax.WithLeadingTrivia(Space), ArgumentList(), null).WithTriviaFrom(creation));
        if (!declaration.Type.IsVar)
            editor.ReplaceNode(declaration.Type, typeSyntax.WithTriviaFrom(declaration.Type));
        return true;
    }

    private static bool AllUsesSupported(SemanticModel model, BlockSyntax scope, ILocalSymbol local, string[] members, ITypeSymbol targetType, CancellationToken cancellationToken)
    {
        foreach (var identifier in scope.DescendantNodes().OfType<IdentifierNameSyntax>())
        {
            if (identifier.Identifier.ValueText != local.Name || !SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(identifier, cancellationToken).Symbol, local))
                continue;

            bool supported = identifier.Parent switch
            {
                MemberAccessExpressionSyntax access when access.Expression == identifier =>
                    members.Contains(access.Name.Identifier.ValueText) || IsEnumerableExtension(model, access, cancellationToken),
                ElementAccessExpressionSyntax element when element.Expression == identifier => members.Contains("this[]"),
                ForEachStatementSyntax forEach when forEach.Expression == identifier => true,
                ArgumentSyntax argument => ArgumentAccepts(model, argument, targetType, cancellationToken),
                _ => false,
            };

            if (!supported)
                return false;
        }

        return true;
    }

    private static bool IsEnumerableExtension(SemanticModel model, MemberAccessExpressionSyntax access, CancellationToken cancellationToken) =>
        model.GetSymbolInfo(access, cancellationToken).Symbol is IMethodSymbol { IsExtensionMethod: true } method
        && method.ContainingType.ToDisplayString() == "System.Linq.Enumerable";

    private static bool ArgumentAccepts(SemanticModel model, ArgumentSyntax argument, ITypeSymbol targetType, CancellationToken cancellationToken)
    {
        if (argument.Parent?.Parent is not InvocationExpressionSyntax invocation
            || model.GetSymbolInfo(invocation, cancellationToken).Symbol is not IMethodSymbol method
            || argument.RefKindKeyword != default)
        {
            return false;
        }

        int index = ((ArgumentListSyntax)argument.Parent).Arguments.IndexOf(argument);
        var parameter = argument.NameColon is { } name
            ? method.Parameters.FirstOrDefault(p => p.Name == name.Name.Identifier.ValueText)
            : index < method.Parameters.Length ? method.Parameters[index] : method.Parameters.LastOrDefault();
        return parameter is not null && model.Compilation.ClassifyConversion(targetType, parameter.Type).IsImplicit;
    }
}
