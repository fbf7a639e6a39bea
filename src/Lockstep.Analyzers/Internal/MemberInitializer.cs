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
}
