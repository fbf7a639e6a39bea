using Microsoft.CodeAnalysis;

namespace Lockstep.Analyzers;

public static partial class Descriptors
{
    public static readonly DiagnosticDescriptor UnsynchronizedReadModifyWrite = Create(
        DiagnosticIds.UnsynchronizedReadModifyWrite,
        title: "Do not update shared state without synchronisation",
        message: "'{0}' is {1} without synchronisation by {2}; updates can be lost",
        Categories.DataRace,
        RuleLevel.Warning,
        description: "A read-modify-write ('x++', 'x += n', 'x = x + 1', or a value read into a local and written back later) is several steps. When two threads interleave them, one thread's update overwrites the other's and is lost. Use Interlocked for single numeric updates, or hold one lock around the whole sequence.",
        isCompilationEnd: true);

    public static readonly DiagnosticDescriptor UnsynchronizedCheckThenAct = Create(
        DiagnosticIds.UnsynchronizedCheckThenAct,
        title: "Do not check shared state and act on it without synchronisation",
        message: "'{0}' is checked and then changed without synchronisation by {1}; another thread can change it in between",
        Categories.DataRace,
        RuleLevel.Warning,
        description: "Checking shared state and then acting on the result (selling a ticket when the count is positive, adding a key when it is absent, creating an instance when the field is null) is correct only if nothing changes the state between the check and the act. Hold one lock around both, or use an atomic operation that does both (Interlocked.CompareExchange, ConcurrentDictionary.GetOrAdd, LazyInitializer.EnsureInitialized).",
        isCompilationEnd: true);

    public static readonly DiagnosticDescriptor NonThreadSafeCollectionMutatedConcurrently = Create(
        DiagnosticIds.NonThreadSafeCollectionMutatedConcurrently,
        title: "Do not mutate a non-thread-safe collection from concurrent code",
        message: "'{0}' ({1}) is changed by {2}, but {1} is not thread-safe",
        Categories.DataRace,
        RuleLevel.Warning,
        description: "List, Dictionary, HashSet, Queue and the other System.Collections.Generic collections support one writer with no concurrent readers. Concurrent changes lose elements, corrupt the internal structure (endless loops in Dictionary lookups) or throw. Use a System.Collections.Concurrent collection or hold a lock around every access.",
        isCompilationEnd: true);
}
