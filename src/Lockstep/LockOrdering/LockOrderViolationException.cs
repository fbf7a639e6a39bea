using System;

namespace Lockstep;

/// <summary>
/// Thrown by an <see cref="OrderedLock"/> acquisition under <see cref="LockOrderPolicy.Throw"/> when it could
/// deadlock. The lock was not taken; the locks the thread already held are still held.
/// </summary>
public sealed class LockOrderViolationException : InvalidOperationException
{
    /// <summary>Creates the exception for <paramref name="violation"/>, with its <see cref="PotentialDeadlock.Message"/>.</summary>
    /// <param name="violation">The potential deadlock found.</param>
    /// <exception cref="ArgumentNullException"><paramref name="violation"/> is <see langword="null"/>.</exception>
    public LockOrderViolationException(PotentialDeadlock violation)
        : base((violation ?? throw new ArgumentNullException(nameof(violation))).Message)
    {
        Violation = violation;
    }

    /// <summary>The potential deadlock found, with the lock names and both acquisition sites of every edge.</summary>
    public PotentialDeadlock Violation { get; }
}
