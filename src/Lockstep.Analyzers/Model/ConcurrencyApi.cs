using Microsoft.CodeAnalysis;

namespace Lockstep.Analyzers.Model;

/// <summary>
/// The BCL (and runtime-library) types the concurrency model recognises: what starts concurrent work, what
/// synchronises, what is thread-safe. Resolved once per compilation.
/// </summary>
internal sealed class ConcurrencyApi
{
    public ConcurrencyApi(Compilation compilation)
    {
        INamedTypeSymbol? Get(string name) => compilation.GetTypeByMetadataName(name);

        Thread = Get(WellKnownTypeNames.SystemThreadingThread);
        ThreadPool = Get(WellKnownTypeNames.SystemThreadingThreadPool);
        Task = Get(WellKnownTypeNames.SystemThreadingTasksTask);
        TaskFactory = Get(WellKnownTypeNames.SystemThreadingTasksTaskFactory);
        Parallel = Get(WellKnownTypeNames.SystemThreadingTasksParallel);
        ParallelEnumerable = Get(WellKnownTypeNames.SystemLinqParallelEnumerable);
        Enumerable = Get(WellKnownTypeNames.SystemLinqEnumerable);
        ThreadingTimer = Get(WellKnownTypeNames.SystemThreadingTimer);
        TimersTimer = Get(WellKnownTypeNames.SystemTimersTimer);
        Interlocked = Get(WellKnownTypeNames.SystemThreadingInterlocked);
        Volatile = Get(WellKnownTypeNames.SystemThreadingVolatile);
        Monitor = Get(WellKnownTypeNames.SystemThreadingMonitor);
        SemaphoreSlim = Get(WellKnownTypeNames.SystemThreadingSemaphoreSlim);
        Mutex = Get(WellKnownTypeNames.SystemThreadingMutex);
        ReaderWriterLockSlim = Get(WellKnownTypeNames.SystemThreadingReaderWriterLockSlim);
        SpinLock = Get(WellKnownTypeNames.SystemThreadingSpinLock);
        ThreadStaticAttribute = Get(WellKnownTypeNames.SystemThreadStaticAttribute);
        RunsConcurrentlyAttribute = Get(WellKnownTypeNames.LockstepRunsConcurrentlyAttribute);
    }

    public INamedTypeSymbol? Thread { get; }
    public INamedTypeSymbol? ThreadPool { get; }
    public INamedTypeSymbol? Task { get; }
    public INamedTypeSymbol? TaskFactory { get; }
    public INamedTypeSymbol? Parallel { get; }
    public INamedTypeSymbol? ParallelEnumerable { get; }
    public INamedTypeSymbol? Enumerable { get; }
    public INamedTypeSymbol? ThreadingTimer { get; }
    public INamedTypeSymbol? TimersTimer { get; }
    public INamedTypeSymbol? Interlocked { get; }
    public INamedTypeSymbol? Volatile { get; }
    public INamedTypeSymbol? Monitor { get; }
    public INamedTypeSymbol? SemaphoreSlim { get; }
    public INamedTypeSymbol? Mutex { get; }
    public INamedTypeSymbol? ReaderWriterLockSlim { get; }
    public INamedTypeSymbol? SpinLock { get; }
    public INamedTypeSymbol? ThreadStaticAttribute { get; }
    public INamedTypeSymbol? RunsConcurrentlyAttribute { get; }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<IPropertySymbol, bool> _autoProperties = new(SymbolEqualityComparer.Default);

    /// <summary>Memoises the auto-property check, which looks at every member of the containing type.</summary>
    public bool IsAutoProperty(IPropertySymbol property, System.Func<IPropertySymbol, bool> compute) =>
        _autoProperties.GetOrAdd(property, compute);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<IFieldSymbol, bool> _threadStatic = new(SymbolEqualityComparer.Default);

    /// <summary>A [ThreadStatic] field has one copy per thread; memoised because every reference asks.</summary>
    public bool IsThreadStatic(IFieldSymbol field)
    {
        if (ThreadStaticAttribute is null || !field.IsStatic)
            return false;

        return _threadStatic.GetOrAdd(field, f =>
        {
            foreach (var attribute in f.GetAttributes())
            {
                if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, ThreadStaticAttribute))
                    return true;
            }

            return false;
        });
    }

    public static bool Is(ITypeSymbol? type, INamedTypeSymbol? expected) =>
        expected is not null && SymbolEqualityComparer.Default.Equals(type?.OriginalDefinition, expected);

    /// <summary>
    /// Collections documented as safe for concurrent use: System.Collections.Concurrent, immutable collections,
    /// channels. Mutating them from several threads is not a race (their compound check-then-act still can be).
    /// </summary>
    public static bool IsThreadSafeCollection(ITypeSymbol? type)
    {
        var ns = type?.ContainingNamespace;
        return Internal.Namespaces.Is(ns, "System", "Collections", "Concurrent") || Internal.Namespaces.Is(ns, "System", "Collections", "Immutable")
            || Internal.Namespaces.Is(ns, "System", "Threading", "Channels");
    }

    /// <summary>
    /// The BCL collections whose instance members are documented as not thread-safe for writers
    /// (List, Dictionary, HashSet, Queue, Stack, LinkedList, the sorted collections, arrays lists).
    /// </summary>
    public static bool IsNonThreadSafeCollection(ITypeSymbol? type)
    {
        if (type is not INamedTypeSymbol named)
            return false;

        var ns = named.OriginalDefinition.ContainingNamespace;
        if (Internal.Namespaces.Is(ns, "System", "Collections", "Generic"))
        {
            return named.OriginalDefinition.MetadataName is "List`1" or "Dictionary`2" or "HashSet`1" or "Queue`1" or "Stack`1"
                or "LinkedList`1" or "SortedDictionary`2" or "SortedList`2" or "SortedSet`1" or "PriorityQueue`2";
        }

        return Internal.Namespaces.Is(ns, "System", "Collections") && named.MetadataName is "ArrayList" or "Hashtable" or "Queue" or "Stack";
    }

    /// <summary>Members of those collections that change them.</summary>
    public static bool IsMutatingMember(string name) => name is
        "Add" or "AddRange" or "Insert" or "InsertRange" or "Remove" or "RemoveAt" or "RemoveAll" or "RemoveRange" or "RemoveWhere"
        or "Clear" or "Enqueue" or "Dequeue" or "TryDequeue" or "EnqueueRange" or "Push" or "PushRange" or "Pop" or "TryPop"
        or "TryAdd" or "Sort" or "Reverse" or "AddFirst" or "AddLast" or "AddBefore" or "AddAfter" or "RemoveFirst" or "RemoveLast"
        or "UnionWith" or "IntersectWith" or "ExceptWith" or "SymmetricExceptWith" or "TrimExcess" or "EnsureCapacity" or "SetValue";
}
