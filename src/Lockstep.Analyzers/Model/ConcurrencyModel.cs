using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Lockstep.Analyzers.Catalogue;
using Lockstep.Analyzers.Engine;
using Lockstep.Analyzers.Internal;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Lockstep.Analyzers.Model;

/// <summary>
/// The whole-program concurrency model: what runs concurrently (the starts and their multiplicity), which locks are
/// held (locksets carried along calls), and which shared locations are updated without synchronisation while another
/// strand writes them. Built once per compilation, on first request, from the engine's facts and call graph, and shared
/// by every rule that asks; the rules report from compilation-end actions.
/// </summary>
internal sealed class ConcurrencyModel
{
    private static readonly PerCompilationCache<ConcurrencyModel> Cache = new();

    private readonly ImmutableArray<FunctionFacts> _functions;
    private readonly Dictionary<IMethodSymbol, FunctionFacts> _byFunction = new(SymbolEqualityComparer.Default);
    private readonly MethodSummaries _summaries;
    private readonly Dictionary<ISymbol, List<ContextualAccess>> _accessesByLocation = new(SymbolEqualityComparer.Default);
    private readonly HashSet<ISymbol> _captured = new(SymbolEqualityComparer.Default);
    private readonly HashSet<StartFact> _repeated = new();

    /// <summary>The locks each strand holds at some shared access it makes: the locks its code knows about.</summary>
    private readonly Dictionary<ExecutionContext, HashSet<LockIdentity>> _locksHeldBy = new();

    /// <summary>
    /// Starts repeated only because their starter is called more than once (not by nature: a loop, a periodic callback,
    /// two start sites). Whether two of those calls can overlap on one object is an inference the call graph alone
    /// makes; a race of such a start with itself is a warning only where the code also treats the location as shared.
    /// </summary>
    private readonly HashSet<StartFact> _repeatedByCalls = new();

    /// <summary>
    /// Where each function is entered from: the call sites and start operations that lead into it, with the function
    /// holding each. Used to lift a call up through functions that have one way in, to the function where two calls are
    /// alternatives or one is a strand's last step.
    /// </summary>
    private readonly Dictionary<IMethodSymbol, List<(IOperation Site, IMethodSymbol In)>> _incoming = new(SymbolEqualityComparer.Default);

    /// <summary>
    /// Pairs (earlier, later) of starts that never run at the same time: every way the later one is started is either
    /// the earlier one's last step (a reader thread that hands over to a reader task as it ends) or the alternative of
    /// the earlier one's start in the same run of a common function (<c>if (sync) StartThread(); else StartTask();</c>).
    /// </summary>
    private readonly HashSet<(StartFact, StartFact)> _handOvers = new();

    /// <summary>Each start's way up (<see cref="Lift"/> from its start operation), worked out once.</summary>
    private readonly Dictionary<StartFact, List<(IOperation Site, IMethodSymbol In)>> _startPaths = new();

    /// <summary>
    /// Static local functions that every call hands <c>this</c> (<c>StartReader(this)</c>, written static only to keep
    /// the lambda it starts from capturing more than it needs): what they start works on the caller's own object.
    /// </summary>
    private readonly HashSet<IMethodSymbol> _givenThisOnly = new(SymbolEqualityComparer.Default);

    private ConcurrencyModel(ImmutableArray<FunctionFacts> functions, MethodSummaries summaries)
    {
        _functions = functions;
        _summaries = summaries;
        foreach (var facts in functions)
            _byFunction[facts.Function] = facts;
    }

    public ImmutableArray<RaceFinding> ReadModifyWrites { get; private set; } = ImmutableArray<RaceFinding>.Empty;
    public ImmutableArray<RaceFinding> CheckThenActs { get; private set; } = ImmutableArray<RaceFinding>.Empty;
    public ImmutableArray<RaceFinding> CollectionMutations { get; private set; } = ImmutableArray<RaceFinding>.Empty;

    /// <summary>The functions whose walk stopped at the call-graph budget: what they reach further on was not looked at.</summary>
    public ImmutableArray<IMethodSymbol> Exhausted { get; private set; } = ImmutableArray<IMethodSymbol>.Empty;

    /// <summary>The model of the compilation, built from the index on first request and then shared.</summary>
    public static ConcurrencyModel For(Compilation compilation, MethodSummaries summaries, CancellationToken cancellationToken)
    {
        return Cache.GetOrBuild(compilation, () =>
        {
            var model = new ConcurrencyModel(summaries.Index.Collected, summaries);
            model.Analyze(cancellationToken);
            return model;
        });
    }

    private void Analyze(CancellationToken cancellationToken)
    {
        var starts = _functions.SelectMany(f => f.Starts).ToList();
        if (starts.Count == 0)
            return; // a single-threaded program has no races to report

        CollectIncoming(starts, cancellationToken);
        MarkRepeatedStarts(starts, cancellationToken);
        FindHandOvers(starts);
        CollectCapturedVariables();

        var exhausted = new List<IMethodSymbol>();
        foreach (var start in starts)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var entry = new ExecutionContext(start, isStarter: false, IsRepeated(start));
            var receiver = start.Receiver switch
            {
                InstanceKind.Fresh => Sharing.Private,
                InstanceKind.PerStart => Sharing.PerStart,
                _ => Sharing.Shared,
            };
            if (!Walk(entry, start.Target, receiver, WindowOfStartedCode(start), cancellationToken))
                exhausted.Add(start.Target);

            if (start.WindowEnd > start.Operation.Syntax.SpanStart && StartingFunction(start) is { } starter)
            {
                var starterContext = new ExecutionContext(start, isStarter: true, isRepeated: false);
                if (!Walk(starterContext, starter, Sharing.Shared, window: (start.Operation.Syntax.Span.End, start.WindowEnd), cancellationToken))
                    exhausted.Add(starter);
            }
        }

        Exhausted = exhausted.Distinct<IMethodSymbol>(SymbolEqualityComparer.Default).ToImmutableArray();
        FindRaces();
    }

    private bool IsRepeated(StartFact start) => start.IsRepeated || _repeated.Contains(start);

    /// <summary>
    /// The part of the started code that runs concurrently: all of it, except for an async handler called without
    /// await, which runs on the caller's thread, as part of the caller, until its first await (in source order: the
    /// earliest it can return to its caller). What it does and calls before then is the loop's, one call after another.
    /// </summary>
    private (int From, int To)? WindowOfStartedCode(StartFact start)
    {
        if (start.Kind != StartKind.Handler)
            return null;
        if (!_byFunction.TryGetValue(start.Target, out var facts))
            return (int.MaxValue, int.MaxValue);

        int firstAwait = int.MaxValue;
        foreach (var operation in OperationTree.SameFunctionDescendants<IOperation>(facts.Root))
        {
            if (operation is IAwaitOperation or IForEachLoopOperation { IsAsynchronous: true })
                firstAwait = System.Math.Min(firstAwait, operation.Syntax.SpanStart);
        }

        return (firstAwait, int.MaxValue);
    }

    /// <summary>
    /// What only the whole program shows about multiplicity: a function started at two places, or started from code
    /// that itself runs repeatedly (a start in a function that is called twice or from a loop, or inside a repeated
    /// start's code), runs concurrently with itself.
    /// </summary>
    private void MarkRepeatedStarts(List<StartFact> starts, CancellationToken cancellationToken)
    {
        // A one-shot callback that its own run registers again through a helper (OnReceive → StartReceive →
        // BeginReceive(OnReceive)) is a chain of runs, one after another: neither that registration nor the helper's
        // calls from the chain make the callback run twice at once. (Registered again in the callback itself before its
        // work, it does: StartRecognizer keeps that one and drops one made as the callback's last step.)
        var chains = new HashSet<StartFact>(starts.Where(s => IsRegistrationChain(s, cancellationToken)));
        foreach (var group in starts.GroupBy(s => s.Target, SymbolEqualityComparer.Default))
        {
            // A type's callers are not a second start site: "callers may call it" says nothing of its running twice.
            if (group.Count(s => !chains.Contains(s) && s.Kind != StartKind.Callers) > 1)
                _repeated.UnionWith(group.Where(s => s.Kind != StartKind.Callers));
        }

        // Calls of each function, and those of them made on the same object (through this, or of a local function).
        var callCounts = new Dictionary<IMethodSymbol, int>(SymbolEqualityComparer.Default);
        var sameObjectCalls = new Dictionary<IMethodSymbol, int>(SymbolEqualityComparer.Default);
        var calledInLoops = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
        foreach (var call in _functions.SelectMany(f => f.Calls))
        {
            int weight = call.IsInLoop ? 2 : 1;
            foreach (var target in _summaries.Graph.Targets(call, AsyncCalls.Follow, cancellationToken))
            {
                if (call.IsInLoop)
                    calledInLoops.Add(target);
                callCounts[target] = (callCounts.TryGetValue(target, out var count) ? count : 0) + weight;
                if (call.Receiver == InstanceKind.This || target.MethodKind == MethodKind.LocalFunction)
                    sameObjectCalls[target] = (sameObjectCalls.TryGetValue(target, out var same) ? same : 0) + weight;
            }
        }

        foreach (var start in starts)
        {
            // A method that starts work on its own object (a reader thread per connection: new Thread(ReadLoop)) and is
            // called from several places starts one run per object it is called on; those runs share nothing of the
            // object's state with each other. Work on the object's state is repeated only when the starter runs twice
            // on the same object (called through this, or a local function called twice).
            var counts = StartsWorkOnItsOwnObject(start) ? sameObjectCalls : callCounts;

            // A start behind a check of the object's state (if (_status == Idle) { _status = Running; start(); }, a
            // CompareExchange guard) is the start-once pattern: calling the starter again does not start a second run.
            if (!FactCollector.RunsOncePerCall(start.Operation, OperationTree.FunctionRoot(start.Operation)))
                continue;
            // Called in a loop, the starter runs again by nature; called from two places, only by inference, and not when
            // those places are alternatives of one run of a common function (the else of a start whose strand calls it
            // again only as its last step is one run at a time).
            bool inLoop = calledInLoops.Contains(start.Starter);
            if (counts.TryGetValue(start.Starter, out var calls) && calls > 1 && !chains.Contains(start)
                && (inLoop || !AreAlternativesPerRun(start.Starter))
                && _repeated.Add(start)
                && !inLoop)
            {
                _repeatedByCalls.Add(start);
            }
        }

        // A start inside a repeated entry's code is repeated too (tasks started from a Parallel.For body). Not from the
        // entry points of a type's callers (a caller of Start() calls it once; that it may call it while another caller
        // runs another member says nothing about starting twice), and not a start behind a check of the object's state.
        for (int round = 0; round < 3; round++)
        {
            foreach (var start in starts.Where(s => IsRepeated(s) && s.Kind != StartKind.Callers).ToList())
            {
                foreach (var nested in _summaries.Reach(start.Target, _summaries.StartsReached, cancellationToken).Found)
                {
                    // A start of work on its own object reached from a repeated entry of another type (a reconnect timer
                    // that makes a new connection, whose constructor or connect starts that connection's reader) runs
                    // once per object the entry reaches: which object that is, is unknown, and an object of unknown
                    // provenance is not assumed to be the same one each time. From an entry of the starter's own type,
                    // the entry's object is the starter's: repeated.
                    var starter = nested.Key;
                    if (StartsWorkOnItsOwnObject(starter) && !SymbolEqualityComparer.Default.Equals(start.Target.ContainingType, starter.Starter.ContainingType))
                        continue;
                    if (FactCollector.RunsOncePerCall(starter.Operation, OperationTree.FunctionRoot(starter.Operation)))
                        _repeated.Add(starter);
                }
            }
        }
    }

    private void CollectIncoming(List<StartFact> starts, CancellationToken cancellationToken)
    {
        var notGivenThis = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
        foreach (var facts in _functions)
        {
            foreach (var call in facts.Calls)
            {
                foreach (var target in _summaries.Graph.Targets(call, AsyncCalls.Follow, cancellationToken))
                {
                    Incoming(target).Add((call.Site, facts.Function));
                    if (target is { MethodKind: MethodKind.LocalFunction, IsStatic: true })
                    {
                        if (call.Arguments.Any(a => a.Kind == InstanceKind.This))
                            _givenThisOnly.Add(target);
                        else
                            notGivenThis.Add(target);
                    }
                }
            }
        }

        _givenThisOnly.ExceptWith(notGivenThis);

        foreach (var start in starts)
        {
            if (start.Kind is not (StartKind.Annotated or StartKind.Callers))
                Incoming(start.Target).Add((start.Operation, start.Starter));
        }

        List<(IOperation Site, IMethodSymbol In)> Incoming(IMethodSymbol function)
        {
            if (!_incoming.TryGetValue(function, out var list))
                _incoming.Add(function, list = new List<(IOperation Site, IMethodSymbol In)>());
            return list;
        }
    }

    /// <summary>
    /// The way up from <paramref name="site"/>: the site, then, while the function holding it has exactly one way in,
    /// the call or start that enters it, and so on (at most eight steps; a cycle ends it).
    /// </summary>
    private List<(IOperation Site, IMethodSymbol In)> Lift(IOperation site, IMethodSymbol function)
    {
        var path = new List<(IOperation Site, IMethodSymbol In)> { (site, function) };
        var seen = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default) { function };
        while (path.Count < 8 && _incoming.TryGetValue(path[path.Count - 1].In, out var ways) && ways.Count == 1 && seen.Add(ways[0].In))
            path.Add(ways[0]);
        return path;
    }

    /// <summary>Two ways up meet in a function where they sit in different branches of one if/else or switch.</summary>
    private static bool MeetInExclusiveBranches(List<(IOperation Site, IMethodSymbol In)> first, List<(IOperation Site, IMethodSymbol In)> second)
    {
        foreach (var a in first)
        {
            foreach (var b in second)
            {
                if (SymbolEqualityComparer.Default.Equals(a.In, b.In))
                    return a.Site != b.Site && AreExclusiveBranches(a.Site, b.Site);
            }
        }

        return false;
    }

    /// <summary>Every two ways into <paramref name="function"/> are alternatives of one run of a common function.</summary>
    private bool AreAlternativesPerRun(IMethodSymbol function)
    {
        if (!_incoming.TryGetValue(function, out var ways) || ways.Count < 2 || ways.Count > 4)
            return false;

        var paths = ways.Select(w => Lift(w.Site, w.In)).ToList();
        for (int i = 0; i < paths.Count; i++)
        {
            for (int j = i + 1; j < paths.Count; j++)
            {
                if (!MeetInExclusiveBranches(paths[i], paths[j]))
                    return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Pairs of starts where every way the later one is started is the earlier one's last step, or the alternative of
    /// the earlier one's start: a reader thread that hands over to a reader task as it ends, else started in its place.
    /// </summary>
    private void FindHandOvers(List<StartFact> starts)
    {
        // Only starts whose ways up share a function can be alternatives or hand-overs: index them by those functions.
        var byFunction = new Dictionary<IMethodSymbol, List<StartFact>>(SymbolEqualityComparer.Default);
        foreach (var start in starts)
        {
            if (IsRepeated(start) || start.Kind is StartKind.Annotated or StartKind.Callers)
                continue;
            foreach (var step in PathOf(start))
            {
                if (!byFunction.TryGetValue(step.In, out var list))
                    byFunction.Add(step.In, list = new List<StartFact>());
                if (!list.Contains(start))
                    list.Add(start);
            }
        }

        foreach (var later in starts)
        {
            if (IsRepeated(later) || later.Kind is StartKind.Annotated or StartKind.Callers
                || !_incoming.TryGetValue(later.Starter, out var ways) || ways.Count == 0 || ways.Count > 4)
            {
                continue;
            }

            var laterPaths = ways.Select(w => Lift(w.Site, w.In)).ToList();
            var candidates = new List<StartFact>();
            foreach (var step in laterPaths.SelectMany(path => path))
            {
                if (byFunction.TryGetValue(step.In, out var sharing))
                {
                    foreach (var candidate in sharing)
                    {
                        if (!candidates.Contains(candidate))
                            candidates.Add(candidate);
                    }
                }
            }

            foreach (var earlier in candidates)
            {
                if (earlier == later)
                    continue; // the index holds only unrepeated starts of code the program shows

                var earlierPath = PathOf(earlier);
                bool separate = true;
                foreach (var path in laterPaths)
                {
                    if (MeetInExclusiveBranches(path, earlierPath) || IsHandedOverBy(path, earlier))
                        continue;
                    separate = false;
                    break;
                }

                if (separate)
                    _handOvers.Add((earlier, later));
            }
        }
    }

    private List<(IOperation Site, IMethodSymbol In)> PathOf(StartFact start)
    {
        if (!_startPaths.TryGetValue(start, out var path))
            _startPaths.Add(start, path = Lift(start.Operation, start.Starter));
        return path;
    }

    /// <summary>The way up reaches <paramref name="earlier"/>'s start through last steps only: the earlier strand's final act.</summary>
    private bool IsHandedOverBy(List<(IOperation Site, IMethodSymbol In)> path, StartFact earlier)
    {
        for (int i = 0; i < path.Count; i++)
        {
            if (i + 1 < path.Count && path[i + 1].Site == earlier.Operation)
                return IsLastStep(path[i].Site) && path.Take(i).All(step => IsLastStep(step.Site));
            if (!IsLastStep(path[i].Site))
                return false;
        }

        return false;
    }

    /// <summary>
    /// Nothing of its function runs after <paramref name="operation"/>: no statement follows it on the way up (returns
    /// aside), it is not in a loop, and not in a try body or catch whose finally still runs.
    /// </summary>
    private static bool IsLastStep(IOperation operation)
    {
        IOperation current = operation;
        for (var parent = operation.Parent; parent is not null && current is not (IAnonymousFunctionOperation or ILocalFunctionOperation); current = parent, parent = parent.Parent)
        {
            switch (parent)
            {
                case IBlockOperation block:
                    for (int i = block.Operations.IndexOf(current) + 1; i < block.Operations.Length; i++)
                    {
                        if (block.Operations[i] is not (IReturnOperation { ReturnedValue: null } or IEmptyOperation or ILocalFunctionOperation))
                            return false;
                    }

                    break;
                case ILoopOperation:
                    return false;
                case ITryOperation @try when @try.Finally is not null && current != @try.Finally:
                    return false;
            }
        }

        return true;
    }

    /// <summary>A start of work on the starter's own object (<c>this</c> or one of its fields), made by an instance method.</summary>
    private bool StartsWorkOnItsOwnObject(StartFact start) =>
        start.Receiver is InstanceKind.This or InstanceKind.ThisField && (!start.Starter.IsStatic || _givenThisOnly.Contains(start.Starter));

    /// <summary>A one-shot callback's registration made, through calls, by the callback's own run.</summary>
    private bool IsRegistrationChain(StartFact start, CancellationToken cancellationToken)
    {
        if (start.Kind != StartKind.Callback || SymbolEqualityComparer.Default.Equals(start.Starter, start.Target))
            return false;

        foreach (var reached in _summaries.Reach(start.Target, _summaries.StartsReached, cancellationToken).Found)
        {
            if (reached.Key == start)
                return true;
        }

        return false;
    }

    private static IMethodSymbol? StartingFunction(StartFact start) => start.Kind is StartKind.Annotated or StartKind.Callers ? null : start.Starter;

    /// <summary>Whether a strand's <c>this</c> (or an object handed to it) is reachable by other strands.</summary>
    private enum Sharing
    {
        /// <summary>An object the strand made and kept to itself, or one of unknown provenance (not assumed shared).</summary>
        Private,

        /// <summary>Reachable by other strands.</summary>
        Shared,

        /// <summary>Each run of a repeated start has its own object; it is shared only with the code that started that run.</summary>
        PerStart,
    }

    /// <summary>What a strand carries along the calls it makes: the locks held, whose object <c>this</c> is, and (in the starter's own function only) the window it runs alongside the started work.</summary>
    private readonly struct StrandState
    {
        public StrandState(ImmutableHashSet<LockIdentity> locks, Sharing thisSharing, (int From, int To)? window, int depth = 0, uint sharedParameters = uint.MaxValue)
        {
            Locks = locks;
            This = thisSharing;
            Window = window;
            Depth = depth;
            SharedParameters = sharedParameters;
        }

        /// <summary>
        /// Which parameters of the current function hold objects other strands can reach (bit per ordinal): a callee's
        /// parameter is as shared as the argument its caller passes. All set at a strand's entry, whose arguments
        /// come from code the strand does not see.
        /// </summary>
        public uint SharedParameters { get; }

        public bool IsSharedParameter(int ordinal) => ordinal is < 0 or >= 32 || (SharedParameters & (1u << ordinal)) != 0;

        /// <summary>How many calls from the strand's entry (not part of the state's identity: the walk is breadth first, so the first visit is the nearest).</summary>
        public int Depth { get; }

        public ImmutableHashSet<LockIdentity> Locks { get; }
        public Sharing This { get; }
        public (int From, int To)? Window { get; }
    }

    private sealed class StrandStateComparer : IEqualityComparer<StrandState>
    {
        public static readonly StrandStateComparer Instance = new();

        public bool Equals(StrandState x, StrandState y) =>
            x.This == y.This && x.Window == y.Window && x.SharedParameters == y.SharedParameters && x.Locks.SetEquals(y.Locks);

        public int GetHashCode(StrandState obj) => (LocksKey(obj.Locks) * 31 + (int)obj.This) * 31 + (int)obj.SharedParameters;
    }

    /// <summary>
    /// Follows one strand through the calls it makes (the engine's walk), carrying the locks held at each call, and
    /// records every access to a location other strands can reach. Returns false when the walk stopped at the budget.
    /// </summary>
    private bool Walk(ExecutionContext context, IMethodSymbol entry, Sharing entryThis, (int From, int To)? window, CancellationToken cancellationToken)
    {
        return _summaries.Walk(
            entry,
            new StrandState(ImmutableHashSet<LockIdentity>.Empty, entryThis, window),
            StrandStateComparer.Instance,
            (facts, state) =>
            {
                foreach (var access in facts.Accesses)
                {
                    if (state.Window is { } w && !Inside(access.Operation.Syntax.SpanStart, w))
                        continue;
                    var sharing = SharingOf(access, context, state);
                    if (sharing == Sharing.Private)
                        continue;

                    var effective = state.Locks.Union(access.Locks);
                    if (!effective.IsEmpty)
                    {
                        if (!_locksHeldBy.TryGetValue(context, out var held))
                            _locksHeldBy[context] = held = new HashSet<LockIdentity>();
                        held.UnionWith(effective);
                    }

                    if (!_accessesByLocation.TryGetValue(access.Location, out var list))
                        _accessesByLocation[access.Location] = list = new List<ContextualAccess>();
                    list.Add(new ContextualAccess(access, context, effective, sharing == Sharing.PerStart, state.Depth));
                }
            },
            (facts, call, state) =>
            {
                if (state.Window is { } w && !Inside(call.Position, w))
                    return (false, state);

                // Concurrent callers of a thread-safe type's members: the members are the entry points, so the walk stays
                // within the type (its private helpers); what other types do is their own members' business.
                if (context.Start.Kind == StartKind.Callers
                    && !SymbolEqualityComparer.Default.Equals(Outermost(call.Invoked.ContainingType), Outermost(context.Start.Target.ContainingType)))
                {
                    return (false, state);
                }

                var calleeThis = SharingOfSource(call.ReceiverSource, context, facts.Function, state);
                uint calleeParameters = 0;
                for (int i = 0; i < call.Arguments.Length && i < 32; i++)
                {
                    if (SharingOfSource(call.Arguments[i], context, facts.Function, state) != Sharing.Private)
                        calleeParameters |= 1u << i;
                }

                return (true, new StrandState(state.Locks.Union(call.Locks), calleeThis, null, state.Depth + 1, calleeParameters));
            },
            cancellationToken);
    }

    /// <summary>How shared the object an expression of the current function names is, in this strand.</summary>
    private Sharing SharingOfSource(ObjectSource source, ExecutionContext context, IMethodSymbol function, StrandState state) => source.Kind switch
    {
        InstanceKind.This or InstanceKind.ThisField => state.This,
        InstanceKind.Unknown or InstanceKind.Fresh => Sharing.Private,
        InstanceKind.PerStart => context.IsStarter ? Sharing.Shared : Sharing.PerStart,
        InstanceKind.Parameter => IsElementOfThisCall(context, function) || !state.IsSharedParameter(source.Parameter) ? Sharing.Private : Sharing.Shared,
        _ => Sharing.Shared,
    };

    private static bool Inside(int position, (int From, int To) window) => position >= window.From && position < window.To;

    private static int LocksKey(ImmutableHashSet<LockIdentity> locks)
    {
        int key = locks.Count;
        foreach (var identity in locks)
            key ^= identity.GetHashCode();
        return key;
    }

    /// <summary>Locals and parameters used by a function other than the one that declares them: captured by a lambda or local function.</summary>
    private void CollectCapturedVariables()
    {
        foreach (var facts in _functions)
        {
            foreach (var access in facts.Accesses)
            {
                if (access.Location is ILocalSymbol or IParameterSymbol
                    && access.Location.ContainingSymbol is IMethodSymbol declaring
                    && !SymbolEqualityComparer.Default.Equals(declaring.OriginalDefinition, access.Function))
                {
                    _captured.Add(access.Location);
                }
            }
        }
    }

    /// <summary>
    /// Whether two strands can reach the same storage through this access: static storage always; <c>this</c> as the
    /// strand's object is shared; never an object the strand made and kept; an object handed to each run of a start
    /// only with its starter; a local only when the started code captured it from the function that started it (each
    /// run of the started function, and of what it calls, has its own locals).
    /// </summary>
    private Sharing SharingOf(AccessFact access, ExecutionContext context, StrandState state)
    {
        var thisSharing = state.This;
        if (access.Location is ILocalSymbol or IParameterSymbol)
        {
            if (access.Location.ContainingSymbol is not IMethodSymbol declaring)
                return Sharing.Private;

            // A variable no lambda or local function captures lives in one activation of its function, which runs on
            // one thread: a loop counter in a method that started code calls is private to each call.
            if (!_captured.Contains(access.Location))
                return Sharing.Private;
            if (context.IsStarter)
                return Sharing.Shared;

            // The started code shares a variable with other runs and with its starter only when it captured it from the
            // function that started it (the started lambda is nested in the declaring function). A variable of the
            // started function itself, or of a function it calls (captured by a lambda run inline, a local function),
            // lives in that run's own activation.
            var declaringFunction = declaring.OriginalDefinition;
            return IsWithin(context.Start.Target, declaringFunction) && !SymbolEqualityComparer.Default.Equals(context.Start.Target, declaringFunction)
                ? Sharing.Shared
                : Sharing.Private;
        }

        return access.Instance switch
        {
            InstanceKind.Static => Sharing.Shared,
            InstanceKind.This or InstanceKind.ThisField => thisSharing,
            InstanceKind.Unknown => Sharing.Private, // not assumed shared: see InstanceKind.Unknown
            InstanceKind.Fresh => Sharing.Private,
            InstanceKind.PerStart => context.IsStarter ? Sharing.Shared : Sharing.PerStart,
            InstanceKind.Parameter => IsElementOfThisCall(context, access.Function) || !state.IsSharedParameter(access.ReceiverParameter) ? Sharing.Private : Sharing.Shared,
            _ => Sharing.Shared,
        };
    }

    /// <summary>
    /// The element a per-element API hands to its body (<c>Parallel.ForEach(orders, o => o.Ship())</c>) is that call's
    /// own: different calls get different elements, so updating the element's fields is not shared between them.
    /// </summary>
    private static bool IsElementOfThisCall(ExecutionContext context, IMethodSymbol function) =>
        !context.IsStarter
        && context.Start.Kind is StartKind.Parallel or StartKind.Plinq or StartKind.AsyncFanOut or StartKind.Handler
        && SymbolEqualityComparer.Default.Equals(function, context.Start.Target);

    /// <summary>True when <paramref name="function"/> is <paramref name="container"/> or a lambda/local function nested in it.</summary>
    private bool IsWithin(IMethodSymbol function, IMethodSymbol container)
    {
        for (IMethodSymbol? current = function; current is not null; current = _byFunction.TryGetValue(current, out var facts) ? facts.Enclosing : null)
        {
            if (SymbolEqualityComparer.Default.Equals(current, container))
                return true;
        }

        return false;
    }

    private void FindRaces()
    {
        var readModifyWrites = new Dictionary<IOperation, RaceFinding>();
        var checkThenActs = new Dictionary<IOperation, RaceFinding>();
        var mutations = new Dictionary<IOperation, RaceFinding>();

        foreach (var recorded in _accessesByLocation.Values)
        {
            // Explain a race by the work the program visibly starts before falling back on its callers.
            var accesses = recorded.OrderBy(a => a.Context.Start.Kind == StartKind.Callers ? 1 : 0).ToList();
            bool lockedElsewhere = accesses.Any(a => a.Access.IsWrite && !a.Locks.IsEmpty);
            // The code treats the location as shared: it is volatile, updated atomically somewhere, or written under a
            // lock of its own type somewhere (a lock of another object says nothing about this one's field).
            var location = accesses[0].Access.Location;
            bool declaredShared = accesses.Any(a => a.Access.IsAtomic) || location is IFieldSymbol { IsVolatile: true };
            // Writes by place in the source (x ??= v is a check and a write at one place), each locked only when every
            // strand that reaches it holds a lock of the location's own type there.
            // A check-then-act counts at its act, which is also recorded as a write.
            var writePlaces = accesses.Where(a => a.Access.IsWrite)
                .GroupBy(a => a.Access.Kind == AccessKind.CheckThenAct && !a.Access.ActOperations.IsDefaultOrEmpty
                    ? a.Access.ActOperations[0].Syntax.SpanStart
                    : a.Access.Operation.Syntax.SpanStart)
                .Select(g => g.All(a => a.Locks.Any(l => IsLockOf(l, location.ContainingType))))
                .ToList();
            int lockedWrites = writePlaces.Count(locked => locked);
            bool treatedAsShared = declaredShared || lockedWrites > 0;

            // For concurrency inferred from a type's callers, only a lost update is a warning, and only where the type says
            // this very location is shared: most of its writes (two at least) under the type's own lock, or volatile or
            // atomic somewhere (volatile does not make ++ or |= atomic, a classic lost update). One locked write among many
            // unlocked ones is a lock for something else (a cancellation path), not this field's guard. A check-then-act
            // or a collection change inferred from callers is a suggestion: on the real-code panel such warnings were
            // right one time in four (helpers whose callers hold the lock, state one caller owns at a time, deliberate
            // lock-free flags and references swapped whole).
            bool lockGuarded = lockedWrites >= 2 && lockedWrites * 3 >= writePlaces.Count * 2;
            foreach (var candidate in accesses)
            {
                var access = candidate.Access;
                if (access.IsAtomic || !candidate.Locks.IsEmpty || access.Kind is AccessKind.Read or AccessKind.Write)
                    continue;

                bool breaksOnChange = access.Kind is AccessKind.CheckThenUse or AccessKind.Iteration;
                var partner = breaksOnChange ? FindBreakingChange(candidate, accesses, location.ContainingType, _summaries.Index.Catalogue.Atomics) : FindPartner(candidate, accesses);
                if (partner is null)
                    continue;

                // Concurrency inferred from a type's callers is reported only where the type itself shows the location
                // is shared (volatile, atomic somewhere, or written under the type's own lock somewhere): the
                // read-modify-write outside the lock that guards its other writes. Without that, the type's author may
                // well mean callers to take a lock around it.
                if ((candidate.Context.Start.Kind == StartKind.Callers || partner.Context.Start.Kind == StartKind.Callers) && !treatedAsShared)
                    continue;

                var readerTree = access.Operation.Syntax.SyntaxTree;
                string origin = candidate.Context.Describe(readerTree);
                string partnerOrigin = partner.Context.Describe(readerTree);
                if (partner.Context != candidate.Context && partnerOrigin != origin)
                    origin += " and by " + partnerOrigin;

                var target = access.Kind switch
                {
                    AccessKind.CheckThenAct or AccessKind.CheckThenUse => checkThenActs,
                    AccessKind.CollectionMutation or AccessKind.Iteration => mutations,
                    _ => readModifyWrites,
                };
                bool fromCallers = candidate.Context.Start.Kind == StartKind.Callers || partner.Context.Start.Kind == StartKind.Callers;
                // A null check then use, or an iteration, outside the lock under which another member clears the field or
                // changes the collection: the author guards the location with that lock and this reader skips it, and
                // the consequence is a crash (a null dereference, "collection was modified"), not a judgement call.
                // Volatile or atomic updates say the same of the location. Against an unlocked change only, the type
                // may leave synchronisation to its callers: a suggestion, as for check-then-act.
                bool guardedForCallers = access.Kind == AccessKind.ReadModifyWrite && (lockGuarded || declaredShared)
                    || breaksOnChange && (declaredShared || IsGuardTheReaderIgnores(candidate, partner, accesses, location.ContainingType));
                bool selfRaceByCallCount = partner.Context == candidate.Context && !candidate.Context.Start.IsRepeated
                    && _repeatedByCalls.Contains(candidate.Context.Start);
                bool evident = fromCallers
                    ? guardedForCallers
                    : selfRaceByCallCount
                    ? treatedAsShared || CreatesDisposable(access)
                    : treatedAsShared
                        || (IsNearItsStart(candidate) && IsNearItsStart(partner) && !IsLazyInitialisationOfExistingObject(access))
                        || CreatesDisposable(access);
                if (!target.ContainsKey(access.Operation))
                    target[access.Operation] = new RaceFinding(access, origin, lockedElsewhere, evident);
            }
        }

        // The act of a reported check-then-act is part of that report: one diagnostic per mistake.
        var acts = new HashSet<IOperation>(checkThenActs.Values.SelectMany(f => f.Access.ActOperations));
        bool IsAct(RaceFinding finding) =>
            acts.Contains(finding.Access.Operation)
            || finding.Access.Operation.DescendantsAndSelf().Any(acts.Contains)
            || acts.Any(act => act.Syntax.Span.Contains(finding.Access.Operation.Syntax.Span));

        ReadModifyWrites = Order(readModifyWrites.Values.Where(f => !IsAct(f)));
        CheckThenActs = Order(checkThenActs.Values);
        CollectionMutations = Order(mutations.Values.Where(f => !IsAct(f)));
    }

    /// <summary>A lock that belongs to <paramref name="type"/>: <c>lock (this)</c> or <c>lock (typeof(T))</c> of it, or one of its fields or properties.</summary>
    private static bool IsLockOf(LockIdentity identity, INamedTypeSymbol? type) =>
        type is not null && (identity.Shape is LockShape.This or LockShape.TypeOf
            ? SymbolEqualityComparer.Default.Equals(identity.Symbol, type)
            : SymbolEqualityComparer.Default.Equals(identity.Symbol.ContainingType, type));

    /// <summary>Calls deeper than this from the start are inferred concurrency, reported as a suggestion unless the code says the location is shared.</summary>
    private const int EvidentDepth = 2;

    /// <summary>
    /// The concurrency is plain to see: the access is in the started code or within <see cref="EvidentDepth"/> calls
    /// of it, or in code of the type that starts the work (its own state, its own threads).
    /// </summary>
    private static bool IsNearItsStart(ContextualAccess access)
    {
        if (access.Depth <= EvidentDepth)
            return true;

        var owner = Outermost(access.Access.Function.ContainingType);
        var start = access.Context.Start;
        return SymbolEqualityComparer.Default.Equals(owner, Outermost(start.Starter.ContainingType))
            || SymbolEqualityComparer.Default.Equals(owner, Outermost(start.Target.ContainingType));
    }

    private static INamedTypeSymbol? Outermost(INamedTypeSymbol? type)
    {
        while (type?.ContainingType is { } containing)
            type = containing;
        return type;
    }

    /// <summary>
    /// Lazy initialisation with a value that is not made here (<c>_target ??= services.Get&lt;T&gt;()</c>): racing
    /// initialisers waste a call, and it matters only if the call makes a new object each time, which the code does not
    /// show. A suggestion, unless the value is disposable (see <see cref="CreatesDisposable"/>). Creating a new mutable
    /// object (<c>_items ??= new List&lt;T&gt;()</c>) stays evident: what the losing thread puts into its copy is lost.
    /// </summary>
    private static bool IsLazyInitialisationOfExistingObject(AccessFact access)
    {
        if (access.Kind != AccessKind.CheckThenAct)
            return false;
        if (access.Operation is ICoalesceAssignmentOperation coalesce)
            return Unconverted(coalesce.Value) is not (IObjectCreationOperation or IArrayCreationOperation);

        // if (_target == null) _target = services.Get<T>();
        bool testsNull = access.Operation is IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals } equals
                && (Unconverted(equals.RightOperand).ConstantValue is { HasValue: true, Value: null } || Unconverted(equals.LeftOperand).ConstantValue is { HasValue: true, Value: null })
            || access.Operation is IIsPatternOperation { Pattern: IConstantPatternOperation { Value: var constant } } && Unconverted(constant).ConstantValue is { HasValue: true, Value: null };
        return testsNull
            && !access.ActOperations.IsEmpty
            && access.ActOperations.All(act => act is ISimpleAssignmentOperation { Value: var value } && Unconverted(value) is not (IObjectCreationOperation or IArrayCreationOperation));
    }

    /// <summary>
    /// A check-then-act that creates something disposable (<c>_c ??= new Connection()</c>, or a factory of the
    /// compilation that returns a new one): the loser's copy leaks. A value fetched from elsewhere
    /// (<c>services.GetRequiredService&lt;T&gt;()</c>) is not created by the race.
    /// </summary>
    private bool CreatesDisposable(AccessFact access)
    {
        if (access.Kind != AccessKind.CheckThenAct)
            return false;
        if (access.Operation is ICoalesceAssignmentOperation coalesce)
            return IsNewDisposable(coalesce.Value);
        foreach (var act in access.ActOperations)
        {
            if (act is ISimpleAssignmentOperation { Value: var value } && IsNewDisposable(value))
                return true;
        }

        return false;
    }

    private bool IsNewDisposable(IOperation value)
    {
        value = Unconverted(value);
        if (!LockCatalogue.IsDisposable(value.Type))
            return false;
        if (value is IObjectCreationOperation)
            return true;
        if (value is not IInvocationOperation { TargetMethod: var factory } || _summaries.Index.Get(factory.OriginalDefinition, CancellationToken.None) is not { } facts)
            return false;

        // A factory of the compilation: it returns an object it creates (directly, or through a local made with new).
        var created = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
        foreach (var declarator in OperationTree.SameFunctionDescendants<IVariableDeclaratorOperation>(facts.Root))
        {
            if (declarator.Initializer?.Value is { } initial && Unconverted(initial) is IObjectCreationOperation)
                created.Add(declarator.Symbol);
        }

        foreach (var returned in OperationTree.SameFunctionDescendants<IReturnOperation>(facts.Root))
        {
            var result = returned.ReturnedValue is { } returnedValue ? Unconverted(returnedValue) : null;
            if (result is IObjectCreationOperation || result is ILocalReferenceOperation { Local: var local } && created.Contains(local))
                return true;
        }

        return false;
    }

    private static IOperation Unconverted(IOperation value)
    {
        while (value is IConversionOperation conversion)
            value = conversion.Operand;
        return value;
    }

    private static ImmutableArray<RaceFinding> Order(IEnumerable<RaceFinding> findings) =>
        findings.OrderBy(f => f.Location.SourceTree?.FilePath, System.StringComparer.Ordinal).ThenBy(f => f.Location.SourceSpan.Start).ToImmutableArray();

    /// <summary>
    /// Another access that can run at the same time without a common lock: a write (or any access, for a collection
    /// being mutated, since readers of a collection under change can fail). The access itself counts when its strand
    /// runs concurrently with itself, or when it is reached from two strands that run at the same time (two threads
    /// calling one helper).
    /// </summary>
    private ContextualAccess? FindPartner(ContextualAccess candidate, List<ContextualAccess> accesses)
    {
        ContextualAccess? best = null;
        foreach (var other in accesses)
        {
            bool sameAccess = ReferenceEquals(other.Access, candidate.Access);
            if (!Concurrent(candidate, other))
                continue;
            if (!sameAccess && !other.Access.IsWrite && candidate.Access.Kind != AccessKind.CollectionMutation)
                continue;
            if (!candidate.Locks.Intersect(other.Locks).IsEmpty)
                continue;

            if (sameAccess && other.Context == candidate.Context)
                return other; // racing with itself is the clearest explanation
            best ??= other;
        }

        return best;
    }

    /// <summary>
    /// For a null check then use, or an iteration: a concurrent change that breaks it, with no lock in common. A null
    /// check is broken by a write that stores null (another value is just as usable); an iteration by a change of the
    /// collection (replacing the whole collection leaves the enumerator on the old one). The accesses themselves only
    /// read, so they never race with themselves. A change under a lock of the location's own type is preferred: it shows
    /// the lock is meant to guard the location.
    /// </summary>
    private ContextualAccess? FindBreakingChange(ContextualAccess candidate, List<ContextualAccess> accesses, INamedTypeSymbol? owner, AtomicCatalogue atomics)
    {
        ContextualAccess? best = null;
        foreach (var other in accesses)
        {
            if (ReferenceEquals(other.Access, candidate.Access) || !Concurrent(candidate, other) || !candidate.Locks.Intersect(other.Locks).IsEmpty)
                continue;

            bool breaks = candidate.Access.Kind == AccessKind.Iteration ? other.Access.Kind == AccessKind.CollectionMutation : StoresNull(other.Access, atomics);
            if (!breaks)
                continue;
            if (other.Locks.Any(l => IsLockOf(l, owner)))
                return other;
            best ??= other;
        }

        return best;
    }

    /// <summary>
    /// The breaking change holds a lock of the location's own type that the reading code ignores altogether: its strand
    /// never holds that lock at any shared access, and no other strand reaches the same read holding it. A reader whose
    /// strand does take the lock elsewhere (on another branch, in a helper it calls first), or whose read other callers
    /// make under the lock, is making a choice the code does not show: a helper whose callers say they hold the lock
    /// (<c>if (semaphoreHeld) DoRemove(); else { await s.WaitAsync(); … }</c>, <c>if (!held) throw …</c>), a collection
    /// filled once under an initialisation lock and only read after it, a copy it believes safe. On the real-code panel
    /// those were all false, so they stay suggestions.
    /// </summary>
    private bool IsGuardTheReaderIgnores(ContextualAccess reader, ContextualAccess change, List<ContextualAccess> accesses, INamedTypeSymbol? owner)
    {
        // A read on a branch a caller's bool argument chooses (if (!lockHeld) throw …; or if (lockHeld) Walk();): the
        // caller's flag says what it holds.
        var read = reader.Access;
        if (!Branches.Of(read.Operation, OperationTree.FunctionRoot(read.Operation), read.Function, _summaries.Index.Catalogue).Flags.IsEmpty)
            return false;

        _locksHeldBy.TryGetValue(reader.Context, out var readerLocks);
        foreach (var guard in change.Locks)
        {
            if (!IsLockOf(guard, owner) || readerLocks is not null && readerLocks.Contains(guard))
                continue;
            if (!accesses.Any(other => ReferenceEquals(other.Access, reader.Access) && other.Locks.Contains(guard)))
                return true;
        }

        return false;
    }

    /// <summary><c>_x = null</c>, <c>_x = default</c>, <c>Interlocked.Exchange(ref _x, null)</c>, <c>Volatile.Write(ref _x, null)</c>.</summary>
    private static bool StoresNull(AccessFact access, AtomicCatalogue atomics)
    {
        if (access.Kind != AccessKind.Write)
            return false;
        if (access.Operation is ISimpleAssignmentOperation assignment)
            return IsNull(assignment.Value);
        return access.Operation.Parent is IArgumentOperation { Parent: IInvocationOperation call }
            && atomics.StoredValue(call) is { } stored && IsNull(stored);

        static bool IsNull(IOperation value) => Unconverted(value) is IDefaultValueOperation || Unconverted(value).ConstantValue is { HasValue: true, Value: null };
    }

    /// <summary>Whether the two accesses can run at the same time on the same object.</summary>
    private bool Concurrent(ContextualAccess first, ContextualAccess second)
    {
        // Each run of a repeated start has its own handed-over object: runs of one start do not share it.
        if (first.Context == second.Context && first.IsPerStart && second.IsPerStart)
            return false;

        return Concurrent(first.Context, second.Context);
    }

    private bool Concurrent(ExecutionContext first, ExecutionContext second)
    {
        if (first == second)
            return first.IsRepeated;

        if (first.IsStarter || second.IsStarter)
            return first.Start == second.Start && first.IsStarter != second.IsStarter;

        // One strand hands over to the other as its last step, or the other is started instead of it: never both at once.
        if (!first.IsRepeated && !second.IsRepeated && (_handOvers.Contains((first.Start, second.Start)) || _handOvers.Contains((second.Start, first.Start))))
            return false;

        // Two starts in one function: not concurrent when the first is joined before the second starts.
        // (One operation starting several delegates, Parallel.Invoke, runs them all at once.)
        var a = first.Start;
        var b = second.Start;
        if (a.Operation != b.Operation && SymbolEqualityComparer.Default.Equals(a.Starter, b.Starter))
        {
            int aStart = a.Operation.Syntax.SpanStart;
            int bStart = b.Operation.Syntax.SpanStart;
            if (aStart < bStart && a.WindowEnd <= bStart && !first.IsRepeated)
                return false;
            if (bStart < aStart && b.WindowEnd <= aStart && !second.IsRepeated)
                return false;

            // Alternatives: if (sync) new Thread(Read).Start(); else Task.Run(ReadAsync); starts one or the other per
            // run of the starter, so they overlap only when the starter itself runs more than once.
            if (!first.IsRepeated && !second.IsRepeated && AreExclusiveBranches(a.Operation, b.Operation))
                return false;
        }

        return true;
    }

    /// <summary>Whether two operations of one function sit in different branches of one <c>if</c>/<c>else</c>, <c>?:</c> or switch.</summary>
    private static bool AreExclusiveBranches(IOperation first, IOperation second)
    {
        for (var parent = first.Parent; parent is not null; parent = parent.Parent)
        {
            if (!parent.Syntax.Span.Contains(second.Syntax.Span))
                continue;

            // The innermost operation holding both: exclusive when they sit in different branches of it.
            return parent switch
            {
                IConditionalOperation conditional => conditional.WhenFalse is { } whenFalse
                    && (Holds(conditional.WhenTrue, first) && Holds(whenFalse, second) || Holds(whenFalse, first) && Holds(conditional.WhenTrue, second)),
                // C# cases do not fall through (a goto case would be the exception, and is rare enough to accept).
                ISwitchOperation @switch => @switch.Cases.FirstOrDefault(c => Holds(c, first)) is { } firstCase
                    && @switch.Cases.FirstOrDefault(c => Holds(c, second)) is { } secondCase
                    && firstCase != secondCase,
                _ => false,
            };
        }

        return false;
    }

    private static bool Holds(IOperation container, IOperation operation) => container.Syntax.Span.Contains(operation.Syntax.Span);

    private sealed class ContextualAccess
    {
        public ContextualAccess(AccessFact access, ExecutionContext context, ImmutableHashSet<LockIdentity> locks, bool isPerStart, int depth)
        {
            Access = access;
            Context = context;
            Locks = locks;
            IsPerStart = isPerStart;
            Depth = depth;
        }

        /// <summary>Calls between the strand's entry and the access: 0 in the started code itself.</summary>
        public int Depth { get; }

        public AccessFact Access { get; }
        public ExecutionContext Context { get; }
        public ImmutableHashSet<LockIdentity> Locks { get; }

        /// <summary>Through an object each run of the start has its own of.</summary>
        public bool IsPerStart { get; }
    }
}
