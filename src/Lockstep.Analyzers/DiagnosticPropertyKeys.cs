namespace Lockstep.Analyzers;

/// <summary>
/// Keys of <see cref="Microsoft.CodeAnalysis.Diagnostic.Properties"/> that analyzers fill for their code fixes. Read and
/// write them through <see cref="FixProperties"/>, which knows each value's type and format.
/// </summary>
public static class DiagnosticPropertyKeys
{
    /// <summary>LS3001–LS3003: which awaited rewrite applies (an <c>AwaitFixKind</c>); absent when there is none.</summary>
    public const string AwaitFix = "AwaitFix";

    /// <summary>LS3003: name of the awaitable counterpart of the blocking callee (<c>PauseAsync</c> for <c>Pause</c>).</summary>
    public const string AsyncCounterpart = "AsyncCounterpart";

    /// <summary>LS1001–LS1003: which repair fits (a <c>RaceFixKind</c>); absent when none does.</summary>
    public const string RaceFix = "RaceFix";

    /// <summary>LS1001 read → write-back: position of the earlier read, where the locked region must begin.</summary>
    public const string RegionStart = "RegionStart";

    /// <summary>LS1004/LS1005: how the named lock comes to be held (a <c>HoldLockFixKind</c>); absent when it cannot.</summary>
    public const string HoldLockFix = "HoldLockFix";

    /// <summary>LS1004/LS1005: the lock member (or <c>this</c>) the fix should hold.</summary>
    public const string LockName = "LockName";

    /// <summary>LS5003: why the lock object is weak (a <c>WeakLockKind</c>).</summary>
    public const string WeakLockKind = "WeakLockKind";

    /// <summary>LS5002: how the blocking call stops holding the lock (a <c>BlockingUnderLockFixKind</c>); absent when it cannot.</summary>
    public const string BlockingUnderLockFix = "BlockingUnderLockFix";

    /// <summary>LS5001: which repair fits (a <c>ReleaseFixKind</c>).</summary>
    public const string ReleaseFix = "ReleaseFix";

    /// <summary>LS5001: the private SemaphoreSlim(1, 1) field whose uses can all become a runtime-library AsyncLock.</summary>
    public const string AsyncLockField = "AsyncLockField";

    /// <summary>LS4002: how the workers stop running one after another (a <c>WorkerWaitFixKind</c>); absent when no fix keeps the behaviour.</summary>
    public const string WorkerWaitFix = "WorkerWaitFix";

    /// <summary>LS2001–LS2003: which repair fits (a <c>LockOrderFixKind</c>); absent when there is none.</summary>
    public const string LockOrderFix = "LockOrderFix";

    /// <summary>
    /// LS2001–LS2003: the acquisitions the repair rewrites, as <c>outer:inner</c> pairs of indexes into the diagnostic's
    /// locations (0 is the primary location, 1… the additional ones), separated by <c>;</c>.
    /// </summary>
    public const string LockOrderFixPairs = "LockOrderFixPairs";

    /// <summary>LS4001: which bounded form replaces the thread start (a <c>ThreadCreationFixKind</c>); absent when none does.</summary>
    public const string ThreadCreationFix = "ThreadCreationFix";

    /// <summary>LS9001: the lock field or property of the type whose name is closest to the unknown one, when exactly one is.</summary>
    public const string SuggestedLockName = "SuggestedLockName";

    /// <summary>LS4001 at a call of a helper that starts the thread: where the start is in the document (its position).</summary>
    public const string StartSite = "StartSite";
}
