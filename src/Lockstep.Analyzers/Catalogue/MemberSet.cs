using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace Lockstep.Analyzers.Catalogue;

/// <summary>
/// Some members of one type, resolved to symbols once per compilation, so the rules ask "is this call one of them?"
/// by symbol identity instead of comparing names. An override counts as the member it overrides (a
/// <c>FileStream.Read</c> call is a <c>Stream.Read</c>), and a reduced extension call as the extension method.
/// </summary>
/// <remarks>
/// Asked for nearly every call and property of the compilation, so the sets are plain hash sets, never changed after
/// construction (safe to read from any thread), with the members' names as a cheap first test: most calls are to
/// members of another name.
/// </remarks>
internal sealed class MemberSet
{
    public static readonly MemberSet Empty = new(new HashSet<ISymbol>(SymbolEqualityComparer.Default));

    private readonly HashSet<ISymbol> _members;
    private readonly HashSet<string> _names = new(System.StringComparer.Ordinal);

    private MemberSet(HashSet<ISymbol> members)
    {
        _members = members;
        foreach (var member in members)
            _names.Add(member.Name);
    }

    /// <summary>Every member of <paramref name="type"/> with one of <paramref name="names"/>, all overloads included.</summary>
    public static MemberSet Of(INamedTypeSymbol? type, params string[] names)
    {
        if (type is null)
            return Empty;

        var members = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        foreach (var name in names)
        {
            foreach (var member in type.GetMembers(name))
                members.Add(member.OriginalDefinition);
        }

        return new MemberSet(members);
    }

    /// <summary>The members of several sets together.</summary>
    public static MemberSet Union(params MemberSet[] sets)
    {
        var members = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        foreach (var set in sets)
            members.UnionWith(set._members);
        return new MemberSet(members);
    }

    public bool IsEmpty => _members.Count == 0;

    public bool Contains(ISymbol? member)
    {
        if (member is null || !_names.Contains(member.Name))
            return false; // an override and a reduced extension keep the name of what they override or reduce

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
