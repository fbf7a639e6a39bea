using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Lockstep.Analyzers.Internal;

/// <summary>What a field or property is created with, read from its declaration (<c>= new SemaphoreSlim(1, 1)</c>).</summary>
internal static class MemberInitializer
{
    /// <summary>The initializer expression of a field or auto-property declared once in source; null otherwise.</summary>
    public static ExpressionSyntax? Of(ISymbol member, CancellationToken cancellationToken = default)
    {
        if (member is not (IFieldSymbol or IPropertySymbol) || member.DeclaringSyntaxReferences.Length != 1)
            return null;

        return member.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) switch
        {
            VariableDeclaratorSyntax declarator => declarator.Initializer?.Value,
            PropertyDeclarationSyntax property => property.Initializer?.Value,
            _ => null,
        };
    }

    /// <summary>
    /// Every value a field or auto-property is created with in source: its initializer, or else the values the
    /// constructors of its type assign to it (<c>_evt = new SemaphoreSlim(0);</c>). Empty when it is assigned anywhere
    /// else too, or when it cannot be read from source.
    /// </summary>
    public static ImmutableArray<ExpressionSyntax> Creations(ISymbol member, CancellationToken cancellationToken = default)
    {
        if (Of(member, cancellationToken) is { } initializer)
            return ImmutableArray.Create(initializer);
        if (member is not (IFieldSymbol or IPropertySymbol) || member.ContainingType is not { } type)
            return ImmutableArray<ExpressionSyntax>.Empty;

        var values = ImmutableArray.CreateBuilder<ExpressionSyntax>();
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            var typeSyntax = reference.GetSyntax(cancellationToken);
            foreach (var assignment in System.Linq.Enumerable.OfType<AssignmentExpressionSyntax>(typeSyntax.DescendantNodes()))
            {
                var target = assignment.Left is MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax } access ? access.Name : assignment.Left as SimpleNameSyntax;
                if (target?.Identifier.ValueText != member.Name)
                    continue;

                // A nested type's member of the same name is another field.
                var owner = System.Linq.Enumerable.FirstOrDefault(assignment.Ancestors(), a => a is BaseTypeDeclarationSyntax);
                if (owner != typeSyntax)
                    continue;

                // Only constructors: an assignment anywhere else may put any semaphore there.
                bool inConstructor = false;
                for (var node = assignment.Parent; node is not null; node = node.Parent)
                {
                    if (node is ConstructorDeclarationSyntax)
                    {
                        inConstructor = true;
                        break;
                    }

                    if (node is BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)
                        break;
                }

                if (!inConstructor)
                    return ImmutableArray<ExpressionSyntax>.Empty;
                values.Add(assignment.Right);
            }
        }

        return values.ToImmutable();
    }
}
