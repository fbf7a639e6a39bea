using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Lockstep.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Lockstep.Analyzers.Model;

/// <summary>
/// One place where the program takes lock <see cref="To"/> while it holds lock <see cref="From"/>: a nested acquisition
/// in one function, or a call made while holding <see cref="From"/> that reaches an acquisition of <see cref="To"/>.
/// </summary>
internal sealed class LockOrderSite
{
    public LockOrderSite(LockIdentity from, LockIdentity to, IMethodSymbol function, IOperation outer, IOperation inner, IOperation? call, ImmutableArray<IMethodSymbol> via, string? wait = null, int waitedFrom = 0)
    {
        Wait = wait;
        WaitedFrom = waitedFrom;
        From = from;
        To = to;
        Function = function;
        Outer = outer;
        Inner = inner;
        Call = call;
        Via = via;
    }

    public LockIdentity From { get; }
    public LockIdentity To { get; }

    /// <summary>The function that holds <see cref="From"/> when <see cref="To"/> is taken.</summary>
    public IMethodSymbol Function { get; }

    /// <summary>The acquisition of <see cref="From"/> in <see cref="Function"/>.</summary>
    public IOperation Outer { get; }

    /// <summary>The acquisition of <see cref="To"/>: in <see cref="Function"/> itself, or in a function it calls.</summary>
    public IOperation Inner { get; }

    /// <summary>The call in <see cref="Function"/> that leads to <see cref="Inner"/>; null for a nested acquisition.</summary>
    public IOperation? Call { get; }

    /// <summary>
    /// The functions called on the way from <see cref="Function"/> to <see cref="Inner"/>, outermost first; for a wait,
    /// the functions called on the way to the wait, then (from <see cref="WaitedFrom"/> on) the waited function and the
    /// functions it calls on the way to the lock.
    /// </summary>
    public ImmutableArray<IMethodSymbol> Via { get; }

    /// <summary>For a wait: where in <see cref="Via"/> the waited code starts (0 when <see cref="Function"/> waits itself).</summary>
    public int WaitedFrom { get; }

    /// <summary>
    /// For an order that closes through a wait: how the wait is named (<c>Thread.Join</c>). <see cref="Call"/> is then the
    /// wait, or the call that leads to it, made while holding <see cref="From"/>, and <see cref="Inner"/> is taken by the
    /// code the wait waits for, on another thread. Null for a nested acquisition or a call.
    /// </summary>
    public string? Wait { get; }

    public bool IsWait => Wait is not null;

    public bool IsNested => Call is null;

    /// <summary>Where, in <see cref="Function"/>, the second lock is taken: the inner acquisition or the call that leads to it.</summary>
    public Location Location => Call is null ? LockOrderGraph.LocationOf(Inner) : Call.Syntax.GetLocation();
}

/// <summary>
/// The lock-order graph of a compilation: nodes are lock classes (a field or property of a type,
/// <c>this</c> of a type, <c>typeof(T)</c>: every instance reached through one field is one class, as in Linux
/// lockdep), and an edge A → B records each place that takes B while holding A, directly or through calls at any depth.
/// A cycle is a potential deadlock: threads that follow its edges at the same time can each hold the lock the next one
/// waits for. Built once per compilation from the engine's facts and summaries, and shared by the lock-order rules.
/// <para>
/// A wait for other code made while holding A (<c>lock (_gate) { _worker.Join(); }</c>) is an edge too, from A to every
/// lock the waited code takes (<see cref="WaitedWork"/>): the waiting thread keeps A until that code is done, so if that
/// code needs B, A is held while B is waited for, exactly as if the waiter took B itself. One difference: the waited code
/// runs on another thread, so it does not re-enter A when it takes A; it blocks on it, and the waiter blocks on it.
/// That self-edge A → A is a cycle of its own (a deadlock with a single lock), and the only self-edge the graph has.
/// </para>
/// </summary>
internal sealed class LockOrderGraph
{
    /// <summary>More cycles than this in one compilation are not reported one by one: the first ones say enough.</summary>
    private const int MaxCycles = 100;

    private static readonly Lockstep.Analyzers.Internal.PerCompilationCache<LockOrderGraph> Cache = new();

    private readonly ImmutableArray<FunctionFacts> _functions;
    private readonly MethodSummaries _summaries;
    private readonly ReachQuestion<LockIdentity, AcquisitionFact> _locksTaken;
    private readonly ReachQuestion<LockIdentity, AcquisitionFact> _locksTakenOnThis;
    private readonly ReachQuestion<IOperation, WaitForWork> _waitsOnThis;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<ISymbol, bool> _isLockClass = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<(LockIdentity From, LockIdentity To), List<LockOrderSite>> _edges = new();
    private readonly Dictionary<LockIdentity, List<LockIdentity>> _successors = new();
    private readonly List<IMethodSymbol> _exhausted = new();

    private LockOrderGraph(ImmutableArray<FunctionFacts> functions, MethodSummaries summaries)
    {
        _functions = functions;
        _summaries = summaries;
        _locksTaken = new ReachQuestion<LockIdentity, AcquisitionFact>(LocksTakenBy, static _ => true, AsyncCalls.Follow);
        _locksTakenOnThis = new ReachQuestion<LockIdentity, AcquisitionFact>(LocksTakenOnThisBy, static call => call.Receiver == InstanceKind.This, AsyncCalls.Follow);
        _waitsOnThis = new ReachQuestion<IOperation, WaitForWork>(WaitsOf, static call => FollowsToWaits(call), AsyncCalls.Skip);
    }

    /// <summary>Every function the index collected, in source order; LS2002 looks at their acquisitions directly.</summary>
    public ImmutableArray<FunctionFacts> Functions => _functions;

    /// <summary>The callees whose walk stopped at the call-graph budget: locks taken beyond them were not looked at.</summary>
    public IReadOnlyList<IMethodSymbol> Exhausted => _exhausted;

    /// <summary>Every edge with its sites, in source order of the first site.</summary>
    public IReadOnlyList<KeyValuePair<(LockIdentity From, LockIdentity To), List<LockOrderSite>>> Edges { get; private set; } = [];

    public static LockOrderGraph For(Compilation compilation, MethodSummaries summaries, CancellationToken cancellationToken)
    {
        return Cache.GetOrBuild(compilation, () =>
        {
            var graph = new LockOrderGraph(summaries.Index.Collected, summaries);
            graph.Build(cancellationToken);
            return graph;
        });
    }

    /// <summary>The sites of one edge; empty when the program never takes <paramref name="to"/> while holding <paramref name="from"/>.</summary>
    public IReadOnlyList<LockOrderSite> SitesOf(LockIdentity from, LockIdentity to) =>
        _edges.TryGetValue((from, to), out var sites) ? sites : [];

    private void Build(CancellationToken cancellationToken)
    {
        var locks = _summaries.Index.Catalogue.Locks;
        foreach (var facts in _functions)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (facts.Acquisitions.IsEmpty)
                continue; // no lock of its own is ever held in it, so it adds no edge (callers add the edges into it)

            foreach (var acquisition in facts.Acquisitions)
            {
                if (!acquisition.WaitsIndefinitely || !IsLockClass(acquisition.Lock))
                    continue; // a try-acquisition with a timeout gives up instead of waiting: it cannot close a deadlock

                foreach (var held in acquisition.Held)
                {
                    if (IsLockClass(held.Lock) && !held.Lock.Equals(acquisition.Lock))
                        AddSite(new LockOrderSite(held.Lock, acquisition.Lock, facts.Function, held.Acquisition, acquisition.Operation, null, ImmutableArray<IMethodSymbol>.Empty));
                }
            }

            foreach (var call in facts.Calls)
            {
                var held = HeldLocks.SitesAt(call.Site, locks);
                if (held.IsEmpty)
                    continue;

                foreach (var target in _summaries.Graph.Targets(call, AsyncCalls.Follow, cancellationToken))
                {
                    var reached = _summaries.Reach(target, _locksTaken, cancellationToken);
                    if (reached.Exhausted)
                        _exhausted.Add(target);

                    if (FollowsToWaits(call))
                    {
                        var waits = _summaries.Reach(target, _waitsOnThis, cancellationToken);
                        if (waits.Exhausted)
                            _exhausted.Add(target);
                        foreach (var wait in waits.Found)
                            AddWaitSites(facts, held, wait.Value.Fact, call.Site, wait.Value.Chain, cancellationToken);
                    }

                    foreach (var outer in held)
                    {
                        if (!IsLockClass(outer.Lock))
                            continue;

                        foreach (var entry in reached.Found)
                        {
                            // A call on an object this function just made and kept (var c = new Connector(); c.Cancel();)
                            // takes that object's own locks, which no other thread can hold: the same lock class on a
                            // shared instance is another lock. Static and typeof locks still count.
                            if (call.Receiver == Engine.InstanceKind.Fresh && IsInstanceLock(entry.Key))
                                continue;

                            // Re-entering a lock the caller holds is not an order (Monitor, Lock and OrderedLock are re-entrant).
                            if (!entry.Key.Equals(outer.Lock))
                                AddSite(new LockOrderSite(outer.Lock, entry.Key, facts.Function, outer.Acquisition, entry.Value.Fact.Operation, call.Site, entry.Value.Chain));
                        }
                    }
                }
            }

            foreach (var wait in WaitedWork.In(facts, _summaries.Index, cancellationToken))
            {
                var held = HeldLocks.SitesAt(wait.Operation, locks);
                if (!held.IsEmpty)
                    AddWaitSites(facts, held, wait, wait.Operation, ImmutableArray<IMethodSymbol>.Empty, cancellationToken);
            }
        }

        foreach (var sites in _edges.Values)
            sites.Sort(CompareSites);

        Edges = _edges.OrderBy(e => e.Value[0], Comparer<LockOrderSite>.Create(CompareSites)).ToList();
    }

    /// <summary>
    /// The orders that close through one wait made while holding <paramref name="held"/>: the wait itself, in the
    /// lock-holding function (<paramref name="site"/> is the wait), or in a function called there on the same object
    /// (<paramref name="site"/> is the call, <paramref name="calls"/> the chain to the waiting function). Each held lock,
    /// then each lock the waited code takes (through calls at any depth). A wait with a timeout or a token gives up and
    /// adds nothing (the catalogue leaves it out), and so does a wait on a task proven complete. The held lock itself
    /// counts only when the waited code takes the very same lock: a static or <c>typeof</c> lock, or a lock of
    /// <c>this</c> when the waited code runs on this object (<see cref="WaitedFunction.OnSameObject"/>) and reaches the
    /// lock through <c>this</c>; the same field of another object is another lock (a parent waiting for a child's
    /// thread that locks the child).
    /// </summary>
    private void AddWaitSites(FunctionFacts facts, ImmutableArray<HeldLock> held, WaitForWork wait, IOperation site, ImmutableArray<IMethodSymbol> calls, CancellationToken cancellationToken)
    {
        foreach (var waited in wait.Functions)
        {
            var reached = _summaries.Reach(waited.Function, _locksTaken, cancellationToken);
            if (reached.Exhausted)
                _exhausted.Add(waited.Function);

            foreach (var outer in held)
            {
                if (!IsLockClass(outer.Lock))
                    continue;

                foreach (var entry in reached.Found)
                {
                    var found = entry.Value;
                    if (entry.Key.Equals(outer.Lock) && IsInstanceLock(outer.Lock) && !TheSameInstanceLock(outer, waited, out found, cancellationToken))
                        continue;

                    AddSite(new LockOrderSite(outer.Lock, entry.Key, facts.Function, outer.Acquisition, found.Fact.Operation, site, calls.AddRange(found.Chain), wait.Name, calls.Length));
                }
            }
        }
    }

    /// <summary>
    /// The calls followed to waits made further down: calls on this object and static calls. A wait on this object's
    /// thread or task, made by a method of this object, waits for code of this object; a method of another object waits
    /// for that object's work, whose locks of <c>this</c> are not the caller's.
    /// </summary>
    private static bool FollowsToWaits(CallFact call) => call.Receiver == InstanceKind.This || call.Invoked.IsStatic;

    /// <summary>The waits a function makes itself whose waited code is known.</summary>
    private IEnumerable<KeyValuePair<IOperation, WaitForWork>> WaitsOf(FunctionFacts facts)
    {
        foreach (var wait in WaitedWork.In(facts, _summaries.Index, CancellationToken.None))
            yield return new KeyValuePair<IOperation, WaitForWork>(wait.Operation, wait);
    }

    /// <summary>
    /// Whether waited code takes the held lock of <c>this</c> on the waiter's own object: the held lock is named through
    /// <c>this</c>, the waited function runs on this object, and it reaches the acquisition through calls on <c>this</c>
    /// of a lock named through <c>this</c>.
    /// </summary>
    private bool TheSameInstanceLock(HeldLock outer, WaitedFunction waited, out Reached<AcquisitionFact> found, CancellationToken cancellationToken)
    {
        found = default;
        if (!waited.OnSameObject || !IsOnThis(outer.Value))
            return false;

        foreach (var entry in _summaries.Reach(waited.Function, _locksTakenOnThis, cancellationToken).Found)
        {
            if (entry.Key.Equals(outer.Lock))
            {
                found = entry.Value;
                return true;
            }
        }

        return false;
    }

    /// <summary>The locks a function takes itself through <c>this</c> (<c>lock (_gate)</c>, <c>lock (this)</c>), and static and <c>typeof</c> locks.</summary>
    private IEnumerable<KeyValuePair<LockIdentity, AcquisitionFact>> LocksTakenOnThisBy(FunctionFacts facts)
    {
        foreach (var pair in LocksTakenBy(facts))
        {
            if (!IsInstanceLock(pair.Key) || IsOnThis(pair.Value.Value))
                yield return pair;
        }
    }

    /// <summary>A lock expression that names this object or one of its fields: <c>this</c>, <c>_gate</c>, <c>this._gate</c>.</summary>
    private static bool IsOnThis(IOperation? value)
    {
        while (value is IConversionOperation conversion)
            value = conversion.Operand;
        return value switch
        {
            IInstanceReferenceOperation => true,
            IFieldReferenceOperation { Instance: IInstanceReferenceOperation } => true,
            IPropertyReferenceOperation { Instance: IInstanceReferenceOperation } => true,
            _ => false,
        };
    }

    private void AddSite(LockOrderSite site)
    {
        var key = (site.From, site.To);
        if (!_edges.TryGetValue(key, out var sites))
        {
            sites = new List<LockOrderSite>();
            _edges.Add(key, sites);
            if (!_successors.TryGetValue(site.From, out var next))
                _successors.Add(site.From, next = new List<LockIdentity>());
            next.Add(site.To);
        }

        // One site per place: a lock taken through two paths of calls from one call site is one order there.
        foreach (var known in sites)
        {
            if (known.Outer == site.Outer && (known.Call ?? known.Inner) == (site.Call ?? site.Inner))
                return;
        }

        sites.Add(site);
    }

    /// <summary>A lock that belongs to an instance: <c>this</c>, or an instance field or property.</summary>
    private static bool IsInstanceLock(LockIdentity identity) =>
        identity.Shape == LockShape.This || identity.Shape == LockShape.Member && !identity.Symbol.IsStatic;

    /// <summary>The locks a function takes itself, each with its first acquisition: only waits that can deadlock, only lock classes.</summary>
    private IEnumerable<KeyValuePair<LockIdentity, AcquisitionFact>> LocksTakenBy(FunctionFacts facts)
    {
        foreach (var acquisition in facts.Acquisitions)
        {
            if (acquisition.WaitsIndefinitely && IsLockClass(acquisition.Lock))
                yield return new KeyValuePair<LockIdentity, AcquisitionFact>(acquisition.Lock, acquisition);
        }
    }

    /// <summary>
    /// Whether an acquisition names a lock class: a field or property (one class per member, whatever the instance),
    /// <c>this</c> of a type, or <c>typeof(T)</c>. Locals and parameters name different objects at different calls,
    /// so they are not classes (LS2002 looks at parameters). A <c>SemaphoreSlim</c> counts only when it is created with
    /// a count of one: a counting semaphore admits several holders and is not a lock.
    /// </summary>
    public bool IsLockClass(LockIdentity identity)
    {
        if (identity.Shape != LockShape.Member)
            return true;
        if (identity.Symbol is not (IFieldSymbol or IPropertySymbol))
            return false;
        return _isLockClass.GetOrAdd(identity.Symbol, symbol =>
        {
            var type = symbol switch
            {
                IFieldSymbol field => field.Type,
                IPropertySymbol property => property.Type,
                _ => null,
            };
            return !_summaries.Index.Catalogue.Locks.IsSemaphoreSlim(type)
                || Lockstep.Analyzers.Internal.MemberInitializer.Of(symbol) is { } initializer && Catalogue.SemaphoreCounts.IsSingleCount(initializer);
        });
    }

    /// <summary>
    /// The elementary cycles of the graph, one per set of edges: for every edge A → B, the shortest path back from B
    /// to A closes a cycle. Each is returned as its edges in order, starting with the edge whose first site comes
    /// first in the source.
    /// </summary>
    public List<ImmutableArray<(LockIdentity From, LockIdentity To)>> FindCycles(CancellationToken cancellationToken)
    {
        var cycles = new List<ImmutableArray<(LockIdentity From, LockIdentity To)>>();
        var seen = new HashSet<string>();
        var rank = new Dictionary<(LockIdentity, LockIdentity), int>();
        for (int i = 0; i < Edges.Count; i++)
            rank[Edges[i].Key] = i;

        foreach (var edge in Edges)
        {
            cancellationToken.ThrowIfCancellationRequested();
            List<LockIdentity> nodes;
            if (edge.Key.From.Equals(edge.Key.To))
            {
                // Only a wait adds a self-edge: the holder of A waits for code that takes A on another thread.
                nodes = new List<LockIdentity> { edge.Key.From };
            }
            else
            {
                var path = ShortestPath(edge.Key.To, edge.Key.From, skip: null);
                if (path is null)
                    continue;

                nodes = new List<LockIdentity> { edge.Key.From, edge.Key.To };
                nodes.AddRange(path.Take(path.Count - 1));
            }

            var cycle = new List<(LockIdentity From, LockIdentity To)>();
            for (int i = 0; i < nodes.Count; i++)
                cycle.Add((nodes[i], nodes[(i + 1) % nodes.Count]));

            // The same cycle is found from each of its edges: keep it once, starting at its earliest edge.
            int start = 0;
            for (int i = 1; i < cycle.Count; i++)
            {
                if (rank[cycle[i]] < rank[cycle[start]])
                    start = i;
            }

            var rotated = cycle.Skip(start).Concat(cycle.Take(start)).ToImmutableArray();
            if (!seen.Add(string.Join(",", rotated.Select(e => rank[e]))))
                continue;

            cycles.Add(rotated);
            if (cycles.Count == MaxCycles)
                break;
        }

        return cycles;
    }

    /// <summary>Whether <paramref name="to"/> can be reached from <paramref name="from"/> without the direct edge between them.</summary>
    public bool HasOtherPath(LockIdentity from, LockIdentity to) => ShortestPath(from, to, skip: (from, to)) is not null;

    /// <summary>The nodes after <paramref name="from"/> on a shortest path to <paramref name="to"/> (ending with it), or null.</summary>
    private List<LockIdentity>? ShortestPath(LockIdentity from, LockIdentity to, (LockIdentity, LockIdentity)? skip)
    {
        var previous = new Dictionary<LockIdentity, LockIdentity>();
        var queue = new Queue<LockIdentity>();
        queue.Enqueue(from);
        var visited = new HashSet<LockIdentity> { from };
        while (queue.Count > 0)
        {
            var node = queue.Dequeue();
            if (!_successors.TryGetValue(node, out var next))
                continue;

            foreach (var successor in next)
            {
                if (skip is { } skipped && skipped.Item1.Equals(node) && skipped.Item2.Equals(successor))
                    continue;
                if (!visited.Add(successor))
                    continue;

                previous[successor] = node;
                if (successor.Equals(to))
                {
                    var path = new List<LockIdentity> { to };
                    for (var current = to; !previous[current].Equals(from); current = previous[current])
                        path.Insert(0, previous[current]);
                    return path;
                }

                queue.Enqueue(successor);
            }
        }

        return null;
    }

    /// <summary>
    /// Where an acquisition is shown: the locked expression of a <c>lock</c> statement (<c>lock (_a)</c> → <c>_a</c>), the
    /// acquiring call otherwise (<c>_a.EnterScope()</c>, <c>Monitor.Enter(_a)</c>).
    /// </summary>
    public static Location LocationOf(IOperation acquisition) => acquisition switch
    {
        ILockOperation lockOperation => lockOperation.LockedValue.Syntax.GetLocation(),
        _ => acquisition.Syntax.GetLocation(),
    };

    /// <summary>Source order of the places where the second lock is taken: by file, then position.</summary>
    public static int CompareSites(LockOrderSite x, LockOrderSite y)
    {
        var left = x.Location;
        var right = y.Location;
        int byFile = string.CompareOrdinal(left.SourceTree?.FilePath, right.SourceTree?.FilePath);
        return byFile != 0 ? byFile : left.SourceSpan.Start.CompareTo(right.SourceSpan.Start);
    }
}
