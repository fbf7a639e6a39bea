using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Lockstep.Analyzers.Internal;
using Microsoft.CodeAnalysis;

namespace Lockstep.Analyzers.Engine;

/// <summary>
/// One question about what a function does through the calls it makes: which things of a kind (a blocking call, a
/// lock taken, a thread started on every call) it reaches, each with the shortest chain of calls to one place that does
/// it. <see cref="Local"/> says what a function does itself; <see cref="FollowsCall"/> which of its calls count.
/// </summary>
internal sealed class ReachQuestion<TKey, TFact>
    where TKey : notnull
{
    public ReachQuestion(Func<FunctionFacts, IEnumerable<KeyValuePair<TKey, TFact>>> local, Func<CallFact, bool> followsCall, AsyncCalls async)
    {
        Local = local;
        FollowsCall = followsCall;
        Async = async;
    }

    public Func<FunctionFacts, IEnumerable<KeyValuePair<TKey, TFact>>> Local { get; }

    public Func<CallFact, bool> FollowsCall { get; }

    public AsyncCalls Async { get; }
}

/// <summary>What a function reaches for one <see cref="ReachQuestion{TKey,TFact}"/>: each thing found, with the chain to it.</summary>
internal sealed class Reach<TKey, TFact>
    where TKey : notnull
{
    public Reach(ImmutableArray<KeyValuePair<TKey, Reached<TFact>>> found, bool exhausted)
    {
        Found = found;
        Exhausted = exhausted;
    }

    /// <summary>In the order found: nearest first, then in source order of the calls.</summary>
    public ImmutableArray<KeyValuePair<TKey, Reached<TFact>>> Found { get; }

    /// <summary>The walk stopped at the budget before it had seen every function it could reach: more may be out there.</summary>
    public bool Exhausted { get; }

    public bool IsEmpty => Found.IsEmpty;
}

/// <summary>One thing a function reaches, and the chain of functions from it to the one that does the thing (the start first).</summary>
internal readonly struct Reached<TFact>
{
    public Reached(TFact fact, ImmutableArray<IMethodSymbol> chain)
    {
        Fact = fact;
        Chain = chain;
    }

    public TFact Fact { get; }

    public ImmutableArray<IMethodSymbol> Chain { get; }
}

/// <summary>
/// The one mechanism that follows calls, for every rule: per-method summaries over the compilation's call graph,
/// computed on demand, memoised per question and function, deterministic (breadth first over calls in source order),
/// and bounded by one budget (<c>lockstep.call_graph_budget</c> functions per question). Two directions:
/// <list type="bullet">
/// <item><description><see cref="Reach"/>, towards callees: what a function does through the calls it makes (a blocking call,
/// the locks it takes, a thread it starts on every call), with the shortest chain to each.</description></item>
/// <item><description><see cref="EntryLocks"/>, towards callers: the locks every caller of a private method holds when it
/// calls it, so the method always runs under them.</description></item>
/// </list>
/// A walk that reaches the budget answers with what it found and says so (<c>Exhausted</c>), so the rule can tell the
/// user (LS0001) instead of going silent.
/// </summary>
internal sealed class MethodSummaries
{
    private static readonly PerCompilationCache<MethodSummaries> Cache = new();

    private readonly ConcurrentDictionary<(object Question, IMethodSymbol Start), object> _reach = new();
    private readonly ConcurrentDictionary<(IMethodSymbol Start, FlagState Flags), Reach<bool, BlockingFact>> _blocking = new(new BlockingKeyComparer());
    private readonly ConcurrentDictionary<IMethodSymbol, ImmutableArray<FlagGuard>> _syncModes = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<INamedTypeSymbol, EntryLockSummary> _entryLocks = new(SymbolEqualityComparer.Default);

    private MethodSummaries(CallGraph graph)
    {
        Graph = graph;
        ThreadStartPerCall = new ReachQuestion<bool, IOperation>(
            static facts => facts.ThreadStartPerCall is { } start ? new[] { new KeyValuePair<bool, IOperation>(true, start) } : Array.Empty<KeyValuePair<bool, IOperation>>(),
            static call => call.RunsOncePerCall,
            AsyncCalls.Skip);
        var catalogue = graph.Index.Catalogue;
        OwnThreadStartPerCall = new ReachQuestion<bool, IOperation>(
            facts => OwnThreadStartsOf(facts, catalogue, graph.Index),
            static call => call.RunsOncePerCall && call.Receiver == InstanceKind.This,
            AsyncCalls.Skip);
        LockReleasingWaits = new ReachQuestion<IOperation, string>(
            facts => LockReleasingWaitsOf(facts, catalogue),
            static call => !call.Branch.IsErrorPath && !call.Branch.IsSyncHalfOfDualMode,
            AsyncCalls.Skip);
    }

    /// <summary>
    /// "Does every call of this method start the thread its object holds?" (LS4001): <c>_thread.Start()</c> on a thread a
    /// constructor of the type created, on every call of the method or of a method it calls on the same object. One
    /// object's thread starts once, so it is one thread per object the method is called on: the caller's loop must make
    /// a new object in each iteration for the count to grow (<c>new Worker(connection).Start()</c>).
    /// </summary>
    public ReachQuestion<bool, IOperation> OwnThreadStartPerCall { get; }

    private static IEnumerable<KeyValuePair<bool, IOperation>> OwnThreadStartsOf(FunctionFacts facts, Catalogue.ConcurrencyCatalogue catalogue, FunctionIndex index)
    {
        foreach (var invocation in OperationTree.SameFunctionDescendants<Microsoft.CodeAnalysis.Operations.IInvocationOperation>(facts.Root))
        {
            if (FactCollector.RunsOncePerCall(invocation, facts.Root)
                && !Model.ThreadStarts.IsThrottled(invocation, facts.Root, catalogue)
                && Model.ThreadStarts.IsStartOfOwnThread(invocation, catalogue, constructor => index.Get(constructor.OriginalDefinition, CancellationToken.None)?.Root))
            {
                yield return new KeyValuePair<bool, IOperation>(true, invocation);
                yield break;
            }
        }
    }

    /// <summary>
    /// "Which <c>Monitor.Wait</c> does this code reach through synchronous calls?" (LS3003). Kept apart from
    /// <see cref="Blocking"/> on purpose: <c>Monitor.Wait</c> releases the lock it waits on, so a call made under that lock
    /// that ends in it is no blocking call under the lock (LS5002, which asks <see cref="Blocking"/>); async code that
    /// reaches it parks its thread all the same. As in <see cref="Blocking"/>, error paths and the synchronous half of
    /// dual-mode code do not count.
    /// </summary>
    public ReachQuestion<IOperation, string> LockReleasingWaits { get; }

    private static IEnumerable<KeyValuePair<IOperation, string>> LockReleasingWaitsOf(FunctionFacts facts, Catalogue.ConcurrencyCatalogue catalogue)
    {
        foreach (var invocation in OperationTree.SameFunctionDescendants<Microsoft.CodeAnalysis.Operations.IInvocationOperation>(facts.Root))
        {
            if (!catalogue.Blocking.TryClassifyInAsyncCode(invocation, out var call) || !call.ReleasesItsLock)
                continue;

            var branch = Branches.Of(invocation, facts.Root, facts.Function, catalogue);
            if (!branch.IsErrorPath && !branch.IsSyncHalfOfDualMode)
                yield return new KeyValuePair<IOperation, string>(invocation, call.DisplayName);
        }
    }

    /// <summary>
    /// "Does every call of this method start a new thread?" (LS4001's helpers): a start of a fresh thread on every call of
    /// the method or of a method it calls on every call (not in a loop, not behind a check of a field).
    /// </summary>
    public ReachQuestion<bool, IOperation> ThreadStartPerCall { get; }

    /// <summary>"Which starts of concurrent work does this code reach?": every start in the function or in what it calls, async callees included.</summary>
    public ReachQuestion<StartFact, StartFact> StartsReached { get; } = new(
        static facts => StartsOf(facts),
        static _ => true,
        AsyncCalls.Follow);

    private static IEnumerable<KeyValuePair<StartFact, StartFact>> StartsOf(FunctionFacts facts)
    {
        foreach (var start in facts.Starts)
            yield return new KeyValuePair<StartFact, StartFact>(start, start);
    }

    /// <summary>The chain of a reach answer as messages show it: <c>Pause → Thread.Sleep</c>.</summary>
    public static string DescribeChain(ImmutableArray<IMethodSymbol> chain, string last)
    {
        var names = new List<string>(chain.Length + 1);
        foreach (var function in chain)
            names.Add(CallTargets.DisplayName(function));
        names.Add(last);
        return string.Join(" → ", names);
    }

    public CallGraph Graph { get; }

    public FunctionIndex Index => Graph.Index;

    public static MethodSummaries For(Compilation compilation, Microsoft.CodeAnalysis.Diagnostics.AnalyzerOptions options)
    {
        var index = FunctionIndex.For(compilation, options);
        var graph = CallGraph.For(compilation, index);
        return Cache.GetOrBuild(compilation, () => new MethodSummaries(graph));
    }

    /// <summary>What <paramref name="start"/> reaches for <paramref name="question"/>, itself included.</summary>
    public Reach<TKey, TFact> Reach<TKey, TFact>(IMethodSymbol start, ReachQuestion<TKey, TFact> question, CancellationToken cancellationToken)
        where TKey : notnull
    {
        start = start.OriginalDefinition;
        var key = ((object)question, start);
        if (_reach.TryGetValue(key, out var known))
            return (Reach<TKey, TFact>)known;

        var computed = Walk(start, question, cancellationToken);
        return (Reach<TKey, TFact>)_reach.GetOrAdd(key, computed);
    }

    private Reach<TKey, TFact> Walk<TKey, TFact>(IMethodSymbol start, ReachQuestion<TKey, TFact> question, CancellationToken cancellationToken)
        where TKey : notnull
    {
        var found = new Dictionary<TKey, Reached<TFact>>();
        var order = ImmutableArray.CreateBuilder<KeyValuePair<TKey, Reached<TFact>>>();
        var visited = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default) { start };
        var queue = new Queue<(IMethodSymbol Function, ImmutableArray<IMethodSymbol> Chain)>();
        queue.Enqueue((start, ImmutableArray.Create(start)));
        bool exhausted = false;
        while (queue.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (function, chain) = queue.Dequeue();
            if (Index.Get(function, cancellationToken) is not { } facts)
                continue; // no body in the compilation

            foreach (var pair in question.Local(facts))
            {
                if (!found.ContainsKey(pair.Key))
                {
                    var reached = new Reached<TFact>(pair.Value, chain);
                    found.Add(pair.Key, reached);
                    order.Add(new KeyValuePair<TKey, Reached<TFact>>(pair.Key, reached));
                }
            }

            foreach (var call in facts.Calls)
            {
                if (!question.FollowsCall(call))
                    continue;

                foreach (var target in Graph.Targets(call, question.Async, cancellationToken))
                {
                    if (visited.Contains(target))
                        continue;
                    if (visited.Count >= Index.Budget)
                    {
                        exhausted = true;
                        continue;
                    }

                    visited.Add(target);
                    queue.Enqueue((target, chain.Add(target)));
                }
            }
        }

        return new Reach<TKey, TFact>(order.ToImmutable(), exhausted);
    }

    /// <summary>
    /// "May this call block its thread?": the shortest chain of synchronous calls from <paramref name="callee"/>, called
    /// at <paramref name="site"/>, to a sleep or a synchronous wait. Not counted, on purpose:
    /// <list type="bullet">
    /// <item><description>waits on tasks proven complete, and waits with a zero timeout (the catalogue's business);</description></item>
    /// <item><description>code on an error path (it runs only once something failed, to clean up on the way to a throw);</description></item>
    /// <item><description>branches a <c>bool</c> parameter rules out: the constants the site passes, and those handed on
    /// through parameters along the chain, decide which half of <c>if (async) … else …</c> runs;</description></item>
    /// <item><description>the synchronous half of dual-mode code (the other half awaits) unless a caller on the chain selects
    /// it with a constant: sync callers are its purpose; a flag nobody on the chain sets (<c>context.IsSynchronous</c>)
    /// is the async caller's to choose;</description></item>
    /// <item><description>a wait on a call that runs its synchronous half (<c>Read(async: false).GetAwaiter().GetResult()</c>):
    /// that task is complete when the call returns; what the call does is followed like any other call.</description></item>
    /// </list>
    /// Async methods are followed only when the call selects their synchronous half; otherwise they return at their first
    /// await and report their own blocking.
    /// </summary>
    public Reach<bool, BlockingFact> Blocking(IOperation site, IMethodSymbol callee, CancellationToken cancellationToken)
    {
        var state = FlagState.ForCallee(Branches.ArgumentsOf(site, caller: null), FlagState.Unknown);
        var key = (callee.OriginalDefinition, state);
        if (_blocking.TryGetValue(key, out var known))
            return known;

        return _blocking.GetOrAdd(key, BlockingWalk(key.Item1, state, cancellationToken));
    }

    private Reach<bool, BlockingFact> BlockingWalk(IMethodSymbol start, FlagState initial, CancellationToken cancellationToken)
    {
        var visited = new HashSet<(IMethodSymbol, FlagState)>(new BlockingKeyComparer()) { (start, initial) };
        var queue = new Queue<(IMethodSymbol Function, FlagState Flags, ImmutableArray<IMethodSymbol> Chain)>();
        queue.Enqueue((start, initial, ImmutableArray.Create(start)));
        bool exhausted = false;
        while (queue.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (function, flags, chain) = queue.Dequeue();
            if (Index.Get(function, cancellationToken) is not { } facts)
                continue; // no body in the compilation

            foreach (var blocking in facts.BlockingCalls)
            {
                if (Runs(blocking.Branch, flags) && !WaitsOnSyncHalf(blocking, flags, cancellationToken))
                {
                    // Breadth first: the first one found has the shortest chain.
                    var found = new Reached<BlockingFact>(blocking, chain);
                    return new Reach<bool, BlockingFact>(ImmutableArray.Create(new KeyValuePair<bool, Reached<BlockingFact>>(true, found)), exhausted);
                }
            }

            foreach (var call in facts.Calls)
            {
                if (!Runs(call.Branch, flags))
                    continue;

                var calleeFlags = FlagState.ForCallee(call.FlagArguments, flags);
                foreach (var target in Graph.Targets(call, AsyncCalls.Follow, cancellationToken))
                {
                    bool isDelegate = IsOneOf(target, call.InlineDelegates);
                    var targetFlags = isDelegate ? FlagState.Unknown : calleeFlags;
                    if (target.IsAsync && (isDelegate || !targetFlags.Selects(SyncModeFlags(target, cancellationToken))))
                        continue; // returns at its first await; its own blocking is reported where it is

                    if (visited.Contains((target, targetFlags)))
                        continue;
                    // A function already known to reach no blocking call in this state adds nothing: skip its callees.
                    if (_blocking.TryGetValue((target.OriginalDefinition, targetFlags), out var known) && known.IsEmpty && !known.Exhausted)
                        continue;
                    if (visited.Count >= Index.Budget)
                    {
                        exhausted = true;
                        continue;
                    }

                    visited.Add((target, targetFlags));
                    queue.Enqueue((target, targetFlags, chain.Add(target)));
                }
            }
        }

        // Nothing found, within the budget: nothing is found from any function the walk went through either (all it
        // reaches, in the state it was reached in, was walked too). Later walks stop there.
        var none = new Reach<bool, BlockingFact>(ImmutableArray<KeyValuePair<bool, Reached<BlockingFact>>>.Empty, exhausted);
        if (!exhausted)
        {
            foreach (var (function, flags) in visited)
                _blocking.TryAdd((function.OriginalDefinition, flags), none);
        }

        return none;
    }

    private static bool IsOneOf(IMethodSymbol method, ImmutableArray<IMethodSymbol> methods)
    {
        foreach (var candidate in methods)
        {
            if (SymbolEqualityComparer.Default.Equals(candidate, method))
                return true;
        }

        return false;
    }

    /// <summary>Whether code with these branch facts runs, and counts, when the function's flags are <paramref name="flags"/>.</summary>
    private static bool Runs(BranchFacts branch, FlagState flags) =>
        !branch.IsErrorPath
        && flags.Allows(branch.Flags)
        && (!branch.IsSyncHalfOfDualMode || flags.Selects(branch.Flags));

    /// <summary>A wait on the task of a call that runs the callee's synchronous half: complete when the call returns.</summary>
    private bool WaitsOnSyncHalf(BlockingFact blocking, FlagState flags, CancellationToken cancellationToken)
    {
        if (blocking.AwaitedCall is not { } awaited || CallTargets.GetInvokedMethod(awaited) is not { } invoked)
            return false;

        var calleeFlags = FlagState.ForCallee(Branches.ArgumentsOf(awaited, blocking.Function), flags);
        if (calleeFlags.IsUnknown)
            return false;

        // A callee whose mode flag has no body to look at (abstract, an interface, several overrides) declares it by
        // name: the shared sync/async methods of the dual-mode style take "bool async" (false: run synchronously).
        if (calleeFlags.Selects(Branches.DeclaredSyncModeFlags(invoked)))
            return true;

        foreach (var body in Graph.Bodies(invoked, cancellationToken))
        {
            if (calleeFlags.Selects(SyncModeFlags(body, cancellationToken)))
                return true;
        }

        return false;
    }

    /// <summary>
    /// The flags that select the synchronous half of <paramref name="function"/>: those it tests itself to choose
    /// between its halves, and those it hands on to a callee's mode flag (<c>ReadMore(async)</c>), at any depth.
    /// </summary>
    private ImmutableArray<FlagGuard> SyncModeFlags(IMethodSymbol function, CancellationToken cancellationToken) =>
        SyncModeFlags(function, new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default), cancellationToken);

    private ImmutableArray<FlagGuard> SyncModeFlags(IMethodSymbol function, HashSet<IMethodSymbol> inProgress, CancellationToken cancellationToken)
    {
        function = function.OriginalDefinition;
        if (_syncModes.TryGetValue(function, out var known))
            return known;
        if (!inProgress.Add(function) || inProgress.Count > Index.Budget || Index.Get(function, cancellationToken) is not { } facts)
            return ImmutableArray<FlagGuard>.Empty; // recursion: what the cycle adds is found from its other entries

        var modes = ImmutableArray.CreateBuilder<FlagGuard>();
        modes.AddRange(Branches.SyncModeFlags(facts.Root, function, Index.Catalogue.Tasks));
        foreach (var call in facts.Calls)
        {
            var arguments = call.FlagArguments;
            if (arguments.IsEmpty)
                continue;

            foreach (var target in Graph.Bodies(call.Invoked, cancellationToken))
            {
                foreach (var mode in SyncModeFlags(target, inProgress, cancellationToken))
                {
                    if (mode.Ordinal < arguments.Length && arguments[mode.Ordinal] is { Kind: FlagArgumentKind.Parameter } passed)
                        modes.Add(new FlagGuard(passed.Ordinal, passed.Value ? !mode.Value : mode.Value));
                }
            }
        }

        inProgress.Remove(function);
        return _syncModes.GetOrAdd(function, modes.ToImmutable());
    }

    private sealed class BlockingKeyComparer : IEqualityComparer<(IMethodSymbol Function, FlagState Flags)>
    {
        public bool Equals((IMethodSymbol Function, FlagState Flags) x, (IMethodSymbol Function, FlagState Flags) y) =>
            SymbolEqualityComparer.Default.Equals(x.Function, y.Function) && x.Flags.Equals(y.Flags);

        public int GetHashCode((IMethodSymbol Function, FlagState Flags) obj) =>
            SymbolEqualityComparer.Default.GetHashCode(obj.Function) * 31 + obj.Flags.GetHashCode();
    }

    /// <summary>
    /// Follows one strand of execution from <paramref name="entry"/> through the calls it makes, carrying a state along
    /// (the locks held, whose object <c>this</c> is): <paramref name="visit"/> sees each function with the state it is
    /// reached in, and <paramref name="step"/> gives the state a call passes to its callees (or says not to follow it).
    /// A function is visited once per distinct state; breadth first, in source order; at most the budget of visits.
    /// Returns false when the walk stopped at the budget.
    /// </summary>
    public bool Walk<TState>(
        IMethodSymbol entry,
        TState initial,
        IEqualityComparer<TState> stateComparer,
        Action<FunctionFacts, TState> visit,
        Func<FunctionFacts, CallFact, TState, (bool Follow, TState State)> step,
        CancellationToken cancellationToken)
    {
        var visited = new HashSet<(IMethodSymbol Function, TState State)>(new VisitComparer<TState>(stateComparer));
        var work = new Queue<(IMethodSymbol Function, TState State)>();
        work.Enqueue((entry.OriginalDefinition, initial));
        while (work.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (function, state) = work.Dequeue();
            if (!visited.Add((function, state)))
                continue;
            if (visited.Count > Index.Budget)
                return false;
            if (Index.Get(function, cancellationToken) is not { } facts)
                continue;

            visit(facts, state);
            foreach (var call in facts.Calls)
            {
                var (follow, calleeState) = step(facts, call, state);
                if (!follow)
                    continue;
                foreach (var target in Graph.Targets(call, AsyncCalls.Follow, cancellationToken))
                    work.Enqueue((target, calleeState));
            }
        }

        return true;
    }

    private sealed class VisitComparer<TState> : IEqualityComparer<(IMethodSymbol Function, TState State)>
    {
        private readonly IEqualityComparer<TState> _states;

        public VisitComparer(IEqualityComparer<TState> states) => _states = states;

        public bool Equals((IMethodSymbol Function, TState State) x, (IMethodSymbol Function, TState State) y) =>
            SymbolEqualityComparer.Default.Equals(x.Function, y.Function) && _states.Equals(x.State, y.State);

        public int GetHashCode((IMethodSymbol Function, TState State) obj) =>
            SymbolEqualityComparer.Default.GetHashCode(obj.Function) * 31 + _states.GetHashCode(obj.State);
    }

    /// <summary>
    /// The locks a method always runs under because every caller holds them at the call: for private methods (and local
    /// functions), whose every caller is in view, the locks held at each of their call sites (plus those the calling
    /// method itself always runs under), intersected; nothing for members other code can call. Worked out for all the
    /// private methods of the method's type at once, to a fixed point: a private helper called only from another locked
    /// helper is locked too. A call made in a lambda or local function counts with its own locks only: the delegate may
    /// run at another time. A method marked <c>[RequiresLock]</c> runs under the lock it names, and so do the private
    /// helpers only it calls.
    /// </summary>
    public ImmutableHashSet<Model.LockIdentity> EntryLocks(IMethodSymbol method, CancellationToken cancellationToken)
    {
        method = method.OriginalDefinition;
        var declared = Model.LockContracts.DeclaredLocks(method, Index.Catalogue.Types);
        if (method.ContainingType is not { } type)
            return declared;

        var outermost = type;
        while (outermost.ContainingType is { } containing)
            outermost = containing;

        var summary = _entryLocks.GetOrAdd(outermost, t => new EntryLockSummary(t, this));
        return declared.Union(summary.Of(method, cancellationToken));
    }

    /// <summary>The entry locks of the private methods of one type (nested types included), solved together.</summary>
    private sealed class EntryLockSummary
    {
        private readonly INamedTypeSymbol _type;
        private readonly MethodSummaries _summaries;
        private Dictionary<IMethodSymbol, ImmutableHashSet<Model.LockIdentity>>? _solved;

        public EntryLockSummary(INamedTypeSymbol type, MethodSummaries summaries)
        {
            _type = type;
            _summaries = summaries;
        }

        public ImmutableHashSet<Model.LockIdentity> Of(IMethodSymbol method, CancellationToken cancellationToken)
        {
            var solved = Volatile.Read(ref _solved);
            if (solved is null)
            {
                solved = Solve(cancellationToken);
                solved = Interlocked.CompareExchange(ref _solved, solved, null) ?? solved;
            }

            return solved.TryGetValue(method, out var locks) ? locks : ImmutableHashSet<Model.LockIdentity>.Empty;
        }

        private Dictionary<IMethodSymbol, ImmutableHashSet<Model.LockIdentity>> Solve(CancellationToken cancellationToken)
        {
            // Every call site in the type, grouped by the private function it reaches.
            var sites = new Dictionary<IMethodSymbol, List<(CallFact Call, FunctionFacts Caller)>>(SymbolEqualityComparer.Default);
            foreach (var facts in FunctionsOf(_type, cancellationToken))
            {
                foreach (var call in facts.Calls)
                {
                    foreach (var target in _summaries.Graph.Targets(call, AsyncCalls.Skip, cancellationToken))
                    {
                        if (!IsPrivateToType(target))
                            continue;
                        if (!sites.TryGetValue(target, out var list))
                            sites.Add(target, list = new List<(CallFact, FunctionFacts)>());
                        list.Add((call, facts));
                    }
                }
            }

            var entry = new Dictionary<IMethodSymbol, ImmutableHashSet<Model.LockIdentity>>(SymbolEqualityComparer.Default);
            var types = _summaries.Index.Catalogue.Types;
            ImmutableHashSet<Model.LockIdentity> EntryOf(IMethodSymbol function) =>
                (entry.TryGetValue(function, out var known) ? known : ImmutableHashSet<Model.LockIdentity>.Empty).Union(Model.LockContracts.DeclaredLocks(function, types));

            // Locks only grow from empty towards the fixed point, so the rounds are bounded by the budget as well.
            for (int round = 0; round < _summaries.Index.Budget; round++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                bool changed = false;
                foreach (var pair in sites)
                {
                    ImmutableHashSet<Model.LockIdentity>? common = null;
                    foreach (var (call, caller) in pair.Value)
                    {
                        var atSite = call.Locks.ToImmutableHashSet();
                        if (caller.Enclosing is null)
                            atSite = atSite.Union(EntryOf(caller.Function));
                        common = common is null ? atSite : common.Intersect(atSite);
                    }

                    common ??= ImmutableHashSet<Model.LockIdentity>.Empty;
                    if (!entry.TryGetValue(pair.Key, out var before) || !before.SetEquals(common))
                    {
                        entry[pair.Key] = common;
                        changed = true;
                    }
                }

                if (!changed)
                    break;
            }

            return entry;
        }

        private IEnumerable<FunctionFacts> FunctionsOf(INamedTypeSymbol type, CancellationToken cancellationToken)
        {
            var types = new Stack<INamedTypeSymbol>();
            types.Push(type);
            while (types.Count > 0)
            {
                var current = types.Pop();
                foreach (var member in current.GetMembers())
                {
                    if (member is INamedTypeSymbol nested)
                    {
                        types.Push(nested);
                        continue;
                    }

                    foreach (var function in MethodsOf(member))
                    {
                        if (_summaries.Index.Get(function, cancellationToken) is not { } facts)
                            continue;
                        yield return facts;

                        foreach (var nestedFunction in _summaries.Index.NestedIn(function))
                            yield return nestedFunction;
                    }
                }
            }
        }

        private static IEnumerable<IMethodSymbol> MethodsOf(ISymbol member)
        {
            switch (member)
            {
                case IMethodSymbol method:
                    yield return method;
                    break;
                case IPropertySymbol property:
                    if (property.GetMethod is { } getter)
                        yield return getter;
                    if (property.SetMethod is { } setter)
                        yield return setter;
                    break;
            }
        }

        /// <summary>A private method or a local function: every call of it is in the code being looked at.</summary>
        private static bool IsPrivateToType(IMethodSymbol method) =>
            method.MethodKind == MethodKind.LocalFunction
            || method is { DeclaredAccessibility: Accessibility.Private, MethodKind: MethodKind.Ordinary };
    }
}
