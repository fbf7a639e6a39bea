using Microsoft.CodeAnalysis;

namespace Lockstep.Analyzers.Catalogue;

/// <summary>The BCL and runtime-library types of <see cref="WellKnownTypeNames"/>, resolved once; null when a compilation lacks one.</summary>
internal sealed class KnownTypes
{
    public KnownTypes(Compilation compilation)
    {
        INamedTypeSymbol? Get(string name) => compilation.GetTypeByMetadataName(name);

        Compilation = compilation;
        Object = compilation.GetSpecialType(SpecialType.System_Object);
        Environment = Get(WellKnownTypeNames.SystemEnvironment);
        Debug = Get(WellKnownTypeNames.SystemDiagnosticsDebug);
        Trace = Get(WellKnownTypeNames.SystemDiagnosticsTrace);
        DoesNotReturnAttribute = Get(WellKnownTypeNames.SystemDiagnosticsCodeAnalysisDoesNotReturnAttribute);
        Math = Get(WellKnownTypeNames.SystemMath);
        Console = Get(WellKnownTypeNames.SystemConsole);
        TimeSpan = Get(WellKnownTypeNames.SystemTimeSpan);
        ThreadStaticAttribute = Get(WellKnownTypeNames.SystemThreadStaticAttribute);
        Thread = Get(WellKnownTypeNames.SystemThreadingThread);
        ThreadPool = Get(WellKnownTypeNames.SystemThreadingThreadPool);
        ThreadingTimer = Get(WellKnownTypeNames.SystemThreadingTimer);
        TimersTimer = Get(WellKnownTypeNames.SystemTimersTimer);
        Interlocked = Get(WellKnownTypeNames.SystemThreadingInterlocked);
        Volatile = Get(WellKnownTypeNames.SystemThreadingVolatile);
        Monitor = Get(WellKnownTypeNames.SystemThreadingMonitor);
        Lock = Get(WellKnownTypeNames.SystemThreadingLock);
        Mutex = Get(WellKnownTypeNames.SystemThreadingMutex);
        ReaderWriterLockSlim = Get(WellKnownTypeNames.SystemThreadingReaderWriterLockSlim);
        ReaderWriterLock = Get(WellKnownTypeNames.SystemThreadingReaderWriterLock);
        SpinLock = Get(WellKnownTypeNames.SystemThreadingSpinLock);
        SpinWait = Get(WellKnownTypeNames.SystemThreadingSpinWait);
        SemaphoreSlim = Get(WellKnownTypeNames.SystemThreadingSemaphoreSlim);
        Semaphore = Get(WellKnownTypeNames.SystemThreadingSemaphore);
        ManualResetEventSlim = Get(WellKnownTypeNames.SystemThreadingManualResetEventSlim);
        CountdownEvent = Get(WellKnownTypeNames.SystemThreadingCountdownEvent);
        Barrier = Get(WellKnownTypeNames.SystemThreadingBarrier);
        WaitHandle = Get(WellKnownTypeNames.SystemThreadingWaitHandle);
        CancellationToken = Get(WellKnownTypeNames.SystemThreadingCancellationToken);
        CancellationTokenRegistration = Get(WellKnownTypeNames.SystemThreadingCancellationTokenRegistration);
        SynchronizationContext = Get(WellKnownTypeNames.SystemThreadingSynchronizationContext);
        Timeout = Get(WellKnownTypeNames.SystemThreadingTimeout);
        ThreadLocal = Get(WellKnownTypeNames.SystemThreadingThreadLocal1);
        LazyInitializer = Get(WellKnownTypeNames.SystemThreadingLazyInitializer);

        Task = Get(WellKnownTypeNames.SystemThreadingTasksTask);
        TaskOfT = Get(WellKnownTypeNames.SystemThreadingTasksTask1);
        ValueTask = Get(WellKnownTypeNames.SystemThreadingTasksValueTask);
        ValueTaskOfT = Get(WellKnownTypeNames.SystemThreadingTasksValueTask1);
        TaskStatus = Get(WellKnownTypeNames.SystemThreadingTasksTaskStatus);
        TaskFactory = Get(WellKnownTypeNames.SystemThreadingTasksTaskFactory);
        TaskFactoryOfT = Get(WellKnownTypeNames.SystemThreadingTasksTaskFactory1);
        TaskCreationOptions = Get(WellKnownTypeNames.SystemThreadingTasksTaskCreationOptions);
        TaskScheduler = Get(WellKnownTypeNames.SystemThreadingTasksTaskScheduler);
        Parallel = Get(WellKnownTypeNames.SystemThreadingTasksParallel);
        ParallelOptions = Get(WellKnownTypeNames.SystemThreadingTasksParallelOptions);
        ConfiguredAwaitables = new[]
        {
            Get(WellKnownTypeNames.SystemRuntimeCompilerServicesConfiguredTaskAwaitable),
            Get(WellKnownTypeNames.SystemRuntimeCompilerServicesConfiguredTaskAwaitable1),
            Get(WellKnownTypeNames.SystemRuntimeCompilerServicesConfiguredValueTaskAwaitable),
            Get(WellKnownTypeNames.SystemRuntimeCompilerServicesConfiguredValueTaskAwaitable1),
        };
        Awaiters = new[]
        {
            Get(WellKnownTypeNames.SystemRuntimeCompilerServicesTaskAwaiter),
            Get(WellKnownTypeNames.SystemRuntimeCompilerServicesTaskAwaiter1),
            Get(WellKnownTypeNames.SystemRuntimeCompilerServicesValueTaskAwaiter),
            Get(WellKnownTypeNames.SystemRuntimeCompilerServicesValueTaskAwaiter1),
            Get(WellKnownTypeNames.SystemRuntimeCompilerServicesConfiguredTaskAwaiter),
            Get(WellKnownTypeNames.SystemRuntimeCompilerServicesConfiguredTaskAwaiter1),
            Get(WellKnownTypeNames.SystemRuntimeCompilerServicesConfiguredValueTaskAwaiter),
            Get(WellKnownTypeNames.SystemRuntimeCompilerServicesConfiguredValueTaskAwaiter1),
        };

        Array = Get(WellKnownTypeNames.SystemArray);
        Enumerable = Get(WellKnownTypeNames.SystemLinqEnumerable);
        ParallelEnumerable = Get(WellKnownTypeNames.SystemLinqParallelEnumerable);
        List = Get(WellKnownTypeNames.SystemCollectionsGenericList1);
        Dictionary = Get(WellKnownTypeNames.SystemCollectionsGenericDictionary2);
        NonThreadSafeCollections = new[]
        {
            List,
            Dictionary,
            Get(WellKnownTypeNames.SystemCollectionsGenericHashSet1),
            Get(WellKnownTypeNames.SystemCollectionsGenericQueue1),
            Get(WellKnownTypeNames.SystemCollectionsGenericStack1),
            Get(WellKnownTypeNames.SystemCollectionsGenericLinkedList1),
            Get(WellKnownTypeNames.SystemCollectionsGenericSortedDictionary2),
            Get(WellKnownTypeNames.SystemCollectionsGenericSortedList2),
            Get(WellKnownTypeNames.SystemCollectionsGenericSortedSet1),
            Get(WellKnownTypeNames.SystemCollectionsGenericPriorityQueue2),
            Get(WellKnownTypeNames.SystemCollectionsArrayList),
            Get(WellKnownTypeNames.SystemCollectionsHashtable),
            Get(WellKnownTypeNames.SystemCollectionsQueue),
            Get(WellKnownTypeNames.SystemCollectionsStack),
        };
        GenericQueue = NonThreadSafeCollections[3];
        BlockingCollection = Get(WellKnownTypeNames.SystemCollectionsConcurrentBlockingCollection1);
        ConcurrentQueue = Get(WellKnownTypeNames.SystemCollectionsConcurrentConcurrentQueue1);
        ConcurrentDictionary = Get(WellKnownTypeNames.SystemCollectionsConcurrentConcurrentDictionary2);
        ConcurrentBag = Get(WellKnownTypeNames.SystemCollectionsConcurrentConcurrentBag1);
        ConcurrentStack = Get(WellKnownTypeNames.SystemCollectionsConcurrentConcurrentStack1);
        ChannelReader = Get(WellKnownTypeNames.SystemThreadingChannelsChannelReader1);

        File = Get(WellKnownTypeNames.SystemIOFile);
        Stream = Get(WellKnownTypeNames.SystemIOStream);
        TextReader = Get(WellKnownTypeNames.SystemIOTextReader);
        StreamReader = Get(WellKnownTypeNames.SystemIOStreamReader);
        BinaryReader = Get(WellKnownTypeNames.SystemIOBinaryReader);
        InMemoryStreams = new[]
        {
            Get(WellKnownTypeNames.SystemIOMemoryStream),
            Get(WellKnownTypeNames.SystemIOUnmanagedMemoryStream),
            Get(WellKnownTypeNames.SystemIOStringReader),
        };
        Socket = Get(WellKnownTypeNames.SystemNetSocketsSocket);
        TcpClient = Get(WellKnownTypeNames.SystemNetSocketsTcpClient);
        TcpListener = Get(WellKnownTypeNames.SystemNetSocketsTcpListener);
        UdpClient = Get(WellKnownTypeNames.SystemNetSocketsUdpClient);
        HttpClient = Get(WellKnownTypeNames.SystemNetHttpHttpClient);
        Process = Get(WellKnownTypeNames.SystemDiagnosticsProcess);
        FileSystemWatcher = Get(WellKnownTypeNames.SystemIOFileSystemWatcher);

        RunsConcurrentlyAttribute = Get(WellKnownTypeNames.LockstepRunsConcurrentlyAttribute);
        GuardedByAttribute = Get(WellKnownTypeNames.LockstepGuardedByAttribute);
        RequiresLockAttribute = Get(WellKnownTypeNames.LockstepRequiresLockAttribute);
        AcquiredBeforeAttribute = Get(WellKnownTypeNames.LockstepAcquiredBeforeAttribute);
        AcquiredAfterAttribute = Get(WellKnownTypeNames.LockstepAcquiredAfterAttribute);
        AsyncLock = Get(WellKnownTypeNames.LockstepAsyncLock);
        Locks = Get(WellKnownTypeNames.LockstepLocks);
        OrderedLock = Get(WellKnownTypeNames.LockstepOrderedLock);
        Guarded = Get(WellKnownTypeNames.LockstepGuarded1);
        BoundedWorkQueue = Get(WellKnownTypeNames.LockstepBoundedWorkQueue);
    }

    public Compilation Compilation { get; }
    public INamedTypeSymbol Object { get; }
    public INamedTypeSymbol? Environment { get; }
    public INamedTypeSymbol? Math { get; }
    public INamedTypeSymbol? Console { get; }
    public INamedTypeSymbol? TimeSpan { get; }

    public INamedTypeSymbol? Debug { get; }

    public INamedTypeSymbol? Trace { get; }

    public INamedTypeSymbol? DoesNotReturnAttribute { get; }
    public INamedTypeSymbol? ThreadStaticAttribute { get; }
    public INamedTypeSymbol? Thread { get; }
    public INamedTypeSymbol? ThreadPool { get; }
    public INamedTypeSymbol? ThreadingTimer { get; }
    public INamedTypeSymbol? TimersTimer { get; }
    public INamedTypeSymbol? Interlocked { get; }
    public INamedTypeSymbol? Volatile { get; }
    public INamedTypeSymbol? Monitor { get; }

    /// <summary><c>System.Threading.Lock</c> (.NET 9 and later).</summary>
    public INamedTypeSymbol? Lock { get; }
    public INamedTypeSymbol? Mutex { get; }
    public INamedTypeSymbol? ReaderWriterLockSlim { get; }
    public INamedTypeSymbol? ReaderWriterLock { get; }
    public INamedTypeSymbol? SpinLock { get; }
    public INamedTypeSymbol? SpinWait { get; }
    public INamedTypeSymbol? SemaphoreSlim { get; }
    public INamedTypeSymbol? Semaphore { get; }
    public INamedTypeSymbol? ManualResetEventSlim { get; }
    public INamedTypeSymbol? CountdownEvent { get; }
    public INamedTypeSymbol? Barrier { get; }
    public INamedTypeSymbol? WaitHandle { get; }
    public INamedTypeSymbol? CancellationToken { get; }

    public INamedTypeSymbol? CancellationTokenRegistration { get; }

    public INamedTypeSymbol? SynchronizationContext { get; }
    public INamedTypeSymbol? Timeout { get; }
    public INamedTypeSymbol? ThreadLocal { get; }
    public INamedTypeSymbol? LazyInitializer { get; }

    public INamedTypeSymbol? Task { get; }
    public INamedTypeSymbol? TaskOfT { get; }
    public INamedTypeSymbol? ValueTask { get; }
    public INamedTypeSymbol? ValueTaskOfT { get; }
    public INamedTypeSymbol? TaskStatus { get; }
    public INamedTypeSymbol? TaskFactory { get; }
    public INamedTypeSymbol? TaskFactoryOfT { get; }
    public INamedTypeSymbol? TaskCreationOptions { get; }
    public INamedTypeSymbol? TaskScheduler { get; }
    public INamedTypeSymbol? Parallel { get; }
    public INamedTypeSymbol? ParallelOptions { get; }

    /// <summary>What <c>ConfigureAwait</c> returns for tasks and value tasks.</summary>
    public INamedTypeSymbol?[] ConfiguredAwaitables { get; }

    /// <summary>The awaiters of tasks, value tasks and their configured forms, whose <c>GetResult()</c> waits.</summary>
    public INamedTypeSymbol?[] Awaiters { get; }

    public INamedTypeSymbol? Array { get; }
    public INamedTypeSymbol? Enumerable { get; }
    public INamedTypeSymbol? ParallelEnumerable { get; }
    public INamedTypeSymbol? List { get; }
    public INamedTypeSymbol? Dictionary { get; }
    public INamedTypeSymbol? GenericQueue { get; }

    /// <summary>The BCL collections documented as not safe for concurrent writers.</summary>
    public INamedTypeSymbol?[] NonThreadSafeCollections { get; }
    public INamedTypeSymbol? BlockingCollection { get; }
    public INamedTypeSymbol? ConcurrentQueue { get; }
    public INamedTypeSymbol? ConcurrentDictionary { get; }
    public INamedTypeSymbol? ConcurrentBag { get; }
    public INamedTypeSymbol? ConcurrentStack { get; }
    public INamedTypeSymbol? ChannelReader { get; }

    public INamedTypeSymbol? File { get; }
    public INamedTypeSymbol? Stream { get; }
    public INamedTypeSymbol? TextReader { get; }
    public INamedTypeSymbol? StreamReader { get; }
    public INamedTypeSymbol? BinaryReader { get; }

    /// <summary><c>MemoryStream</c>, <c>UnmanagedMemoryStream</c>, <c>StringReader</c>: reading them never waits.</summary>
    public INamedTypeSymbol?[] InMemoryStreams { get; }
    public INamedTypeSymbol? Socket { get; }
    public INamedTypeSymbol? TcpClient { get; }
    public INamedTypeSymbol? TcpListener { get; }
    public INamedTypeSymbol? UdpClient { get; }
    public INamedTypeSymbol? HttpClient { get; }
    public INamedTypeSymbol? Process { get; }
    public INamedTypeSymbol? FileSystemWatcher { get; }

    public INamedTypeSymbol? RunsConcurrentlyAttribute { get; }
    public INamedTypeSymbol? GuardedByAttribute { get; }
    public INamedTypeSymbol? RequiresLockAttribute { get; }
    public INamedTypeSymbol? AcquiredBeforeAttribute { get; }
    public INamedTypeSymbol? AcquiredAfterAttribute { get; }
    public INamedTypeSymbol? AsyncLock { get; }
    public INamedTypeSymbol? Locks { get; }
    public INamedTypeSymbol? OrderedLock { get; }
    public INamedTypeSymbol? Guarded { get; }
    public INamedTypeSymbol? BoundedWorkQueue { get; }

    /// <summary>Whether <paramref name="type"/> is <paramref name="expected"/> (any construction of it).</summary>
    public static bool Is(ITypeSymbol? type, INamedTypeSymbol? expected) =>
        expected is not null && SymbolEqualityComparer.Default.Equals(type?.OriginalDefinition, expected);

    /// <summary>Whether <paramref name="type"/> is <paramref name="baseType"/> or derives from it.</summary>
    public static bool IsOrDerivesFrom(ITypeSymbol? type, INamedTypeSymbol? baseType)
    {
        if (baseType is null)
            return false;

        for (var current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, baseType))
                return true;
        }

        return false;
    }

    /// <summary>Whether <paramref name="type"/> is one of <paramref name="candidates"/>.</summary>
    public static bool IsAny(ITypeSymbol? type, INamedTypeSymbol?[] candidates)
    {
        var definition = type?.OriginalDefinition;
        if (definition is null)
            return false;

        foreach (var candidate in candidates)
        {
            if (candidate is not null && SymbolEqualityComparer.Default.Equals(definition, candidate))
                return true;
        }

        return false;
    }
}
