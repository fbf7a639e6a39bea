using System;
using System.Collections.Generic;

namespace Lockstep;

/// <summary>
/// A lockdep for .NET: learns the order in which <see cref="OrderedLock"/>s are acquired and reports a potential
/// deadlock the first time an acquisition contradicts an order seen before, whether or not the two orders ever ran
/// at the same time.
/// </summary>
/// <remarks>
/// <para>
/// Each thread keeps the stack of <see cref="OrderedLock"/>s it holds. When it acquires a lock, the validator adds an
/// edge from the class of every held lock to the class of the new one (a lock's class is its
/// <see cref="OrderedLock.Name"/>), and checks, before the thread waits for the lock:
/// </para>
/// <list type="bullet">
/// <item><description>
/// whether the new edge closes a cycle in the graph of classes: thread A took X then Y, and now a thread (A or any
/// other) takes X while holding Y. Run at the same time, the two would deadlock, so it is reported at once: in a
/// single-threaded test run, before any real deadlock. A cycle can be of any length (X → Y → Z → X) and its edges may
/// come from different threads. Two locks of one class nested in each other are a cycle of one
/// (<see cref="PotentialDeadlock.LockNames"/> has one name), unless their ranks increase or one
/// <see cref="Locks.AcquireInOrder"/> call takes them;
/// </description></item>
/// <item><description>
/// whether a ranked lock is acquired while the thread holds a ranked lock of higher or equal rank
/// (<see cref="PotentialDeadlockKind.RankInversion"/>).
/// </description></item>
/// </list>
/// <para>
/// Each problem is reported once: through <see cref="Reported"/> and in <see cref="GetReports"/>. Under
/// <see cref="LockOrderPolicy.Report"/> the acquisition then goes ahead and the edge is recorded; under
/// <see cref="LockOrderPolicy.Throw"/> the acquisition throws <see cref="LockOrderViolationException"/> without
/// taking the lock and without recording anything, every time it is attempted. Re-entering a held lock is not
/// checked. <see cref="OrderedLock.TryEnterScope"/> with a finite timeout cannot deadlock and is not checked either;
/// the lock it takes is held like any other. Locks taken by one <see cref="Locks.AcquireInOrder"/> call are not
/// checked against each other (that call orders them), only against the locks held before it and taken after it.
/// Plain <c>lock</c> statements and other lock types are not seen.
/// </para>
/// <para>
/// <b>Cost and memory.</b> Policy <see cref="LockOrderPolicy.Off"/> (the default) records nothing. With validation
/// on, an acquisition whose orders are all known already checks them without a lock or an allocation; only a new
/// order takes a global lock, searches the graph and stores the edge with its two sites. Edges are between classes,
/// so memory is bounded by the number of classes squared, and capped: at most <see cref="MaxLockClasses"/> classes
/// (locks created with further names are not validated) and <see cref="MaxEdges"/> edges and reports (after that, new
/// orders are not learnt or checked; ranks still are). <see cref="IsSaturated"/> says whether a cap was reached.
/// Give locks one name per role, not one per object.
/// </para>
/// <para>
/// <b>Sites.</b> Acquisition sites come from the caller-information parameters of <see cref="OrderedLock.EnterScope"/>
/// (member, file, line), which the compiler fills in: no stack trace is captured. Locks taken by
/// <see cref="Locks.AcquireInOrder"/> show that method as their site.
/// </para>
/// <para>
/// Every member is thread-safe. Set <see cref="Policy"/> at start-up (for example in a test assembly's fixture):
/// locks already held when validation is switched on are not on their thread's stack, so orders from them are not
/// learnt.
/// </para>
/// </remarks>
public static class LockOrderValidator
{
    /// <summary>The most lock classes (distinct <see cref="OrderedLock"/> names) the validator tracks.</summary>
    public const int MaxLockClasses = 4096;

    /// <summary>The most edges (observed orders between two classes) the validator keeps, and the most reports.</summary>
    public const int MaxEdges = 65536;

    private const long RankKeyTag = 1L << 62;

    private static readonly object s_sync = new();
    private static readonly Dictionary<string, LockClass> s_classesByName = new(StringComparer.Ordinal);
    private static readonly Dictionary<long, LockOrderEdge> s_edges = new();
    private static readonly HashSet<long> s_reportedKeys = new();
    private static readonly List<PotentialDeadlock> s_reports = new();
    private static LockClass[] s_classes = new LockClass[16];
    private static int s_classCount;
    private static volatile bool s_edgesFull;
    private static volatile int s_policy;

    /// <summary>The class cap; lowered by tests.</summary>
    internal static int ClassLimit = MaxLockClasses;

    /// <summary>The edge and report cap; lowered by tests.</summary>
    internal static int EdgeLimit = MaxEdges;

    /// <summary>
    /// Raised once for each new <see cref="PotentialDeadlock"/> under <see cref="LockOrderPolicy.Report"/> and
    /// <see cref="LockOrderPolicy.Throw"/>.
    /// </summary>
    /// <remarks>
    /// Handlers run on the acquiring thread before it waits for the lock, while it still holds its other locks: keep
    /// them short (log, record, fail a test). An exception from a handler propagates to the acquisition, which then
    /// does not take the lock.
    /// </remarks>
    public static event Action<PotentialDeadlock>? Reported;

    /// <summary>
    /// What the validator does: <see cref="LockOrderPolicy.Off"/> (the default), <see cref="LockOrderPolicy.Report"/>
    /// or <see cref="LockOrderPolicy.Throw"/>. Set it at start-up, before the locks it should check are taken.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not one of the <see cref="LockOrderPolicy"/> members.</exception>
    public static LockOrderPolicy Policy
    {
        get => (LockOrderPolicy)s_policy;
        set
        {
            if (value is not (LockOrderPolicy.Off or LockOrderPolicy.Report or LockOrderPolicy.Throw))
                throw new ArgumentOutOfRangeException(nameof(value), value, "The policy must be LockOrderPolicy.Off, Report or Throw.");
            s_policy = (int)value;
        }
    }

    /// <summary>How many lock classes (distinct lock names) have been seen. Classes are kept for the life of the process.</summary>
    public static int LockClassCount
    {
        get
        {
            lock (s_sync)
                return s_classCount;
        }
    }

    /// <summary>How many edges (orders between two lock classes) the validator has learnt since start-up or <see cref="Reset"/>.</summary>
    public static int EdgeCount
    {
        get
        {
            lock (s_sync)
                return s_edges.Count;
        }
    }

    /// <summary>
    /// Whether a cap was reached: <see cref="MaxLockClasses"/> (locks with new names are not validated) or
    /// <see cref="MaxEdges"/> (new orders are not learnt or checked; rank inversions still are).
    /// </summary>
    public static bool IsSaturated
    {
        get
        {
            lock (s_sync)
                return s_edgesFull || s_classCount >= ClassLimit;
        }
    }

    internal static bool IsOn => s_policy != (int)LockOrderPolicy.Off;

    /// <summary>Every potential deadlock reported since start-up or <see cref="Reset"/>, oldest first.</summary>
    /// <returns>A snapshot; later reports do not change it.</returns>
    public static IReadOnlyList<PotentialDeadlock> GetReports()
    {
        lock (s_sync)
            return s_reports.ToArray();
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
    public static void Reset()
    {
        s_policy = (int)LockOrderPolicy.Off;
        Reported = null;
        lock (s_sync)
        {
            for (int i = 0; i < s_classCount; i++)
                s_classes[i].ClearSuccessors();
            s_edges.Clear();
            s_reportedKeys.Clear();
            s_reports.Clear();
            s_edgesFull = false;
        }
    }

    internal static LockClass? GetOrAddClass(string name)
    {
        lock (s_sync)
        {
            if (s_classesByName.TryGetValue(name, out LockClass? existing))
                return existing;
            if (s_classCount >= ClassLimit)
                return null;

            var created = new LockClass(s_classCount, name);
            if (s_classCount == s_classes.Length)
                Array.Resize(ref s_classes, s_classes.Length * 2);
            s_classes[s_classCount++] = created;
            s_classesByName.Add(name, created);
            return created;
        }
    }

    /// <summary>
    /// Called before <paramref name="target"/> is waited for, with the thread's held stack. Returns if the acquisition
    /// is fine; reports, and under <see cref="LockOrderPolicy.Throw"/> throws, if not.
    /// </summary>
    internal static void OnAcquiring(HeldLocks held, OrderedLock target, long batch, string memberName, string filePath, int lineNumber)
    {
        int count = held.Count;
        if (count == 0)
            return;

        LockClass targetClass = target.Class!;
        HeldLocks.Entry[] entries = held.Entries;
        for (int i = 0; i < count; i++)
        {
            ref HeldLocks.Entry entry = ref entries[i];
            if (batch != 0 && entry.Batch == batch)
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

            if (!heldLock.Class!.HasSuccessor(targetClass.Id) && !s_edgesFull)
            {
                Check(held, target, batch, memberName, filePath, lineNumber);
                return;
            }
        }
    }

    private static void Check(HeldLocks held, OrderedLock target, long batch, string memberName, string filePath, int lineNumber)
    {
        var policy = (LockOrderPolicy)s_policy;
        if (policy == LockOrderPolicy.Off)
            return;

        int thread = Environment.CurrentManagedThreadId;
        LockClass targetClass = target.Class!;
        var site = new AcquisitionSite(memberName, filePath, lineNumber);
        PotentialDeadlock? violation = null;
        List<PotentialDeadlock>? fresh = null;

        lock (s_sync)
        {
            List<KeyValuePair<LockClass, LockOrderEdge>>? newEdges = null;
            for (int i = 0; i < held.Count; i++)
            {
                ref HeldLocks.Entry entry = ref held.Entries[i];
                if (batch != 0 && entry.Batch == batch)
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
                if (!rankInverted && !s_edgesFull && FindPath(targetClass, heldClass) is { } path)
                {
                    // The path runs from the acquired class back to the held one; with the new edge it is a cycle.
                    var names = new string[path.Count];
                    var edges = new LockOrderEdge[path.Count];
                    names[0] = heldClass.Name;
                    edges[0] = newEdge;
                    for (int j = 0; j + 1 < path.Count; j++)
                    {
                        names[j + 1] = path[j].Name;
                        edges[j + 1] = s_edges[Key(path[j].Id, path[j + 1].Id)];
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

    // Under s_sync.
    private static void Record(long key, PotentialDeadlock report, ref List<PotentialDeadlock>? fresh)
    {
        if (s_reports.Count >= EdgeLimit || !s_reportedKeys.Add(key))
            return;
        s_reports.Add(report);
        (fresh ??= new()).Add(report);
    }

    // Under s_sync.
    private static void AddEdge(LockClass from, LockClass to, LockOrderEdge edge)
    {
        if (s_edges.Count >= EdgeLimit)
        {
            s_edgesFull = true;
            return;
        }

        s_edges[Key(from.Id, to.Id)] = edge;
        from.AddSuccessor(to.Id);
    }

    /// <summary>
    /// Under s_sync: the classes on a shortest path from <paramref name="from"/> to <paramref name="to"/>, both
    /// included (just one when they are the same class), or <see langword="null"/> if there is none.
    /// </summary>
    private static List<LockClass>? FindPath(LockClass from, LockClass to)
    {
        if (ReferenceEquals(from, to))
            return new List<LockClass> { from };

        var parent = new int[s_classCount];
        for (int i = 0; i < parent.Length; i++)
            parent[i] = -1;
        parent[from.Id] = from.Id;

        var queue = new Queue<int>();
        queue.Enqueue(from.Id);
        while (queue.Count != 0)
        {
            int current = queue.Dequeue();
            foreach (int next in s_classes[current].Successors)
            {
                if (parent[next] != -1)
                    continue;
                parent[next] = current;
                if (next == to.Id)
                {
                    var path = new List<LockClass>();
                    for (int at = next; at != from.Id; at = parent[at])
                        path.Add(s_classes[at]);
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
