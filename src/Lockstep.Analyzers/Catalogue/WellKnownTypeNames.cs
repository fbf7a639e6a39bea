namespace Lockstep.Analyzers.Catalogue;

/// <summary>
/// Metadata names of the BCL and runtime-library types the catalogue resolves once per compilation. Only the
/// catalogue reads them; a convention test checks that each one resolves against the .NET reference pack and the
/// runtime library, since a misspelt name would silently switch a rule off.
/// </summary>
internal static class WellKnownTypeNames
{
    // System and System.Threading
    public const string SystemEnvironment = "System.Environment";
    public const string SystemVersion = "System.Version";
    public const string SystemUri = "System.Uri";
    public const string SystemType = "System.Type";
    public const string SystemTextEncoding = "System.Text.Encoding";
    public const string SystemTextRegularExpressionsRegex = "System.Text.RegularExpressions.Regex";
    public const string SystemDiagnosticsDebug = "System.Diagnostics.Debug";
    public const string SystemDiagnosticsTrace = "System.Diagnostics.Trace";
    public const string SystemDiagnosticsCodeAnalysisDoesNotReturnAttribute = "System.Diagnostics.CodeAnalysis.DoesNotReturnAttribute";
    public const string SystemMath = "System.Math";
    public const string SystemConsole = "System.Console";
    public const string SystemTimeSpan = "System.TimeSpan";
    public const string SystemThreadStaticAttribute = "System.ThreadStaticAttribute";
    public const string SystemThreadingThread = "System.Threading.Thread";
    public const string SystemThreadingThreadPool = "System.Threading.ThreadPool";
    public const string SystemThreadingTimer = "System.Threading.Timer";
    public const string SystemThreadingInterlocked = "System.Threading.Interlocked";
    public const string SystemThreadingVolatile = "System.Threading.Volatile";
    public const string SystemThreadingMonitor = "System.Threading.Monitor";
    public const string SystemThreadingLock = "System.Threading.Lock";
    public const string SystemThreadingMutex = "System.Threading.Mutex";
    public const string SystemThreadingReaderWriterLockSlim = "System.Threading.ReaderWriterLockSlim";
    public const string SystemThreadingSpinLock = "System.Threading.SpinLock";
    public const string SystemThreadingSpinWait = "System.Threading.SpinWait";
    public const string SystemThreadingSemaphoreSlim = "System.Threading.SemaphoreSlim";
    public const string SystemThreadingSemaphore = "System.Threading.Semaphore";
    public const string SystemThreadingReaderWriterLock = "System.Threading.ReaderWriterLock";
    public const string SystemThreadingManualResetEventSlim = "System.Threading.ManualResetEventSlim";
    public const string SystemThreadingCountdownEvent = "System.Threading.CountdownEvent";
    public const string SystemThreadingBarrier = "System.Threading.Barrier";
    public const string SystemThreadingWaitHandle = "System.Threading.WaitHandle";
    public const string SystemThreadingCancellationToken = "System.Threading.CancellationToken";
    public const string SystemThreadingCancellationTokenRegistration = "System.Threading.CancellationTokenRegistration";
    public const string SystemThreadingSynchronizationContext = "System.Threading.SynchronizationContext";
    public const string SystemThreadingTimeout = "System.Threading.Timeout";
    public const string SystemThreadingThreadLocal1 = "System.Threading.ThreadLocal`1";
    public const string SystemThreadingLazyInitializer = "System.Threading.LazyInitializer";
    public const string SystemLazy1 = "System.Lazy`1";
    public const string SystemIAsyncDisposable = "System.IAsyncDisposable";
    public const string SystemThreadingCancellationTokenSource = "System.Threading.CancellationTokenSource";
    public const string SystemTimersTimer = "System.Timers.Timer";

    // Tasks and awaiters
    public const string SystemThreadingTasksTask = "System.Threading.Tasks.Task";
    public const string SystemThreadingTasksTask1 = "System.Threading.Tasks.Task`1";
    public const string SystemThreadingTasksValueTask = "System.Threading.Tasks.ValueTask";
    public const string SystemThreadingTasksValueTask1 = "System.Threading.Tasks.ValueTask`1";
    public const string SystemThreadingTasksTaskStatus = "System.Threading.Tasks.TaskStatus";
    public const string SystemThreadingTasksTaskFactory = "System.Threading.Tasks.TaskFactory";
    public const string SystemThreadingTasksTaskFactory1 = "System.Threading.Tasks.TaskFactory`1";
    public const string SystemThreadingTasksTaskCreationOptions = "System.Threading.Tasks.TaskCreationOptions";
    public const string SystemThreadingTasksTaskScheduler = "System.Threading.Tasks.TaskScheduler";
    public const string SystemThreadingTasksParallel = "System.Threading.Tasks.Parallel";
    public const string SystemThreadingTasksParallelOptions = "System.Threading.Tasks.ParallelOptions";
    public const string SystemRuntimeCompilerServicesTaskAwaiter = "System.Runtime.CompilerServices.TaskAwaiter";
    public const string SystemRuntimeCompilerServicesTaskAwaiter1 = "System.Runtime.CompilerServices.TaskAwaiter`1";
    public const string SystemRuntimeCompilerServicesValueTaskAwaiter = "System.Runtime.CompilerServices.ValueTaskAwaiter";
    public const string SystemRuntimeCompilerServicesValueTaskAwaiter1 = "System.Runtime.CompilerServices.ValueTaskAwaiter`1";
    public const string SystemRuntimeCompilerServicesConfiguredTaskAwaitable = "System.Runtime.CompilerServices.ConfiguredTaskAwaitable";
    public const string SystemRuntimeCompilerServicesConfiguredTaskAwaitable1 = "System.Runtime.CompilerServices.ConfiguredTaskAwaitable`1";
    public const string SystemRuntimeCompilerServicesConfiguredValueTaskAwaitable = "System.Runtime.CompilerServices.ConfiguredValueTaskAwaitable";
    public const string SystemRuntimeCompilerServicesConfiguredValueTaskAwaitable1 = "System.Runtime.CompilerServices.ConfiguredValueTaskAwaitable`1";
    public const string SystemRuntimeCompilerServicesConfiguredTaskAwaiter = "System.Runtime.CompilerServices.ConfiguredTaskAwaitable+ConfiguredTaskAwaiter";
    public const string SystemRuntimeCompilerServicesConfiguredTaskAwaiter1 = "System.Runtime.CompilerServices.ConfiguredTaskAwaitable`1+ConfiguredTaskAwaiter";
    public const string SystemRuntimeCompilerServicesConfiguredValueTaskAwaiter = "System.Runtime.CompilerServices.ConfiguredValueTaskAwaitable+ConfiguredValueTaskAwaiter";
    public const string SystemRuntimeCompilerServicesConfiguredValueTaskAwaiter1 = "System.Runtime.CompilerServices.ConfiguredValueTaskAwaitable`1+ConfiguredValueTaskAwaiter";

    // Collections
    public const string SystemArray = "System.Array";
    public const string SystemLinqEnumerable = "System.Linq.Enumerable";
    public const string SystemLinqParallelEnumerable = "System.Linq.ParallelEnumerable";
    public const string SystemCollectionsGenericList1 = "System.Collections.Generic.List`1";
    public const string SystemCollectionsGenericDictionary2 = "System.Collections.Generic.Dictionary`2";
    public const string SystemCollectionsGenericHashSet1 = "System.Collections.Generic.HashSet`1";
    public const string SystemCollectionsGenericQueue1 = "System.Collections.Generic.Queue`1";
    public const string SystemCollectionsGenericStack1 = "System.Collections.Generic.Stack`1";
    public const string SystemCollectionsGenericLinkedList1 = "System.Collections.Generic.LinkedList`1";
    public const string SystemCollectionsGenericSortedDictionary2 = "System.Collections.Generic.SortedDictionary`2";
    public const string SystemCollectionsGenericSortedList2 = "System.Collections.Generic.SortedList`2";
    public const string SystemCollectionsGenericSortedSet1 = "System.Collections.Generic.SortedSet`1";
    public const string SystemCollectionsGenericPriorityQueue2 = "System.Collections.Generic.PriorityQueue`2";
    public const string SystemCollectionsGenericICollection1 = "System.Collections.Generic.ICollection`1";
    public const string SystemCollectionsGenericIDictionary2 = "System.Collections.Generic.IDictionary`2";
    public const string SystemCollectionsGenericIReadOnlyCollection1 = "System.Collections.Generic.IReadOnlyCollection`1";
    public const string SystemCollectionsGenericIReadOnlyDictionary2 = "System.Collections.Generic.IReadOnlyDictionary`2";
    public const string SystemCollectionsArrayList = "System.Collections.ArrayList";
    public const string SystemCollectionsHashtable = "System.Collections.Hashtable";
    public const string SystemCollectionsQueue = "System.Collections.Queue";
    public const string SystemCollectionsStack = "System.Collections.Stack";
    public const string SystemCollectionsConcurrentBlockingCollection1 = "System.Collections.Concurrent.BlockingCollection`1";
    public const string SystemCollectionsConcurrentConcurrentQueue1 = "System.Collections.Concurrent.ConcurrentQueue`1";
    public const string SystemCollectionsConcurrentConcurrentDictionary2 = "System.Collections.Concurrent.ConcurrentDictionary`2";
    public const string SystemCollectionsConcurrentConcurrentBag1 = "System.Collections.Concurrent.ConcurrentBag`1";
    public const string SystemCollectionsConcurrentConcurrentStack1 = "System.Collections.Concurrent.ConcurrentStack`1";
    public const string SystemThreadingChannelsChannelReader1 = "System.Threading.Channels.ChannelReader`1";

    // I/O that waits on the outside world
    public const string SystemIOFile = "System.IO.File";
    public const string SystemIOStream = "System.IO.Stream";
    public const string SystemIOTextReader = "System.IO.TextReader";
    public const string SystemIOStreamReader = "System.IO.StreamReader";
    public const string SystemIOStringReader = "System.IO.StringReader";
    public const string SystemIOStringWriter = "System.IO.StringWriter";
    public const string SystemIOMemoryStream = "System.IO.MemoryStream";
    public const string SystemIOUnmanagedMemoryStream = "System.IO.UnmanagedMemoryStream";
    public const string SystemIOBinaryReader = "System.IO.BinaryReader";
    public const string SystemNetSocketsSocket = "System.Net.Sockets.Socket";
    public const string SystemNetSocketsTcpClient = "System.Net.Sockets.TcpClient";
    public const string SystemNetSocketsTcpListener = "System.Net.Sockets.TcpListener";
    public const string SystemNetSocketsUdpClient = "System.Net.Sockets.UdpClient";
    public const string SystemNetHttpHttpClient = "System.Net.Http.HttpClient";
    public const string SystemDiagnosticsProcess = "System.Diagnostics.Process";
    public const string SystemIOFileSystemWatcher = "System.IO.FileSystemWatcher";

    // The runtime library, known by name only: the analyzers never reference it.
    public const string LockstepRunsConcurrentlyAttribute = "Lockstep.RunsConcurrentlyAttribute";
    public const string LockstepGuardedByAttribute = "Lockstep.GuardedByAttribute";
    public const string LockstepRequiresLockAttribute = "Lockstep.RequiresLockAttribute";
    public const string LockstepAcquiredBeforeAttribute = "Lockstep.AcquiredBeforeAttribute";
    public const string LockstepAcquiredAfterAttribute = "Lockstep.AcquiredAfterAttribute";
    public const string LockstepAsyncLock = "Lockstep.AsyncLock";
    public const string LockstepLocks = "Lockstep.Locks";
    public const string LockstepOrderedLock = "Lockstep.OrderedLock";
    public const string LockstepGuarded1 = "Lockstep.Guarded`1";
    public const string LockstepBoundedWorkQueue = "Lockstep.BoundedWorkQueue";
}
