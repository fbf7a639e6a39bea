using System;

namespace Lockstep;

/// <summary>
/// Declares that callers must already hold the named lock when they call the method, constructor or property, so
/// its body may touch members marked <see cref="GuardedByAttribute"/> with the same lock without taking it again.
/// The analyzers check the callers instead (LS1005).
/// </summary>
/// <remarks>
/// <para>
/// Use it for the private helpers of a type whose public members take the lock once and then call several of them.
/// Apply it once per lock when a member needs several.
/// </para>
/// <example>
/// <code>
/// private readonly object _sync = new object();
///
/// [GuardedBy(nameof(_sync))]
/// private readonly Queue&lt;Order&gt; _pending = new Queue&lt;Order&gt;();
///
/// public void Submit(Order order)
/// {
///     lock (_sync)
///     {
///         _pending.Enqueue(order);
///         TrimBacklog();
///     }
/// }
///
/// [RequiresLock(nameof(_sync))]
/// private void TrimBacklog()
/// {
///     while (_pending.Count &gt; 1000)
///         _pending.Dequeue();
/// }
/// </code>
/// </example>
/// </remarks>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Constructor | AttributeTargets.Property, AllowMultiple = true, Inherited = false)]
public sealed class RequiresLockAttribute : Attribute
{
    /// <summary>Declares that callers of the annotated member must hold <paramref name="lockName"/>.</summary>
    /// <param name="lockName">The name of the lock field or property of the same type (<c>nameof(_sync)</c>), or <c>"this"</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="lockName"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="lockName"/> is empty or consists only of white space.</exception>
    public RequiresLockAttribute(string lockName) => LockName = LockNames.Validate(lockName, nameof(lockName), "RequiresLock");

    /// <summary>The name of the lock callers must hold: a field or property of the same type, or <c>"this"</c>.</summary>
    public string LockName { get; }
}
