namespace Lockstep;

/// <summary>Why <see cref="LockOrderValidator"/> reported a <see cref="PotentialDeadlock"/>.</summary>
public enum PotentialDeadlockKind
{
    /// <summary>
    /// An acquisition added an edge to the lock-order graph that closes a cycle: the locks named in
    /// <see cref="PotentialDeadlock.LockNames"/> have been taken in orders that, run at the same time on different
    /// threads, wait for each other forever.
    /// </summary>
    LockOrderCycle = 0,

    /// <summary>
    /// A lock was acquired while a lock of higher or equal <see cref="OrderedLock.Rank"/> was held. Ranked locks must
    /// be taken in strictly increasing rank order.
    /// </summary>
    RankInversion = 1,
}
