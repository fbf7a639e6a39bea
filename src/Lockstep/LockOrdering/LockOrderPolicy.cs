namespace Lockstep;

/// <summary>What <see cref="LockOrderValidator"/> does when an <see cref="OrderedLock"/> acquisition could deadlock.</summary>
public enum LockOrderPolicy
{
    /// <summary>
    /// The default: nothing is recorded or checked, and <see cref="OrderedLock"/> costs about as much as a
    /// <c>lock</c> statement.
    /// </summary>
    Off = 0,

    /// <summary>
    /// Acquisitions are recorded and checked; each new <see cref="PotentialDeadlock"/> is raised once through
    /// <see cref="LockOrderValidator.Reported"/> and kept in <see cref="LockOrderValidator.GetReports"/>, and the
    /// acquisition goes ahead.
    /// </summary>
    Report = 1,

    /// <summary>
    /// As <see cref="Report"/>, and the violating acquisition throws <see cref="LockOrderViolationException"/>
    /// without taking the lock, every time it is attempted. Meant for tests.
    /// </summary>
    Throw = 2,
}
