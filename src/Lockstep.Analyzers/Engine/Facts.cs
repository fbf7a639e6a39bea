using System.Collections.Generic;
using System.Collections.Immutable;
using Lockstep.Analyzers.Catalogue;
using Lockstep.Analyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Lockstep.Analyzers.Engine;

/// <summary>How an access uses a shared location.</summary>
internal enum AccessKind
{
    Read,
    Write,

    /// <summary><c>x++</c>, <c>x += n</c>, <c>x = x + 1</c>, or a read copied to a local and written back later.</summary>
    ReadModifyWrite,

    /// <summary>A check of the location followed by a change of it under the check (<c>if (_n > 0) _n--;</c>).</summary>
    CheckThenAct,

    /// <summary>A call that changes a non-thread-safe collection (<c>Add</c>, <c>Remove</c>, an indexer set…).</summary>
    CollectionMutation,

    /// <summary>
    /// A null check of the location followed by a second read that uses it (<c>if (_h != null) _h.Invoke();</c>): reads
    /// only, so not a write, but stale when another strand sets the location to null in between.
    /// </summary>
    CheckThenUse,

    /// <summary>An enumeration of a non-thread-safe collection (<c>foreach</c>, a LINQ operator): a read that fails when the collection changes under it.</summary>
    Iteration,
}

/// <summary>Whose instance a field access goes through; decides whether two strands can reach the same storage.</summary>
internal enum InstanceKind
{
    /// <summary>Static storage, or a captured local/parameter: one location for everyone.</summary>
    Static,

    /// <summary><c>this</c> of the running method: shared when the method runs on a shared object.</summary>
    This,

    /// <summary>An object the accessing function created and has not let escape: private to this run of it.</summary>
    Fresh,

    /// <summary>An object this function made that escaped (captured by started code, stored, handed to a start), or a local several functions capture: reachable by others.</summary>
    Other,

    /// <summary>The object a field or property of <c>this</c> holds: as shared as <c>this</c> is, since everyone who shares <c>this</c> reads the same field.</summary>
    ThisField,

    /// <summary>
    /// An object of unknown provenance: a call's result, an element, a field of some other object, a local holding one
    /// of those. Not assumed shared, on purpose: two runs of the same code usually touch different such objects (one
    /// message, request or connection each), and claiming they share one is what made most race reports on real code
    /// wrong. A race through such an object is a deliberate miss.
    /// </summary>
    Unknown,

    /// <summary>
    /// An object made in each iteration of a loop and handed to the work started in that iteration: shared between that
    /// work and its starter, but each run of a repeated start has its own.
    /// </summary>
    PerStart,

    /// <summary>
    /// A parameter of the running function. For the body of a per-element API (Parallel.ForEach, PLINQ, async
    /// fan-out) it is the element of this call, distinct from the other calls' elements; otherwise unknown.
    /// </summary>
    Parameter,
}

/// <summary>One access to a potentially shared location (field, static auto-property, captured local or parameter).</summary>
internal sealed class AccessFact
{
    private readonly LazyLocks _locks;

    public AccessFact(ISymbol location, AccessKind kind, IOperation operation, IOperation? lockSite, LockCatalogue locks, bool isAtomic, InstanceKind instance, IMethodSymbol function, IOperation? earlierRead = null, ImmutableArray<IOperation> actOperations = default, int receiverParameter = -1)
    {
        ReceiverParameter = receiverParameter;
        _locks = new LazyLocks(lockSite, locks);
        Location = location;
        Kind = kind;
        Operation = operation;
        IsAtomic = isAtomic;
        Instance = instance;
        Function = function;
        EarlierRead = earlierRead;
        ActOperations = actOperations.IsDefault ? ImmutableArray<IOperation>.Empty : actOperations;
    }

    public ISymbol Location { get; }
    public AccessKind Kind { get; }

    /// <summary>Where to report: the update expression, the <c>if</c> condition, the mutating call.</summary>
    public IOperation Operation { get; }

    /// <summary>Locks held at the access within its own function, worked out on first use: most accesses are never reached from concurrent code.</summary>
    public ImmutableArray<LockIdentity> Locks => _locks.Value;

    /// <summary>Done through <c>Interlocked</c> or <c>Volatile</c>.</summary>
    public bool IsAtomic { get; }

    public InstanceKind Instance { get; }
    public IMethodSymbol Function { get; }

    /// <summary>For <see cref="InstanceKind.Parameter"/>: the ordinal of the parameter the object comes through; -1 otherwise.</summary>
    public int ReceiverParameter { get; }

    /// <summary>For <see cref="AccessKind.ReadModifyWrite"/> split over statements: the earlier read that was copied to a local.</summary>
    public IOperation? EarlierRead { get; }

    /// <summary>For check-then-act: the accesses in the acted-on branch, which must not be reported again by other rules.</summary>
    public ImmutableArray<IOperation> ActOperations { get; }

    public bool IsWrite => Kind is not (AccessKind.Read or AccessKind.CheckThenUse or AccessKind.Iteration);

    /// <summary>A copy with other locks: the read-modify-write split over statements holds only what both halves hold.</summary>
    public AccessFact WithLocks(ImmutableArray<LockIdentity> locks, AccessKind kind, IOperation operation, IOperation earlierRead) =>
        new(Location, kind, operation, locks, IsAtomic, Instance, Function, earlierRead, ReceiverParameter);

    private AccessFact(ISymbol location, AccessKind kind, IOperation operation, ImmutableArray<LockIdentity> locks, bool isAtomic, InstanceKind instance, IMethodSymbol function, IOperation earlierRead, int receiverParameter)
    {
        ReceiverParameter = receiverParameter;
        _locks = new LazyLocks(locks);
        Location = location;
        Kind = kind;
        Operation = operation;
        IsAtomic = isAtomic;
        Instance = instance;
        Function = function;
        EarlierRead = earlierRead;
        ActOperations = ImmutableArray<IOperation>.Empty;
    }
}

/// <summary>
/// A call from one function of the compilation: the method it invokes as written, and the delegates an API that runs
/// them on the calling thread is given (<c>list.ForEach(x =&gt; …)</c>). Which bodies it runs is the call graph's answer
/// (<see cref="CallGraph"/>): the method itself, the one implementation of a virtual or interface method, the delegates.
/// </summary>
internal sealed class CallFact
{
    private readonly LazyLocks _locks;

    private readonly IOperation _root;
    private readonly IMethodSymbol _caller;
    private readonly ConcurrencyCatalogue _catalogue;
    private BranchFacts? _branch;
    private ImmutableArray<FlagArgument> _flagArguments;

    public CallFact(IOperation site, IMethodSymbol invoked, ImmutableArray<IMethodSymbol> inlineDelegates, LockCatalogue locks, InstanceKind receiver, bool isInLoop, bool runsOncePerCall, IOperation root, IMethodSymbol caller, ConcurrencyCatalogue catalogue, ObjectSource receiverSource = default, ImmutableArray<ObjectSource> arguments = default)
    {
        ReceiverSource = receiverSource;
        Arguments = arguments.IsDefault ? ImmutableArray<ObjectSource>.Empty : arguments;
        _locks = new LazyLocks(site, locks);
        _root = root;
        _caller = caller;
        _catalogue = catalogue;
        Site = site;
        Invoked = invoked;
        InlineDelegates = inlineDelegates;
        Receiver = receiver;
        IsInLoop = isInLoop;
        RunsOncePerCall = runsOncePerCall;
    }

    /// <summary>The calling operation (invocation, property access, object creation, operator).</summary>
    public IOperation Site { get; }

    /// <summary>The method the call names (original definition; the extension method for a reduced call).</summary>
    public IMethodSymbol Invoked { get; }

    /// <summary>Functions of the compilation passed as delegates to an API that runs them on the calling thread.</summary>
    public ImmutableArray<IMethodSymbol> InlineDelegates { get; }

    /// <summary>Locks held at the call within the calling function, worked out on first use.</summary>
    public ImmutableArray<LockIdentity> Locks => _locks.Value;

    /// <summary>The object the callee runs on (its <c>this</c>).</summary>
    public InstanceKind Receiver { get; }

    /// <summary>Where the callee's <c>this</c> comes from, with the caller's parameter when it is one.</summary>
    public ObjectSource ReceiverSource { get; }

    /// <summary>Where each object argument comes from, by the callee's parameter ordinal (a callee's parameter is as shared as what its caller passes).</summary>
    public ImmutableArray<ObjectSource> Arguments { get; }

    public int Position => Site.Syntax.SpanStart;

    /// <summary>Made inside a loop of the calling function, so possibly many times.</summary>
    public bool IsInLoop { get; }

    /// <summary>
    /// Made on every call of the calling function, as far as a careful reader can tell without running it: not in a
    /// loop, not under an <c>if</c> that tests a field, not after an early exit that tests one.
    /// </summary>
    public bool RunsOncePerCall { get; }

    /// <summary>Which flags of the caller guard the call, whether it is the sync half of dual-mode code or on an error path; worked out on first use.</summary>
    public BranchFacts Branch => _branch ??= Branches.Of(Site, _root, _caller, _catalogue);

    /// <summary>What the call passes for the callee's <c>bool</c> parameters; worked out on first use.</summary>
    public ImmutableArray<FlagArgument> FlagArguments
    {
        get
        {
            if (_flagArguments.IsDefault)
                _flagArguments = Branches.ArgumentsOf(Site, _caller);
            return _flagArguments;
        }
    }
}

/// <summary>Whose object an expression names, and which parameter of the running function when it is one.</summary>
internal readonly struct ObjectSource
{
    public ObjectSource(InstanceKind kind, int parameter = -1)
    {
        Kind = kind;
        Parameter = parameter;
    }

    public InstanceKind Kind { get; }

    /// <summary>For <see cref="InstanceKind.Parameter"/>: the parameter's ordinal; -1 otherwise.</summary>
    public int Parameter { get; }
}

/// <summary>A place where a function is started to run concurrently with the code that starts it.</summary>
internal sealed class StartFact
{
    public StartFact(StartKind kind, IMethodSymbol target, IOperation operation, bool isRepeated, InstanceKind receiver, int windowEnd, string apiName, IMethodSymbol starter)
    {
        Starter = starter;
        Kind = kind;
        Target = target;
        Operation = operation;
        IsRepeated = isRepeated;
        Receiver = receiver;
        WindowEnd = windowEnd;
        ApiName = apiName;
    }

    public StartKind Kind { get; }
    public IMethodSymbol Target { get; }
    public IOperation Operation { get; }

    /// <summary>
    /// Started in a loop or a repeated callback, or by an API that runs the body many times at once, as far as its own
    /// function shows. The concurrency model adds what only the whole program shows (a starter called twice).
    /// </summary>
    public bool IsRepeated { get; }

    public InstanceKind Receiver { get; }

    /// <summary>
    /// Position in the starting function up to which the starter keeps running alongside the started code (the first
    /// join, wait or await after the start; the end of the function when there is none). Equal to the start's own
    /// position for APIs that return only when the work is done (Parallel.For, awaited Task.Run).
    /// </summary>
    public int WindowEnd { get; }

    public string ApiName { get; }

    /// <summary>The function whose code contains the start.</summary>
    public IMethodSymbol Starter { get; }

    public int Line => Operation.Syntax.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
}

/// <summary>One lock acquisition in a function: a <c>lock</c> statement, an acquiring call, or a held scope.</summary>
internal sealed class AcquisitionFact
{
    private readonly LockCatalogue _catalogue;
    private ImmutableArray<HeldLock> _held;

    public AcquisitionFact(LockIdentity @lock, IOperation operation, IOperation? value, bool waitsIndefinitely, bool isOrderedGroup, IMethodSymbol function, LockCatalogue catalogue)
    {
        _catalogue = catalogue;
        Lock = @lock;
        Operation = operation;
        Value = value;
        WaitsIndefinitely = waitsIndefinitely;
        IsOrderedGroup = isOrderedGroup;
        Function = function;
    }

    public LockIdentity Lock { get; }

    /// <summary>The <c>lock</c> statement or the acquiring call (for <c>AcquireInOrder</c>, the call, once per lock).</summary>
    public IOperation Operation { get; }

    /// <summary>The expression that names the lock.</summary>
    public IOperation? Value { get; }

    /// <summary>False for try-forms with a timeout: they give up rather than wait for ever, so they cannot deadlock.</summary>
    public bool WaitsIndefinitely { get; }

    /// <summary>True for the locks of one <c>Locks.AcquireInOrder</c> call, which takes them in one global order.</summary>
    public bool IsOrderedGroup { get; }

    public IMethodSymbol Function { get; }

    /// <summary>Locks already held, within this function, when this one is taken; worked out on first use.</summary>
    public ImmutableArray<HeldLock> Held
    {
        get
        {
            if (_held.IsDefault)
                _held = HeldLocks.SitesAt(Operation, _catalogue);
            return _held;
        }
    }
}

/// <summary>A call in a function that blocks its thread (a sleep or a synchronous wait), for the blocking summaries.</summary>
internal sealed class BlockingFact
{
    private readonly IOperation _root;
    private readonly IMethodSymbol _function;
    private readonly ConcurrencyCatalogue _catalogue;
    private BranchFacts? _branch;

    public BlockingFact(IOperation operation, string displayName, IInvocationOperation? awaitedCall, IOperation root, IMethodSymbol function, ConcurrencyCatalogue catalogue)
    {
        Operation = operation;
        DisplayName = displayName;
        AwaitedCall = awaitedCall;
        _root = root;
        _function = function;
        _catalogue = catalogue;
    }

    public IOperation Operation { get; }

    /// <summary>How chains name it: <c>Thread.Sleep</c>, <c>Task.Result</c>.</summary>
    public string DisplayName { get; }

    /// <summary>The function that makes the call.</summary>
    public IMethodSymbol Function => _function;

    /// <summary>For a wait on a task a call returns (<c>Read(false).GetAwaiter().GetResult()</c>): that call.</summary>
    public IInvocationOperation? AwaitedCall { get; }

    /// <summary>Which flags guard it, whether it is the sync half of dual-mode code or on an error path; worked out on first use.</summary>
    public BranchFacts Branch => _branch ??= Branches.Of(Operation, _root, _function, _catalogue);
}

/// <summary>Everything the engine records about one function (method, accessor, local function or lambda).</summary>
internal sealed class FunctionFacts
{
    public FunctionFacts(
        IMethodSymbol function,
        IMethodSymbol? enclosing,
        bool isCalledPerElement,
        ImmutableArray<AccessFact> accesses,
        ImmutableArray<CallFact> calls,
        ImmutableArray<StartFact> starts,
        ImmutableArray<AcquisitionFact> acquisitions,
        ImmutableArray<BlockingFact> blockingCalls,
        IOperation? threadStartPerCall,
        IOperation root)
    {
        Root = root;
        Function = function;
        Enclosing = enclosing;
        IsCalledPerElement = isCalledPerElement;
        Accesses = accesses;
        Calls = calls;
        Starts = starts;
        Acquisitions = acquisitions;
        BlockingCalls = blockingCalls;
        ThreadStartPerCall = threadStartPerCall;
    }

    public IMethodSymbol Function { get; }

    /// <summary>The function whose body declares this lambda or local function, if any.</summary>
    public IMethodSymbol? Enclosing { get; }

    /// <summary>True for a lambda handed to an API that calls it once per element (LINQ, List.ForEach…).</summary>
    public bool IsCalledPerElement { get; }

    public ImmutableArray<AccessFact> Accesses { get; }

    /// <summary>Calls to functions, in source order.</summary>
    public ImmutableArray<CallFact> Calls { get; }

    public ImmutableArray<StartFact> Starts { get; }

    public ImmutableArray<AcquisitionFact> Acquisitions { get; }

    /// <summary>The sleeps and synchronous waits the function makes itself, in source order, not counting waits on tasks proven complete.</summary>
    public ImmutableArray<BlockingFact> BlockingCalls { get; }

    /// <summary>The operation that is the function: the member body, the lambda or the local function.</summary>
    public IOperation Root { get; }

    /// <summary>A start of a fresh thread (LS4001) that runs on every call of the function, if there is one.</summary>
    public IOperation? ThreadStartPerCall { get; }
}

/// <summary>Locks held at an operation, computed on first use and then kept.</summary>
internal sealed class LazyLocks
{
    private readonly IOperation? _site;
    private readonly LockCatalogue? _catalogue;
    private ImmutableArray<LockIdentity> _value;

    public LazyLocks(IOperation? site, LockCatalogue catalogue)
    {
        _site = site;
        _catalogue = catalogue;
    }

    public LazyLocks(ImmutableArray<LockIdentity> value) => _value = value;

    public ImmutableArray<LockIdentity> Value
    {
        get
        {
            if (_value.IsDefault)
                _value = _site is null || _catalogue is null ? ImmutableArray<LockIdentity>.Empty : HeldLocks.At(_site, _catalogue);
            return _value;
        }
    }
}
