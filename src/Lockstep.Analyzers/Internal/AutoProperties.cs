using System.Collections.Generic;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace Lockstep.Analyzers.Internal;

/// <summary>
/// Whether a property is an auto-property (its value lives in a compiler-generated field, so reading and writing it is
/// a field access). Every reference asks, and the answer is in the type's members: the properties with a backing field
/// are worked out once per type (one pass over its members), not once per property.
/// </summary>
internal static class AutoProperties
{
    private static readonly ConditionalWeakTable<INamedTypeSymbol, HashSet<IPropertySymbol>> BackedByType = new();

    public static bool IsAutoProperty(IPropertySymbol property)
    {
        if (property.DeclaringSyntaxReferences.IsEmpty)
            return false;

        var type = property.ContainingType;
        return type is not null && BackedByType.GetValue(type, static t => Backed(t)).Contains(property);
    }

    private static HashSet<IPropertySymbol> Backed(INamedTypeSymbol type)
    {
        var backed = new HashSet<IPropertySymbol>(SymbolEqualityComparer.Default);
        foreach (var member in type.GetMembers())
        {
            if (member is IFieldSymbol { AssociatedSymbol: IPropertySymbol property })
                backed.Add(property);
        }

        return backed;
    }
}
