namespace Lockstep.Analyzers;

/// <summary>Keys of <see cref="Microsoft.CodeAnalysis.Diagnostic.Properties"/> that analyzers fill for their code fixes.</summary>
public static class DiagnosticPropertyKeys
{
    /// <summary>Which awaited rewrite applies (an <c>AwaitFixKind</c> name); absent when there is none.</summary>
    public const string AwaitFix = "AwaitFix";

    /// <summary>LS3003: name of the awaitable counterpart of the blocking callee (<c>PauseAsync</c> for <c>Pause</c>).</summary>
    public const string AsyncCounterpart = "AsyncCounterpart";

    /// <summary>LS1001–LS1003: which repair fits (<c>Interlocked</c>, <c>Lock</c>, <c>LazyInitializer</c>, <c>ConcurrentCollection</c>).</summary>
    public const string RaceFix = "RaceFix";

    /// <summary>LS1001 read → write-back: position of the earlier read, where the locked region must begin.</summary>
    public const string RegionStart = "RegionStart";

    /// <summary>LS1004/LS1005: the lock member (or <c>this</c>) the fix should hold.</summary>
    public const string LockName = "LockName";

    /// <summary>LS5003: why the lock object is weak (a <c>WeakLockKind</c> name).</summary>
    public const string WeakLockKind = "WeakLockKind";

    /// <summary>LS5002: the blocking statement can move in front of the lock (it is first and uses no guarded state).</summary>
    public const string MoveBeforeLock = "MoveBeforeLock";

    /// <summary>LS5001: which repair fits (<c>LockStatement</c> for a Monitor pair, <c>TryFinally</c> otherwise).</summary>
    public const string ReleaseFix = "ReleaseFix";

    /// <summary>LS5001: the private SemaphoreSlim(1, 1) field whose uses can all become a runtime-library AsyncLock.</summary>
    public const string AsyncLockField = "AsyncLockField";

    /// <summary>LS4002: the workers can be collected in a list and waited for after the loop.</summary>
    public const string CollectWorkers = "CollectWorkers";

    /// <summary>LS2001–LS2003: which repair fits (<c>Reorder</c> or <c>AcquireInOrder</c>); absent when there is none.</summary>
    public const string LockOrderFix = "LockOrderFix";

    /// <summary>
    /// LS2001–LS2003: the nested acquisitions the repair rewrites, as <c>outer:inner</c> pairs of indexes into the
    /// diagnostic's locations (0 is the primary location, 1… the additional ones), separated by <c>;</c>.
    /// </summary>
    public const string LockOrderFixPairs = "LockOrderFixPairs";
    /// <summary>LS4001: which rewrite fits the thread start (<c>ParallelForEach</c> or <c>BoundedWorkQueue</c>); absent when none does.</summary>
    public const string ThreadCreationFix = "ThreadCreationFix";

    /// <summary>LS9001: the lock field or property of the type whose name is closest to the unknown one, when exactly one is.</summary>
    public const string SuggestedLockName = "SuggestedLockName";
}
