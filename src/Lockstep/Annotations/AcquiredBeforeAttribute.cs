using System;
using System.Collections.Generic;

namespace Lockstep;

/// <summary>
/// Part of a lock-order contract: the annotated lock is always taken before the named locks, never while one of them
/// is held. The analyzers report code that takes them in the other order (LS2003).
/// </summary>
/// <remarks>
/// <para>
/// Two threads that take the same two locks in opposite orders can deadlock. Writing the order down once lets the
/// analyzers check every nested acquisition against it, including acquisitions through calls. The contract can be
/// stated on either lock: <c>[AcquiredBefore(nameof(_b))]</c> on <c>_a</c> says the same as
/// <c>[AcquiredAfter(nameof(_a))]</c> on <c>_b</c>.
/// </para>
/// <example>
/// <code>
/// [AcquiredBefore(nameof(_ledger))]
/// private readonly object _accounts = new object();
///
/// private readonly object _ledger = new object();
///
/// public void Transfer()
/// {
///     lock (_accounts)      // first _accounts,
///     lock (_ledger)        // then _ledger: as declared
///     {
///         // ...
///     }
/// }
/// </code>
/// </example>
/// </remarks>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class AcquiredBeforeAttribute : Attribute
{
    /// <summary>Declares that the annotated lock is taken before each of <paramref name="lockNames"/>.</summary>
    /// <param name="lockNames">The names of lock fields or properties of the same type (<c>nameof(_ledger)</c>); at least one.</param>
    /// <exception cref="ArgumentNullException"><paramref name="lockNames"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="lockNames"/> is empty, or one of its names is null, empty or white space.</exception>
    public AcquiredBeforeAttribute(params string[] lockNames) => LockNames = Lockstep.LockNames.ValidateAll(lockNames, nameof(lockNames), "AcquiredBefore");

    /// <summary>The locks that are taken after the annotated one, in the order given.</summary>
    public IReadOnlyList<string> LockNames { get; }
}
