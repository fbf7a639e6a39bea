using System;

namespace Lockstep;

/// <summary>
/// Declares that every read and write of the field or property must happen while the named lock is held. The
/// analyzers report an access without it (LS1005).
/// </summary>
/// <remarks>
/// <para>
/// The lock is named by a field or property of the same type, written with <c>nameof</c> so that renames follow,
/// or by <c>"this"</c> for code that locks the instance itself. Any lock the analyzers understand counts as held:
/// a <c>lock</c> statement, <c>Monitor.Enter</c>/<c>Exit</c>, <c>System.Threading.Lock</c>, and the other kinds
/// listed in the rules documentation. Code in a member marked <see cref="RequiresLockAttribute"/> with the same lock
/// counts as holding it, and constructors may initialize the field without it.
/// </para>
/// <example>
/// <code>
/// private readonly object _sync = new object();
///
/// [GuardedBy(nameof(_sync))]
/// private int _balance;
///
/// public void Deposit(int amount)
/// {
///     lock (_sync)
///     {
///         _balance += amount;
///     }
/// }
/// </code>
/// </example>
/// </remarks>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class GuardedByAttribute : Attribute
{
    /// <summary>Declares that the annotated member may be accessed only while <paramref name="lockName"/> is held.</summary>
    /// <param name="lockName">The name of the lock field or property of the same type (<c>nameof(_sync)</c>), or <c>"this"</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="lockName"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="lockName"/> is empty or consists only of white space.</exception>
    public GuardedByAttribute(string lockName) => LockName = LockNames.Validate(lockName, nameof(lockName), "GuardedBy");

    /// <summary>The name of the lock that must be held: a field or property of the same type, or <c>"this"</c>.</summary>
    public string LockName { get; }
}
