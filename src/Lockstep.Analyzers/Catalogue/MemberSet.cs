using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace Lockstep.Analyzers.Catalogue;

/// <summary>
/// Some members of one type, resolved to symbols once per compilation, so the rules ask "is this call one of them?"
/// by symbol identity instead of comparing names. An override counts as the member it overrides (a
/// <c>FileStream.Read</c> call is a <c>Stream.Read</c>), and a reduced extension call as the extension method.
/// </summary>
internal sealed class MemberSet
{
    public static readonly MemberSet Empty = new(ImmutableHashSet<ISymbol>.Empty);

    private readonly ImmutableHashSet<ISymbol> _members;

    private MemberSet(ImmutableHashSet<ISymbol> members) => _members = members;

    /// <summary>Every member of <paramref name="type"/> with one of <paramref name="names"/>, all overloads included.</summary>
    public static MemberSet Of(INamedTypeSymbol? type, params string[] names)
    {
        if (type is null)
            return Empty;

        var builder = ImmutableHashSet.CreateBuilder<ISymbol>(SymbolEqualityComparer.Default);
        foreach (var name in names)
        {
            foreach (var member in type.GetMembers(name))
                builder.Add(member.OriginalDefinition);
        }

        return new MemberSet(builder.ToImmutable());
    }

    /// <summary>The members of several sets together.</summary>
    public static MemberSet Union(params MemberSet[] sets)
    {
        var builder = ImmutableHashSet.CreateBuilder<ISymbol>(SymbolEqualityComparer.Default);
        foreach (var set in sets)
            builder.UnionWith(set._members);
        return new MemberSet(builder.ToImmutable());
    }

    public bool IsEmpty => _members.IsEmpty;

    public bool Contains(ISymbol? member)
    {
        if (member is null || _members.IsEmpty)
            return false;

        if (member is IMethodSymbol { ReducedFrom: { } extension })
            member = extension;

        for (var current = member; current is not null; current = Overridden(current))
        {
            if (_members.Contains(current.OriginalDefinition))
                return true;
        }

        return false;
    }

    private static ISymbol? Overridden(ISymbol member) => member switch
    {
        IMethodSymbol method => method.OverriddenMethod,
        IPropertySymbol property => property.OverriddenProperty,
        IEventSymbol @event => @event.OverriddenEvent,
        _ => null,
    };
}
