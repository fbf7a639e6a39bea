using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Lockstep.Analyzers.Model;

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
}

/// <summary>Whose instance a field access goes through; decides whether two threads can reach the same storage.</summary>
internal enum InstanceKind
{
    /// <summary>Static storage, or a captured local/parameter: one location for everyone.</summary>
    Static,

    /// <summary><c>this</c> of the running method: shared when the method runs on a shared object.</summary>
    This,

    /// <summary>An object created by the accessing function itself and not published: private to this invocation.</summary>
    Fresh,

    /// <summary>Any other object (a field's value, a local of unknown origin…): assumed reachable by others.</summary>
    Other,

    /// <summary>
    /// A parameter of the running function. For the body of a per-element API (Parallel.ForEach, PLINQ, async
    /// fan-out) it is the element of this call, distinct from the other calls' elements; otherwise unknown.
    /// </summary>
    Parameter,
}

/// <summary>One access to a potentially shared location (field, static auto-property, captured local or parameter).</summary>
internal sealed class AccessFact
{
    private ImmutableArray<LockIdentity> _locks;
    private readonly IOperation? _lockSite;

    public AccessFact(ISymbol location, AccessKind kind, IOperation operation, ImmutableArray<LockIdentity> locks, bool isAtomic, InstanceKind instance, IMethodSymbol function)
        : this(location, kind, operation, null, isAtomic, instance, function)
    {
        _locks = locks;
    }

    /// <summary>Locks are worked out from <paramref name="lockSite"/> on first use: most accesses are never reached from concurrent code.</summary>
    public AccessFact(ISymbol location, AccessKind kind, IOperation operation, IOperation? lockSite, bool isAtomic, InstanceKind instance, IMethodSymbol function)
    {
        _lockSite = lockSite;
        Location = location;
        Kind = kind;
        Operation = operation;
        IsAtomic = isAtomic;
        Instance = instance;
        Function = function;
    }

    public ISymbol Location { get; }
    public AccessKind Kind { get; }

    /// <summary>Where to report: the update expression, the <c>if</c> condition, the mutating call.</summary>
    public IOperation Operation { get; }

    /// <summary>Locks held at the access within its own function.</summary>
    public ImmutableArray<LockIdentity> Locks
    {
        get
        {
            if (_locks.IsDefault)
                _locks = _lockSite is null ? ImmutableArray<LockIdentity>.Empty : HeldLocks.At(_lockSite);
            return _locks;
        }
    }

    /// <summary>Done through <c>Interlocked</c> or <c>Volatile</c>.</summary>
    public bool IsAtomic { get; }

    public InstanceKind Instance { get; }
    public IMethodSymbol Function { get; }

    /// <summary>For <see cref="AccessKind.ReadModifyWrite"/> split over statements: the earlier read that was copied to a local.</summary>
    public IOperation? EarlierRead { get; set; }

    /// <summary>For check-then-act: the accesses in the acted-on branch, which must not be reported again by other rules.</summary>
    public List<IOperation>? ActOperations { get; set; }

    public bool IsWrite => Kind is not AccessKind.Read;
}

/// <summary>A synchronous call from one function of the compilation to another.</summary>
internal sealed class CallFact
{
    private ImmutableArray<LockIdentity> _locks;
    private readonly IOperation _site;

    public CallFact(IMethodSymbol target, IOperation site, InstanceKind receiver, int position, bool isInLoop)
    {
        _site = site;
        IsInLoop = isInLoop;
        Target = target;
        Receiver = receiver;
        Position = position;
    }

    public IMethodSymbol Target { get; }

    /// <summary>The calling operation (invocation, property access, object creation, operator).</summary>
    public IOperation Site => _site;

    /// <summary>Locks held at the call, worked out on first use.</summary>
    public ImmutableArray<LockIdentity> Locks
    {
        get
        {
            if (_locks.IsDefault)
                _locks = HeldLocks.At(_site);
            return _locks;
        }
    }

    /// <summary>The object the callee runs on (its <c>this</c>).</summary>
    public InstanceKind Receiver { get; }

    public int Position { get; }

    /// <summary>Made inside a loop of the calling function, so possibly many times.</summary>
    public bool IsInLoop { get; }
}

/// <summary>How a piece of code was started concurrently; used for multiplicity and for the message.</summary>
internal enum StartKind
{
    Thread,
    Task,
    ThreadPool,
    Parallel,
    ParallelInvoke,
    Plinq,
    Timer,
    AsyncFanOut,
    Annotated,
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

    /// <summary>Started in a loop or a repeated callback, or by an API that runs the body many times at once.</summary>
    public bool IsRepeated { get; set; }

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

/// <summary>Everything the model records about one function (method, accessor, local function or lambda).</summary>
internal sealed class FunctionFacts
{
    public FunctionFacts(IMethodSymbol function) => Function = function;

    public IMethodSymbol Function { get; }
    public List<AccessFact> Accesses { get; } = new();
    public List<CallFact> Calls { get; } = new();
    public List<StartFact> Starts { get; } = new();
    public List<AcquisitionFact> Acquisitions { get; } = new();

    /// <summary>The function whose body declares this lambda or local function, if any.</summary>
    public IMethodSymbol? Enclosing { get; set; }

    /// <summary>True for a lambda handed to an API that calls it once per element (LINQ, List.ForEach…).</summary>
    public bool IsCalledPerElement { get; set; }
}

/// <summary>One lock acquisition in a function: a <c>lock</c> statement, an acquiring call, or a held scope.</summary>
internal sealed class AcquisitionFact
{
    private ImmutableArray<HeldLock> _held;

    public AcquisitionFact(LockIdentity @lock, IOperation operation, IOperation? value, bool waitsIndefinitely, IMethodSymbol function)
    {
        Lock = @lock;
        Operation = operation;
        Value = value;
        WaitsIndefinitely = waitsIndefinitely;
        Function = function;
    }

    public LockIdentity Lock { get; }

    /// <summary>The <c>lock</c> statement or the acquiring call (for <c>AcquireInOrder</c>, the call, once per lock).</summary>
    public IOperation Operation { get; }

    /// <summary>The expression that names the lock.</summary>
    public IOperation? Value { get; }

    /// <summary>False for try-forms with a timeout: they give up rather than wait for ever, so they cannot deadlock.</summary>
    public bool WaitsIndefinitely { get; }

    public IMethodSymbol Function { get; }

    /// <summary>True for the locks of one <c>Locks.AcquireInOrder</c> call, which takes them in one global order.</summary>
    public bool IsOrderedGroup => Operation is IInvocationOperation invocation && HeldLocks.IsAcquireInOrder(invocation);

    /// <summary>Locks already held, within this function, when this one is taken; worked out on first use.</summary>
    public ImmutableArray<HeldLock> Held
    {
        get
        {
            if (_held.IsDefault)
                _held = HeldLocks.SitesAt(Operation);
            return _held;
        }
    }
}
