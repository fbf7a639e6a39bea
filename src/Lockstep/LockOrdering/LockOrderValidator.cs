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
/// <b>Scopes.</b> This class is the process-wide validator, <see cref="LockOrderGraph.Global"/>: every
/// <see cref="OrderedLock"/> created without a graph belongs to it. To validate one test or one container on its own
/// (its own policy, orders and reports, nothing shared with other tests running in parallel), create a
/// <see cref="LockOrderGraph"/> and create the locks with it.
/// </para>
/// <para>
/// Every member is thread-safe. Set <see cref="Policy"/> at start-up (for example in a test assembly's fixture):
/// locks already held when validation is switched on are not on their thread's stack, so orders from them are not
/// learnt.
/// </para>
/// </remarks>
public static class LockOrderValidator
{
    /// <summary>The most lock classes (distinct <see cref="OrderedLock"/> names) a validator tracks.</summary>
    public const int MaxLockClasses = 4096;

    /// <summary>The most edges (observed orders between two classes) a validator keeps, and the most reports.</summary>
    public const int MaxEdges = 65536;

    /// <summary>
    /// Raised once for each new <see cref="PotentialDeadlock"/> under <see cref="LockOrderPolicy.Report"/> and
    /// <see cref="LockOrderPolicy.Throw"/>.
    /// </summary>
    /// <remarks>
    /// Handlers run on the acquiring thread before it waits for the lock, while it still holds its other locks: keep
    /// them short (log, record, fail a test). An exception from a handler propagates to the acquisition, which then
    /// does not take the lock.
    /// </remarks>
    public static event Action<PotentialDeadlock>? Reported
    {
        add => LockOrderGraph.Global.Reported += value;
        remove => LockOrderGraph.Global.Reported -= value;
    }

    /// <summary>
    /// What the validator does: <see cref="LockOrderPolicy.Off"/> (the default), <see cref="LockOrderPolicy.Report"/>
    /// or <see cref="LockOrderPolicy.Throw"/>. Set it at start-up, before the locks it should check are taken.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not one of the <see cref="LockOrderPolicy"/> members.</exception>
    public static LockOrderPolicy Policy
    {
        get => LockOrderGraph.Global.Policy;
        set => LockOrderGraph.Global.Policy = value;
    }

    /// <summary>How many lock classes (distinct lock names) have been seen. Classes are kept for the life of the process.</summary>
    public static int LockClassCount => LockOrderGraph.Global.LockClassCount;

    /// <summary>How many edges (orders between two lock classes) the validator has learnt since start-up or <see cref="Reset"/>.</summary>
    public static int EdgeCount => LockOrderGraph.Global.EdgeCount;

    /// <summary>
    /// Whether a cap was reached: <see cref="MaxLockClasses"/> (locks with new names are not validated) or
    /// <see cref="MaxEdges"/> (new orders are not learnt or checked; rank inversions still are).
    /// </summary>
    public static bool IsSaturated => LockOrderGraph.Global.IsSaturated;

    /// <summary>Every potential deadlock reported since start-up or <see cref="Reset"/>, oldest first.</summary>
    /// <returns>A snapshot; later reports do not change it.</returns>
    public static IReadOnlyList<PotentialDeadlock> GetReports() => LockOrderGraph.Global.GetReports();

    /// <summary>
    /// For tests: forgets every learnt edge and report, sets <see cref="Policy"/> back to
    /// <see cref="LockOrderPolicy.Off"/> and removes every <see cref="Reported"/> handler. Lock classes are kept (live
    /// locks refer to them).
    /// </summary>
    /// <remarks>
    /// Call it when no other thread takes <see cref="OrderedLock"/>s. Locks held at the time stay held and are
    /// released normally. Tests that run in parallel are better served by a <see cref="LockOrderGraph"/> each.
    /// </remarks>
    public static void Reset() => LockOrderGraph.Global.Reset();
}
