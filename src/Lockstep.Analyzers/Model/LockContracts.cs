using System.Collections.Immutable;
using Lockstep.Analyzers.Catalogue;
using Microsoft.CodeAnalysis;

namespace Lockstep.Analyzers.Model;

/// <summary>
/// The lock contracts a program writes with the runtime library's attributes: <c>[GuardedBy(nameof(_sync))]</c> on a
/// field or property (it may be touched only while that lock is held) and <c>[RequiresLock(nameof(_sync))]</c> on a
/// method or property (its callers hold the lock, so it runs under it). A name is a member of the annotated member's
/// type, or <c>"this"</c>.
/// </summary>
internal static class LockContracts
{
    /// <summary>The name <c>"this"</c> stands for the object itself, as in <c>lock (this)</c>.</summary>
    public const string This = "this";

    public static string? GuardOf(ISymbol member, KnownTypes types) => NameArgument(member, types.GuardedByAttribute);

    public static string? RequiredLock(ISymbol member, KnownTypes types) => NameArgument(member, types.RequiresLockAttribute);

    /// <summary>The locks a member may assume because it (or the property it is an accessor of) is marked [RequiresLock].</summary>
    public static ImmutableHashSet<LockIdentity> DeclaredLocks(ISymbol member, KnownTypes types)
    {
        if (types.RequiresLockAttribute is null)
            return ImmutableHashSet<LockIdentity>.Empty;

        var owner = member is IMethodSymbol { AssociatedSymbol: { } property } ? property : member;
        string? name = RequiredLock(member, types) ?? RequiredLock(owner, types);
        if (name is null || member.ContainingType is not { } type)
            return ImmutableHashSet<LockIdentity>.Empty;

        if (name == This)
            return ImmutableHashSet.Create(new LockIdentity(type, LockShape.This, true));

        foreach (var lockMember in type.GetMembers(name))
            return ImmutableHashSet.Create(new LockIdentity(lockMember.OriginalDefinition, LockShape.Member, true));
        return ImmutableHashSet<LockIdentity>.Empty;
    }

    /// <summary>Whether a held lock is the one a contract names: the member of that name, or <c>this</c>.</summary>
    public static bool Names(LockIdentity held, string name) =>
        name == This ? held.Shape == LockShape.This : held.Shape == LockShape.Member && held.Symbol.Name == name;

    private static string? NameArgument(ISymbol member, INamedTypeSymbol? attribute)
    {
        if (attribute is null)
            return null;

        foreach (var data in member.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(data.AttributeClass, attribute)
                && data.ConstructorArguments.Length == 1
                && data.ConstructorArguments[0].Value is string { Length: > 0 } name)
            {
                return name;
            }
        }

        return null;
    }
}
