using System;
using System.Collections.Generic;

namespace Lockstep;

/// <summary>
/// Part of a lock-order contract: the annotated lock is always taken after the named locks, never before one of
/// them while it is held. The analyzers report code that takes them in the other order (LS2003).
/// </summary>
/// <remarks>
/// <para>
/// The mirror image of <see cref="AcquiredBeforeAttribute"/>: <c>[AcquiredAfter(nameof(_a))]</c> on <c>_b</c>
/// says the same as <c>[AcquiredBefore(nameof(_b))]</c> on <c>_a</c>. Put the contract on whichever lock reads
/// better, for example on the inner lock of a type that adds a lock to an existing design.
/// </para>
/// <example>
/// <code>
/// private readonly object _accounts = new object();
///
/// [AcquiredAfter(nameof(_accounts))]
/// private readonly object _ledger = new object();
/// </code>
/// </example>
/// </remarks>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class AcquiredAfterAttribute : Attribute
{
    /// <summary>Declares that the annotated lock is taken after each of <paramref name="lockNames"/>.</summary>
    /// <param name="lockNames">The names of lock fields or properties of the same type (<c>nameof(_accounts)</c>); at least one.</param>
    /// <exception cref="ArgumentNullException"><paramref name="lockNames"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="lockNames"/> is empty, or one of its names is null, empty or white space.</exception>
    public AcquiredAfterAttribute(params string[] lockNames) => LockNames = Lockstep.LockNames.ValidateAll(lockNames, nameof(lockNames), "AcquiredAfter");

    /// <summary>The locks that are taken before the annotated one, in the order given.</summary>
    public IReadOnlyList<string> LockNames { get; }
}
