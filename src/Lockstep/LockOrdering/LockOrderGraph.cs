using System;
using System.Collections.Generic;

namespace Lockstep;

/// <summary>
/// One lock-order validator with state of its own: its lock classes, the orders it has learnt, its reports and its
/// policy. <see cref="LockOrderValidator"/> is the process-wide one (<see cref="Global"/>); create others to scope
/// validation to one test, one container or one subsystem, so that what one learns or reports never reaches another.
/// </summary>
/// <remarks>
/// <para>
/// An <see cref="OrderedLock"/> belongs to the graph it was created with
/// (<see cref="OrderedLock(string, int?, LockOrderGraph)"/>), or to <see cref="Global"/>. A graph checks acquisitions
/// of its own locks against the other locks of its own that the thread holds; locks of other graphs held at the same
/// time are ignored. Everything <see cref="LockOrderValidator"/> documents (cycles, ranks, caps, sites, cost) applies
/// to each graph.
/// </para>
/// <para>
/// Every member is thread-safe. A graph holds no unmanaged resources: drop it with its locks. Lock classes are kept for
/// the life of the graph, so give locks one name per role, not one per object.
/// </para>
/// <example>
/// One graph per test, so tests running in parallel neither see each other's orders nor share a policy:
/// <code>
/// var graph = new LockOrderGraph(LockOrderPolicy.Throw);
/// var accounts = new OrderedLock("accounts", rank: 1, graph);
/// var audit = new OrderedLock("audit", rank: 2, graph);
/// // ... exercise the code under test ...
/// Assert.Empty(graph.GetReports());
/// </code>
/// </example>
/// </remarks>
public sealed class LockOrderGraph
{
    private const long RankKeyTag = 1L << 62;

    private readonly object _sync = new();
    private readonly Dictionary<string, LockClass> _classesByName = new(StringComparer.Ordinal);
    private readonly Dictionary<long, LockOrderEdge> _edges = new();
    private readonly HashSet<long> _reportedKeys = new();
    private readonly List<PotentialDeadlock> _reports = new();
    private LockClass[] _classes = new LockClass[16];
    private int _classCount;
    private volatile bool _edgesFull;
    private volatile int _policy;

    /// <summary>Creates a graph that knows no lock classes and no orders.</summary>
    /// <param name="policy">What the graph does when its locks are acquired in an order that can deadlock.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="policy"/> is not one of the <see cref="LockOrderPolicy"/> members.</exception>
    public LockOrderGraph(LockOrderPolicy policy = LockOrderPolicy.Off)
    {
        Policy = policy;
    }

    /// <summary>
    /// The process-wide graph: the one <see cref="LockOrderValidator"/> configures and reads, and that every
    /// <see cref="OrderedLock"/> created without a graph of its own belongs to.
    /// </summary>
    public static LockOrderGraph Global { get; } = new LockOrderGraph();

    /// <summary>The class cap; lowered by tests.</summary>
    internal int ClassLimit = LockOrderValidator.MaxLockClasses;

    /// <summary>The edge and report cap; lowered by tests.</summary>
    internal int EdgeLimit = LockOrderValidator.MaxEdges;

    /// <summary>
    /// Raised once for each new <see cref="PotentialDeadlock"/> under <see cref="LockOrderPolicy.Report"/> and
    /// <see cref="LockOrderPolicy.Throw"/>.
    /// </summary>
    /// <remarks>
    /// Handlers run on the acquiring thread before it waits for the lock, while it still holds its other locks: keep
    /// them short (log, record, fail a test). An exception from a handler propagates to the acquisition, which then
    /// does not take the lock.
    /// </remarks>
    public event Action<PotentialDeadlock>? Reported;

    /// <summary>
    /// What the graph does: <see cref="LockOrderPolicy.Off"/> (records nothing), <see cref="LockOrderPolicy.Report"/>
    /// or <see cref="LockOrderPolicy.Throw"/>. Set it before the locks it should check are taken.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not one of the <see cref="LockOrderPolicy"/> members.</exception>
    public LockOrderPolicy Policy
    {
        get => (LockOrderPolicy)_policy;
        set
        {
            if (value is not (LockOrderPolicy.Off or LockOrderPolicy.Report or LockOrderPolicy.Throw))
                throw new ArgumentOutOfRangeException(nameof(value), value, "The policy must be LockOrderPolicy.Off, Report or Throw.");
            _policy = (int)value;
        }
    }

    /// <summary>How many lock classes (distinct lock names) this graph has seen. Classes are kept for the life of the graph.</summary>
    public int LockClassCount
    {
        get
        {
            lock (_sync)
                return _classCount;
        }
    }

    /// <summary>How many edges (orders between two lock classes) the validator has learnt since start-up or <see cref="Reset"/>.</summary>
    public int EdgeCount
    {
        get
        {
            lock (_sync)
                return _edges.Count;
        }
    }

    /// <summary>
    /// Whether a cap was reached: <see cref="LockOrderValidator.MaxLockClasses"/> (locks with new names are not validated) or
    /// <see cref="LockOrderValidator.MaxEdges"/> (new orders are not learnt or checked; rank inversions still are).
    /// </summary>
    public bool IsSaturated
    {
        get
        {
            lock (_sync)
                return _edgesFull || _classCount >= ClassLimit;
        }
    }

    internal bool IsOn => _policy != (int)LockOrderPolicy.Off;

    /// <summary>Every potential deadlock reported since start-up or <see cref="Reset"/>, oldest first.</summary>
    /// <returns>A snapshot; later reports do not change it.</returns>
    public IReadOnlyList<PotentialDeadlock> GetReports()
    {
        lock (_sync)
            return _reports.ToArray();
    }

    /// <summary>
    /// For tests: forgets every learnt edge and report, sets <see cref="Policy"/> back to
    /// <see cref="LockOrderPolicy.Off"/> and removes every <see cref="Reported"/> handler. Lock classes are kept (live
    /// locks refer to them).
    /// </summary>
    /// <remarks>
    /// Call it when no other thread takes <see cref="OrderedLock"/>s. Locks held at the time stay held and are
    /// released normally.
    /// </remarks>
    public void Reset()
    {
        _policy = (int)LockOrderPolicy.Off;
        Reported = null;
        lock (_sync)
        {
            for (int i = 0; i < _classCount; i++)
                _classes[i].ClearSuccessors();
            _edges.Clear();
            _reportedKeys.Clear();
            _reports.Clear();
            _edgesFull = false;
        }
    }

    internal LockClass? GetOrAddClass(string name)
    {
        lock (_sync)
        {
            if (_classesByName.TryGetValue(name, out LockClass? existing))
                return existing;
            if (_classCount >= ClassLimit)
                return null;

            var created = new LockClass(_classCount, name);
            if (_classCount == _classes.Length)
                Array.Resize(ref _classes, _classes.Length * 2);
            _classes[_classCount++] = created;
            _classesByName.Add(name, created);
            return created;
        }
    }

    /// <summary>
    /// Called before <paramref name="target"/> is waited for, with the thread's held stack. Returns if the acquisition
    /// is fine; reports, and under <see cref="LockOrderPolicy.Throw"/> throws, if not.
    /// </summary>
    internal void OnAcquiring(HeldLocks held, OrderedLock target, long batch, string memberName, string filePath, int lineNumber)
    {
        int count = held.Count;
        if (count == 0)
            return;

        LockClass targetClass = target.Class!;
        HeldLocks.Entry[] entries = held.Entries;
        for (int i = 0; i < count; i++)
        {
            ref HeldLocks.Entry entry = ref entries[i];
            if ((batch != 0 && entry.Batch == batch) || !ReferenceEquals(entry.Lock.Graph, this))
                continue;

            OrderedLock heldLock = entry.Lock;
            if (heldLock.HasRank && target.HasRank)
            {
                if (target.RankValue <= heldLock.RankValue)
                {
                    Check(held, target, batch, memberName, filePath, lineNumber);
                    return;
                }

                if (ReferenceEquals(heldLock.Class, targetClass))
                    continue; // one class, increasing ranks: ordered by rank
            }

            if (!heldLock.Class!.HasSuccessor(targetClass.Id) && !_edgesFull)
            {
                Check(held, target, batch, memberName, filePath, lineNumber);
                return;
            }
        }
    }

    private void Check(HeldLocks held, OrderedLock target, long batch, string memberName, string filePath, int lineNumber)
    {
        var policy = (LockOrderPolicy)_policy;
        if (policy == LockOrderPolicy.Off)
            return;

        int thread = Environment.CurrentManagedThreadId;
        LockClass targetClass = target.Class!;
        var site = new AcquisitionSite(memberName, filePath, lineNumber);
        PotentialDeadlock? violation = null;
        List<PotentialDeadlock>? fresh = null;

        lock (_sync)
        {
            List<KeyValuePair<LockClass, LockOrderEdge>>? newEdges = null;
            for (int i = 0; i < held.Count; i++)
            {
                ref HeldLocks.Entry entry = ref held.Entries[i];
                if ((batch != 0 && entry.Batch == batch) || !ReferenceEquals(entry.Lock.Graph, this))
                    continue;

                OrderedLock heldLock = entry.Lock;
                LockClass heldClass = heldLock.Class!;
                bool rankInverted = false;
                if (heldLock.HasRank && target.HasRank)
                {
                    if (target.RankValue <= heldLock.RankValue)
                    {
                        rankInverted = true;
                        var edge = new LockOrderEdge(heldClass.Name, heldLock.Rank, entry.Site, targetClass.Name, target.Rank, site, thread);
                        var report = new PotentialDeadlock(PotentialDeadlockKind.RankInversion, new[] { heldClass.Name, targetClass.Name }, new[] { edge });
                        violation ??= report;
                        Record(RankKeyTag | Key(heldClass.Id, targetClass.Id), report, ref fresh);
                    }
                    else if (ReferenceEquals(heldClass, targetClass))
                    {
                        continue;
                    }
                }

                if (heldClass.HasSuccessor(targetClass.Id) || Contains(newEdges, heldClass))
                    continue;

                var newEdge = new LockOrderEdge(heldClass.Name, heldLock.Rank, entry.Site, targetClass.Name, target.Rank, site, thread);
                if (!rankInverted && !_edgesFull && FindPath(targetClass, heldClass) is { } path)
                {
                    // The path runs from the acquired class back to the held one; with the new edge it is a cycle.
                    var names = new string[path.Count];
                    var edges = new LockOrderEdge[path.Count];
                    names[0] = heldClass.Name;
                    edges[0] = newEdge;
                    for (int j = 0; j + 1 < path.Count; j++)
                    {
                        names[j + 1] = path[j].Name;
                        edges[j + 1] = _edges[Key(path[j].Id, path[j + 1].Id)];
                    }

                    var report = new PotentialDeadlock(PotentialDeadlockKind.LockOrderCycle, names, edges);
                    violation ??= report;
                    Record(Key(heldClass.Id, targetClass.Id), report, ref fresh);
                }

                (newEdges ??= new()).Add(new KeyValuePair<LockClass, LockOrderEdge>(heldClass, newEdge));
            }

            if (newEdges is not null && (violation is null || policy != LockOrderPolicy.Throw))
            {
                foreach (var pair in newEdges)
                    AddEdge(pair.Key, targetClass, pair.Value);
            }
        }

        if (fresh is not null && Reported is { } handler)
        {
            foreach (PotentialDeadlock report in fresh)
                handler(report);
        }

        if (violation is not null && policy == LockOrderPolicy.Throw)
            throw new LockOrderViolationException(violation);
    }

    private static bool Contains(List<KeyValuePair<LockClass, LockOrderEdge>>? edges, LockClass from)
    {
        if (edges is null)
            return false;
        foreach (var pair in edges)
        {
            if (ReferenceEquals(pair.Key, from))
                return true;
        }

        return false;
    }

    // Under _sync.
    private void Record(long key, PotentialDeadlock report, ref List<PotentialDeadlock>? fresh)
    {
        if (_reports.Count >= EdgeLimit || !_reportedKeys.Add(key))
            return;
        _reports.Add(report);
        (fresh ??= new()).Add(report);
    }

    // Under _sync.
    private void AddEdge(LockClass from, LockClass to, LockOrderEdge edge)
    {
        if (_edges.Count >= EdgeLimit)
        {
            _edgesFull = true;
            return;
        }

        _edges[Key(from.Id, to.Id)] = edge;
        from.AddSuccessor(to.Id);
    }

    /// <summary>
    /// Under _sync: the classes on a shortest path from <paramref name="from"/> to <paramref name="to"/>, both
    /// included (just one when they are the same class), or <see langword="null"/> if there is none.
    /// </summary>
    private List<LockClass>? FindPath(LockClass from, LockClass to)
    {
        if (ReferenceEquals(from, to))
            return new List<LockClass> { from };

        var parent = new int[_classCount];
        for (int i = 0; i < parent.Length; i++)
            parent[i] = -1;
        parent[from.Id] = from.Id;

        var queue = new Queue<int>();
        queue.Enqueue(from.Id);
        while (queue.Count != 0)
        {
            int current = queue.Dequeue();
            foreach (int next in _classes[current].Successors)
            {
                if (parent[next] != -1)
                    continue;
                parent[next] = current;
                if (next == to.Id)
                {
                    var path = new List<LockClass>();
                    for (int at = next; at != from.Id; at = parent[at])
                        path.Add(_classes[at]);
                    path.Add(from);
                    path.Reverse();
                    return path;
                }

                queue.Enqueue(next);
            }
        }

        return null;
    }

    private static long Key(int from, int to) => ((long)from << 32) | (uint)to;
}
