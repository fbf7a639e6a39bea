using Microsoft.CodeAnalysis;

namespace Lockstep.Analyzers;

public static partial class Descriptors
{
    public static readonly DiagnosticDescriptor UnsynchronizedReadModifyWrite = Create(
        DiagnosticIds.UnsynchronizedReadModifyWrite,
        title: "Do not update shared state without synchronisation",
        message: "'{0}' is {1} without synchronisation by {2}, so updates can be lost; update it with 'Interlocked' or hold one lock around the whole read-modify-write",
        Categories.DataRace,
        RuleLevel.Warning,
        description: "A read-modify-write ('x++', 'x += n', 'x = x + 1', or a value read into a local and written back later) is several steps. When two threads interleave them, one thread's update overwrites the other's and is lost. Use Interlocked for single numeric updates, or hold one lock around the whole sequence.",
        isCompilationEnd: true);

    public static readonly DiagnosticDescriptor UnsynchronizedCheckThenAct = Create(
        DiagnosticIds.UnsynchronizedCheckThenAct,
        title: "Do not check shared state and act on it without synchronisation",
        message: "'{0}' is checked and then changed or read again without synchronisation by {1}, so another thread can change it in between; hold one lock around the check and what follows, or use one atomic operation or one read into a local",
        Categories.DataRace,
        RuleLevel.Warning,
        description: "Checking shared state and then acting on the result (selling a ticket when the count is positive, adding a key when it is absent, creating an instance when the field is null) is correct only if nothing changes the state between the check and the act. Hold one lock around both, or use an atomic operation that does both (Interlocked.CompareExchange, ConcurrentDictionary.GetOrAdd, LazyInitializer.EnsureInitialized).",
        isCompilationEnd: true);

    public static readonly DiagnosticDescriptor NonThreadSafeCollectionMutatedConcurrently = Create(
        DiagnosticIds.NonThreadSafeCollectionMutatedConcurrently,
        title: "Do not mutate a non-thread-safe collection from concurrent code",
        message: "'{0}' ({1}) is changed or walked by {2}, but {1} is not thread-safe; use a System.Collections.Concurrent collection or hold one lock around every access to '{0}'",
        Categories.DataRace,
        RuleLevel.Warning,
        description: "List, Dictionary, HashSet, Queue and the other System.Collections.Generic collections support one writer with no concurrent readers. Concurrent changes lose elements, corrupt the internal structure (endless loops in Dictionary lookups) or throw. Use a System.Collections.Concurrent collection or hold a lock around every access.",
        isCompilationEnd: true);

    public static readonly DiagnosticDescriptor InconsistentSynchronization = Create(
        DiagnosticIds.InconsistentSynchronization,
        title: "Access a field under the lock that guards it everywhere else",
        message: "'{0}' is accessed while holding '{1}' in {2} of {3} places but not here; hold '{1}' here too",
        Categories.DataRace,
        RuleLevel.Suggestion,
        description: "When most accesses to a field, and at least one write, hold the same lock, the lock is evidently meant to guard the field. An access without it can see a half-finished update or lose one. Writes count double when deciding, and reads whose type is read atomically are not reported.");

    public static readonly DiagnosticDescriptor GuardedByViolation = Create(
        DiagnosticIds.GuardedByViolation,
        title: "Hold the lock a [GuardedBy] member names",
        message: "'{0}' requires holding '{1}', which is not held here; take '{1}' around this access",
        Categories.DataRace,
        RuleLevel.Warning,
        description: "[GuardedBy(nameof(_sync))] on a field or property, and [RequiresLock(nameof(_sync))] on a method, are contracts: every access or call must hold that lock, unless the member is constructing its own object, is marked [RequiresLock] itself, or is private and only called with the lock held.");

    public static readonly DiagnosticDescriptor SideEffectInValueFactory = Create(
        DiagnosticIds.SideEffectInValueFactory,
        title: "Keep side effects out of ConcurrentDictionary value factories",
        message: "The value factory passed to '{0}' {1}{2}, but racing calls can each run it and keep only one result, so the others leak or repeat that; use 'Lazy<T>' values or create the value under a lock",
        Categories.DataRace,
        RuleLevel.Warning,
        description: "ConcurrentDictionary.GetOrAdd and AddOrUpdate run their value factory outside any lock: when several threads ask for a missing key at once, each may run the factory, one result is stored and the others are dropped. A factory that creates something that must be disposed, starts a thread, task or timer, registers a callback or adds to another collection leaks or repeats that for every dropped result. Store Lazy<T> values (only the stored one's Value runs), or check, create and add under a lock.");
}
