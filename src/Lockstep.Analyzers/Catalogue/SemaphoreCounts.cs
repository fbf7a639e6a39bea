using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Lockstep.Analyzers.Catalogue;

/// <summary>
/// Whether a <c>SemaphoreSlim</c> is created with a count of one (<c>new SemaphoreSlim(1, 1)</c>, <c>new(1)</c>): such a
/// semaphore admits one holder at a time and is a lock; any other count makes it a signal or a throttle.
/// </summary>
internal static class SemaphoreCounts
{
    /// <summary>
    /// A semaphore field or property every creation of which in source (its initializer, or the constructors' assignments)
    /// has a count other than one: <c>new SemaphoreSlim(0)</c> is a signal, <c>new SemaphoreSlim(4)</c> a throttle. Its
    /// waits take no lock: they wait for a signal or a permit.
    /// </summary>
    public static bool IsKnownNonMutex(IOperation? subject, System.Threading.CancellationToken cancellationToken = default)
    {
        while (subject is IConversionOperation conversion)
            subject = conversion.Operand;
        ISymbol? member = subject switch
        {
            IFieldReferenceOperation field => field.Field,
            IPropertyReferenceOperation property => property.Property,
            _ => null,
        };
        if (member is null)
            return false;

        var creations = Internal.MemberInitializer.Creations(member, cancellationToken);
        if (creations.IsEmpty)
            return false;
        foreach (var creation in creations)
        {
            if (IsSingleCount(creation) || creation is not BaseObjectCreationExpressionSyntax)
                return false;
        }

        return true;
    }

    public static bool IsSingleCount(ExpressionSyntax initializer)
    {
        if (initializer is not BaseObjectCreationExpressionSyntax { ArgumentList.Arguments: var arguments } || arguments.Count is not (1 or 2))
            return false;

        foreach (var argument in arguments)
        {
            if (argument.Expression is not LiteralExpressionSyntax { Token.ValueText: "1" })
                return false;
        }

        return true;
    }
}
