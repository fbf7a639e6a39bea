using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace Lockstep.Analyzers.Internal;

/// <summary>
/// Whether a property is an auto-property (its value lives in a compiler-generated field, so reading and writing it is
/// a field access). Memoised per property: every reference asks, and the answer looks at every member of the type.
/// </summary>
internal static class AutoProperties
{
    private static readonly ConditionalWeakTable<IPropertySymbol, object> Answers = new();

    public static bool IsAutoProperty(IPropertySymbol property) =>
        (bool)Answers.GetValue(property, static p => Compute(p));

    private static bool Compute(IPropertySymbol property)
    {
        if (property.DeclaringSyntaxReferences.IsEmpty)
            return false;

        foreach (var member in property.ContainingType.GetMembers())
        {
            if (member is IFieldSymbol field && SymbolEqualityComparer.Default.Equals(field.AssociatedSymbol, property))
                return true;
        }

        return false;
    }
}
