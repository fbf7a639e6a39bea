namespace Lockstep.Analyzers;

/// <summary>Metadata names of the BCL and runtime-library types the rules look for (resolved once per compilation).</summary>
internal static class WellKnownTypeNames
{
    public const string SystemThreadingThread = "System.Threading.Thread";
    public const string SystemThreadingSpinWait = "System.Threading.SpinWait";
    public const string SystemThreadingSemaphoreSlim = "System.Threading.SemaphoreSlim";
    public const string SystemThreadingManualResetEventSlim = "System.Threading.ManualResetEventSlim";
    public const string SystemThreadingCountdownEvent = "System.Threading.CountdownEvent";
    public const string SystemThreadingBarrier = "System.Threading.Barrier";
    public const string SystemThreadingWaitHandle = "System.Threading.WaitHandle";
    public const string SystemThreadingCancellationToken = "System.Threading.CancellationToken";
    public const string SystemThreadingTasksTask = "System.Threading.Tasks.Task";
    public const string SystemThreadingTasksTask1 = "System.Threading.Tasks.Task`1";
    public const string SystemThreadingTasksValueTask = "System.Threading.Tasks.ValueTask";
    public const string SystemThreadingTasksValueTask1 = "System.Threading.Tasks.ValueTask`1";
    public const string SystemThreadingTasksTaskStatus = "System.Threading.Tasks.TaskStatus";
    public const string SystemRuntimeCompilerServicesTaskAwaiter = "System.Runtime.CompilerServices.TaskAwaiter";
    public const string SystemRuntimeCompilerServicesTaskAwaiter1 = "System.Runtime.CompilerServices.TaskAwaiter`1";
    public const string SystemRuntimeCompilerServicesValueTaskAwaiter = "System.Runtime.CompilerServices.ValueTaskAwaiter";
    public const string SystemRuntimeCompilerServicesValueTaskAwaiter1 = "System.Runtime.CompilerServices.ValueTaskAwaiter`1";
    public const string SystemRuntimeCompilerServicesConfiguredTaskAwaitable = "System.Runtime.CompilerServices.ConfiguredTaskAwaitable";
    public const string SystemRuntimeCompilerServicesConfiguredTaskAwaitable1 = "System.Runtime.CompilerServices.ConfiguredTaskAwaitable`1";
    public const string SystemRuntimeCompilerServicesConfiguredValueTaskAwaitable = "System.Runtime.CompilerServices.ConfiguredValueTaskAwaitable";
    public const string SystemRuntimeCompilerServicesConfiguredValueTaskAwaitable1 = "System.Runtime.CompilerServices.ConfiguredValueTaskAwaitable`1";

    public const string SystemThreadingThreadPool = "System.Threading.ThreadPool";
    public const string SystemThreadingTimer = "System.Threading.Timer";
    public const string SystemTimersTimer = "System.Timers.Timer";
    public const string SystemThreadingInterlocked = "System.Threading.Interlocked";
    public const string SystemThreadingVolatile = "System.Threading.Volatile";
    public const string SystemThreadingMonitor = "System.Threading.Monitor";
    public const string SystemThreadingMutex = "System.Threading.Mutex";
    public const string SystemThreadingReaderWriterLockSlim = "System.Threading.ReaderWriterLockSlim";
    public const string SystemThreadingSpinLock = "System.Threading.SpinLock";
    public const string SystemThreadingThreadLocal1 = "System.Threading.ThreadLocal`1";
    public const string SystemThreadStaticAttribute = "System.ThreadStaticAttribute";
    public const string SystemThreadingTasksTaskFactory = "System.Threading.Tasks.TaskFactory";
    public const string SystemThreadingTasksParallel = "System.Threading.Tasks.Parallel";
    public const string SystemLinqParallelEnumerable = "System.Linq.ParallelEnumerable";
    public const string SystemLinqEnumerable = "System.Linq.Enumerable";
    public const string SystemThreadingLazyInitializer = "System.Threading.LazyInitializer";
    public const string SystemCollectionsGenericList1 = "System.Collections.Generic.List`1";
    public const string SystemCollectionsGenericDictionary2 = "System.Collections.Generic.Dictionary`2";
    public const string SystemCollectionsGenericHashSet1 = "System.Collections.Generic.HashSet`1";
    public const string SystemCollectionsGenericQueue1 = "System.Collections.Generic.Queue`1";
    public const string SystemCollectionsGenericStack1 = "System.Collections.Generic.Stack`1";
    public const string SystemCollectionsGenericLinkedList1 = "System.Collections.Generic.LinkedList`1";
    public const string SystemCollectionsGenericSortedDictionary2 = "System.Collections.Generic.SortedDictionary`2";
    public const string SystemCollectionsGenericSortedList2 = "System.Collections.Generic.SortedList`2";
    public const string SystemCollectionsGenericSortedSet1 = "System.Collections.Generic.SortedSet`1";
    public const string SystemCollectionsConcurrentConcurrentBag1 = "System.Collections.Concurrent.ConcurrentBag`1";
    public const string SystemCollectionsConcurrentConcurrentDictionary2 = "System.Collections.Concurrent.ConcurrentDictionary`2";
    public const string SystemCollectionsConcurrentConcurrentQueue1 = "System.Collections.Concurrent.ConcurrentQueue`1";
    public const string SystemCollectionsConcurrentConcurrentStack1 = "System.Collections.Concurrent.ConcurrentStack`1";

    // The runtime library, known by name only: the analyzers never reference it.
    public const string LockstepRunsConcurrentlyAttribute = "Lockstep.RunsConcurrentlyAttribute";
    public const string LockstepGuardedByAttribute = "Lockstep.GuardedByAttribute";
    public const string LockstepRequiresLockAttribute = "Lockstep.RequiresLockAttribute";
    public const string LockstepAsyncLock = "Lockstep.AsyncLock";
    public const string LockstepLocks = "Lockstep.Locks";
    public const string LockstepOrderedLock = "Lockstep.OrderedLock";
    public const string LockstepAcquiredBeforeAttribute = "Lockstep.AcquiredBeforeAttribute";
    public const string LockstepAcquiredAfterAttribute = "Lockstep.AcquiredAfterAttribute";
    public const string LockstepBoundedWorkQueue = "Lockstep.BoundedWorkQueue";
}
