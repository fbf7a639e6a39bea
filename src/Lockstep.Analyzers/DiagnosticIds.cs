namespace Lockstep.Analyzers;

/// <summary>Every diagnostic ID Lockstep reports, one constant per rule, named after the mistake.</summary>
public static class DiagnosticIds
{
    // LS0xxx: notes about the analysis itself.
    public const string AnalysisBudgetExhausted = "LS0001";
    public const string InvalidOptionValue = "LS0002";

    // LS1xxx: data races.
    public const string UnsynchronizedReadModifyWrite = "LS1001";
    public const string UnsynchronizedCheckThenAct = "LS1002";
    public const string NonThreadSafeCollectionMutatedConcurrently = "LS1003";
    public const string InconsistentSynchronization = "LS1004";
    public const string GuardedByViolation = "LS1005";
    public const string SideEffectInValueFactory = "LS1006";

    // LS2xxx: inconsistent lock ordering (deadlocks).
    public const string LockOrderCycle = "LS2001";
    public const string ArgumentDependentLockOrder = "LS2002";
    public const string LockOrderContradictsDeclaredOrder = "LS2003";

    // LS3xxx: blocking sleeps and waits inside async code.
    public const string BlockingSleepInAsyncCode = "LS3001";
    public const string SynchronousWaitInAsyncCode = "LS3002";
    public const string BlockingCallChainInAsyncCode = "LS3003";

    // LS4xxx: thread creation and worker lifecycle.
    public const string UnboundedThreadCreation = "LS4001";
    public const string JoinInsideStartLoop = "LS4002";

    // LS5xxx: lock hygiene.
    public const string LockNotReleasedOnAllPaths = "LS5001";
    public const string BlockingCallUnderLock = "LS5002";
    public const string LockOnWeakIdentityObject = "LS5003";

    // LS9xxx: misuse of the runtime library's own API.
    public const string UnknownLockName = "LS9001";
}
