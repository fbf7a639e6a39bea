using Microsoft.CodeAnalysis;

namespace Lockstep.Analyzers;

public static partial class Descriptors
{
    public static readonly DiagnosticDescriptor LockNotReleasedOnAllPaths = Create(
        DiagnosticIds.LockNotReleasedOnAllPaths,
        title: "Release a lock in a finally block",
        message: "'{0}' acquires '{1}' but {2}; release it in a finally block",
        Categories.LockUsage,
        RuleLevel.Warning,
        description: "A lock taken with Monitor.Enter, SemaphoreSlim.Wait/WaitAsync, Mutex.WaitOne, ReaderWriterLockSlim.Enter*, SpinLock.Enter or Lock.Enter stays held if an exception or an early return skips the release, and every later acquirer waits forever. Release it in the finally block of a try that starts right after the acquisition, or use a lock statement or a using scope, which do that for you. The scopes of the runtime library's AsyncLock, OrderedLock and Guarded<T> are checked the same way when kept in a variable instead of a using.");

    public static readonly DiagnosticDescriptor BlockingCallUnderLock = Create(
        DiagnosticIds.BlockingCallUnderLock,
        title: "Do not block while holding a lock",
        message: "'{0}' blocks while holding '{1}'{2}, so every thread that needs '{1}' waits too; move the blocking call out of the locked region",
        Categories.LockUsage,
        RuleLevel.Warning,
        description: "Sleeping, waiting for a task or thread, or doing blocking file and socket I/O inside a locked region keeps the lock for the whole wait. Every other thread that needs the lock queues behind it, throughput collapses to one, and a wait for work that itself needs the lock deadlocks. Lock only around the data operation; do the slow part before or after. Monitor.Wait is not reported: it releases the lock while it waits.");

    public static readonly DiagnosticDescriptor LockOnWeakIdentityObject = Create(
        DiagnosticIds.LockOnWeakIdentityObject,
        title: "Lock on a private, stable lock object",
        message: "Locking on {0} {1}; lock on a private readonly object instead",
        Categories.LockUsage,
        RuleLevel.Warning,
        description: "A lock excludes only code that locks the same object. 'this', typeof(…) and strings can be locked by code outside the type (interned strings and Type objects are shared across the whole process), which causes unexpected contention or deadlocks. A boxed value, a field that is reassigned, or a local created in the method is a different object each time, so the lock excludes nothing.");
}
