using System;
using Microsoft.CodeAnalysis;

namespace Lockstep.Analyzers.Model;

/// <summary>
/// A lock as the model knows it: the symbol it is reached through (a field, static field, property, local or
/// parameter), <c>this</c> of a type, or <c>typeof(T)</c>. Different instances reached through one field are one
/// lock class, as in Linux lockdep: two objects' <c>_sync</c> fields are "the same lock" for ordering purposes.
/// </summary>
internal readonly struct LockIdentity : IEquatable<LockIdentity>
{
    public LockIdentity(ISymbol symbol, LockShape shape, bool isMutualExclusion)
    {
        Symbol = symbol;
        Shape = shape;
        IsMutualExclusion = isMutualExclusion;
    }

    /// <summary>The field, property, local or parameter; the type for <c>this</c> and <c>typeof</c>.</summary>
    public ISymbol Symbol { get; }

    public LockShape Shape { get; }

    /// <summary>
    /// False for acquisitions that may admit several holders (a semaphore of unknown count, a read lock). They still
    /// count as synchronisation for race rules (precision first), not as exclusive ownership.
    /// </summary>
    public bool IsMutualExclusion { get; }

    public string Name => Shape switch
    {
        LockShape.This => "this",
        LockShape.TypeOf => "typeof(" + Symbol.Name + ")",
        _ => Symbol.Name,
    };

    public bool Equals(LockIdentity other) => Shape == other.Shape && SymbolEqualityComparer.Default.Equals(Symbol, other.Symbol);

    public override bool Equals(object? obj) => obj is LockIdentity other && Equals(other);

    public override int GetHashCode() => SymbolEqualityComparer.Default.GetHashCode(Symbol) * 31 + (int)Shape;

    public override string ToString() => Name;
}

internal enum LockShape
{
    Member,
    This,
    TypeOf,
}
