using Lockstep.Analyzers.Internal;
using Microsoft.CodeAnalysis;

namespace Lockstep.Analyzers.Catalogue;

/// <summary>
/// Every concurrency API Lockstep knows, resolved from symbols once per compilation: lock primitives, blocking calls
/// and their async counterparts, starts of concurrent work, joins and waits, proofs that a task has completed,
/// collections, atomics, the runtime library's types, and the APIs that run a delegate on the caller's thread. This is
/// the one place that names APIs: everywhere else asks it by symbol (a convention test keeps it so), so the lists
/// cannot drift apart between rules.
/// </summary>
internal sealed class ConcurrencyCatalogue
{
    private static readonly PerCompilationCache<ConcurrencyCatalogue> Cache = new();

    private ConcurrencyCatalogue(Compilation compilation)
    {
        Types = new KnownTypes(compilation);
        Tasks = new TaskCatalogue(Types);
        Timeouts = new Timeouts(Types);
        Locks = new LockCatalogue(Types, Tasks, Timeouts);
        Blocking = new BlockingCatalogue(Types, Tasks, Timeouts);
        Loops = new LoopCatalogue(Types);
        Starts = new StartCatalogue(Types, Timeouts, Tasks, Loops);
        Collections = new CollectionCatalogue(Types);
        Atomics = new AtomicCatalogue(Types);
        Delegates = new DelegateInvokers(Types);
        ControlFlow = new ControlFlowCatalogue(Types);
        ImmutableValues = new ImmutableValues(Types, Tasks);
        ThreadSafety = new ThreadSafetyEvidence(Types);
        ValueFactories = new ValueFactoryCatalogue(Types, Tasks);
    }

    /// <summary>The catalogue of <paramref name="compilation"/>, built on first request and shared by every rule.</summary>
    public static ConcurrencyCatalogue For(Compilation compilation) => Cache.GetOrBuild(compilation, () => new ConcurrencyCatalogue(compilation));

    public KnownTypes Types { get; }

    public TaskCatalogue Tasks { get; }

    public Timeouts Timeouts { get; }

    public LockCatalogue Locks { get; }

    public BlockingCatalogue Blocking { get; }

    public StartCatalogue Starts { get; }

    public CollectionCatalogue Collections { get; }

    public AtomicCatalogue Atomics { get; }

    public LoopCatalogue Loops { get; }

    public DelegateInvokers Delegates { get; }

    public ControlFlowCatalogue ControlFlow { get; }

    public ImmutableValues ImmutableValues { get; }

    public ValueFactoryCatalogue ValueFactories { get; }

    public ThreadSafetyEvidence ThreadSafety { get; }

    /// <summary>Nothing can run concurrently in a compilation without threads and tasks: the rules that need them stay off.</summary>
    public bool HasThreadsOrTasks => Types.Thread is not null || Types.Task is not null;
}
