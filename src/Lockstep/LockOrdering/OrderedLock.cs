using System;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Threading;

namespace Lockstep;

/// <summary>
/// A named lock with an optional rank, checked by <see cref="LockOrderValidator"/> for lock orders that can
/// deadlock, and ordered by <see cref="Locks.AcquireInOrder"/>.
/// </summary>
/// <remarks>
/// <para>
/// Take it with <c>using (l.EnterScope()) { … }</c>. The scope must be disposed on the thread that entered it; on .NET 8
/// and later it is a <see langword="ref struct"/>, so keeping it across an <c>await</c> does not compile (see
/// <see cref="Scope"/>).
/// </para>
/// <para>
/// <b>Lock classes.</b> The name is the lock's class for the validator, as in Linux lockdep: every
/// <see cref="OrderedLock"/> created with the same name is one class, and the validator learns orders between
/// classes. Give the locks of one field of many objects (say, every account's lock) one name, and locks that play
/// different roles different names. Two locks of one class nested directly are reported (their order depends on
/// the instances), unless they are taken by one <see cref="Locks.AcquireInOrder"/> call or their ranks increase.
/// </para>
/// <para>
/// <b>Ranks.</b> A lock with a rank may only be acquired while every ranked lock the thread holds has a lower rank;
/// anything else is reported as <see cref="PotentialDeadlockKind.RankInversion"/>. Locks without a rank are not
/// rank-checked. <see cref="Locks.AcquireInOrder"/> takes ranked locks first, lowest rank first.
/// </para>
/// <para>
/// <b>Re-entrancy.</b> The lock is re-entrant, like <see cref="Monitor"/>: a thread that holds it can enter it again,
/// and it is released when every scope has been disposed. Re-entry is not checked or recorded by the validator (it
/// cannot deadlock). Scopes of one lock on one thread must be disposed in the reverse order of entry, which
/// <c>using</c> does.
/// </para>
/// <para>
/// <b>Cost.</b> With <see cref="LockOrderValidator.Policy"/> <see cref="LockOrderPolicy.Off"/> (the default) an
/// uncontended enter and exit is a <see cref="Monitor"/> enter and exit on a private object plus a few field writes;
/// with validation on, a push and pop on a per-thread stack and a lock-free look-up of each order already known. Neither
/// allocates. The caller-information parameters are filled in by the compiler; do not pass them.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// private static readonly OrderedLock s_accounts = new OrderedLock("accounts", rank: 1);
/// private static readonly OrderedLock s_audit = new OrderedLock("audit", rank: 2);
///
/// using (s_accounts.EnterScope())
/// using (s_audit.EnterScope())
/// {
///     // ...
/// }
/// </code>
/// </example>
public sealed class OrderedLock
{
    private readonly object _sync = new();
    private readonly int _rank;
    private readonly bool _hasRank;

    // Written only by the thread that holds _sync (or, for _owner, by the thread that is about to release it), so
    // the holder reads them without a race. A thread that finds its own id in _owner holds the lock.
    private int _owner;
    private int _depth;
    private long _acquisitions;
    private bool _tracked;

    /// <summary>Creates a lock.</summary>
    /// <param name="name">
    /// The lock's name, shown in reports; also its lock class for <see cref="LockOrderValidator"/> (every lock
    /// created with this name is one class).
    /// </param>
    /// <param name="rank">
    /// An optional rank: ranked locks must be acquired in strictly increasing rank order. Without one, the lock is
    /// only checked against the orders observed.
    /// </param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or only white space.</exception>
    public OrderedLock(string name, int? rank = null)
        : this(name, rank, LockOrderGraph.Global)
    {
    }

    /// <summary>Creates a lock validated by <paramref name="graph"/> instead of the process-wide <see cref="LockOrderValidator"/>.</summary>
    /// <param name="name">
    /// The lock's name, shown in reports; also its lock class in <paramref name="graph"/> (every lock of that graph
    /// created with this name is one class).
    /// </param>
    /// <param name="rank">An optional rank: ranked locks must be acquired in strictly increasing rank order.</param>
    /// <param name="graph">
    /// The validator that checks this lock, for example one per test or per container; it checks the lock only against
    /// other locks of the same graph.
    /// </param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> or <paramref name="graph"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or only white space.</exception>
    public OrderedLock(string name, int? rank, LockOrderGraph graph)
    {
        if (graph is null)
            throw new ArgumentNullException(nameof(graph), "Pass the LockOrderGraph that validates this lock, or use the constructor without one for the process-wide LockOrderValidator.");
        if (name is null)
            throw new ArgumentNullException(nameof(name), "Name the lock: the name is its lock class for LockOrderValidator and appears in its reports.");
        if (name.Trim().Length == 0)
            throw new ArgumentException("Name the lock: the name is its lock class for LockOrderValidator and appears in its reports.", nameof(name));

        Name = name;
        _hasRank = rank.HasValue;
        _rank = rank.GetValueOrDefault();
        Graph = graph;
        Class = graph.GetOrAddClass(name);
        OrderId = Locks.NextOrderId();
    }

    /// <summary>The lock's name: its lock class for <see cref="LockOrderValidator"/>.</summary>
    public string Name { get; }

    /// <summary>The lock's rank, or <see langword="null"/> if it has none.</summary>
    public int? Rank => _hasRank ? _rank : null;

    /// <summary>Whether the current thread holds this lock.</summary>
    public bool IsHeldByCurrentThread => _owner == CurrentThread.Id && Monitor.IsEntered(_sync);

    /// <summary>The validator this lock belongs to: <see cref="LockOrderGraph.Global"/> unless it was created with another.</summary>
    internal LockOrderGraph Graph { get; }

    /// <summary>The validator's class for this lock, or <see langword="null"/> if the class table was full when it was created.</summary>
    internal LockClass? Class { get; }

    /// <summary>The lock's place among locks of the same rank in <see cref="Locks.AcquireInOrder"/>.</summary>
    internal long OrderId { get; }

    internal bool HasRank => _hasRank;

    internal int RankValue => _rank;

    /// <summary>
    /// Takes the lock, waiting as long as it takes, and returns a scope that releases it when disposed. If the
    /// thread already holds the lock, it enters it again.
    /// </summary>
    /// <param name="memberName">Filled in by the compiler: the calling member, for reports.</param>
    /// <param name="filePath">Filled in by the compiler: the calling source file, for reports.</param>
    /// <param name="lineNumber">Filled in by the compiler: the calling line, for reports.</param>
    /// <returns>A scope that holds the lock until it is disposed; dispose it on this thread.</returns>
    /// <exception cref="LockOrderViolationException">
    /// <see cref="LockOrderValidator.Policy"/> is <see cref="LockOrderPolicy.Throw"/> and taking this lock while
    /// holding the thread's current locks could deadlock. The lock was not taken.
    /// </exception>
    public Scope EnterScope(
        [CallerMemberName] string memberName = "",
        [CallerFilePath] string filePath = "",
        [CallerLineNumber] int lineNumber = 0)
        => Enter(batch: 0, memberName, filePath, lineNumber);

    /// <summary>
    /// Takes the lock if it becomes free within <paramref name="timeout"/>. If the thread already holds the lock, it
    /// enters it again at once.
    /// </summary>
    /// <remarks>
    /// With a finite timeout the acquisition cannot deadlock (it gives up), so, as lockdep treats a trylock, the
    /// validator does not check its order or rank; once taken, the lock is held like any other and orders from it to
    /// later acquisitions are checked. With <see cref="Timeout.InfiniteTimeSpan"/> it is checked like
    /// <see cref="EnterScope"/>.
    /// </remarks>
    /// <param name="timeout">How long to wait: <see cref="TimeSpan.Zero"/> to try once, <see cref="Timeout.InfiniteTimeSpan"/> to wait as long as it takes.</param>
    /// <param name="scope">
    /// When the method returns <see langword="true"/>, a scope that holds the lock until it is disposed; otherwise a
    /// default scope, which holds nothing and must not be disposed.
    /// </param>
    /// <param name="memberName">Filled in by the compiler: the calling member, for reports.</param>
    /// <param name="filePath">Filled in by the compiler: the calling source file, for reports.</param>
    /// <param name="lineNumber">Filled in by the compiler: the calling line, for reports.</param>
    /// <returns><see langword="true"/> if the lock was taken.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than -1 ms) or more than <see cref="int.MaxValue"/> milliseconds.</exception>
    /// <exception cref="LockOrderViolationException">
    /// <paramref name="timeout"/> is infinite, <see cref="LockOrderValidator.Policy"/> is
    /// <see cref="LockOrderPolicy.Throw"/> and taking this lock could deadlock. The lock was not taken.
    /// </exception>
    public bool TryEnterScope(
        TimeSpan timeout,
        out Scope scope,
        [CallerMemberName] string memberName = "",
        [CallerFilePath] string filePath = "",
        [CallerLineNumber] int lineNumber = 0)
    {
        long milliseconds = (long)timeout.TotalMilliseconds;
        if (milliseconds < -1 || milliseconds > int.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The timeout must be between 0 and Int32.MaxValue milliseconds, or Timeout.InfiniteTimeSpan (-1 ms) to wait without limit.");

        int me = CurrentThread.Id;
        if (_owner == me && Monitor.IsEntered(_sync))
        {
            scope = new Scope(this, _acquisitions, ++_depth, me);
            return true;
        }

        HeldLocks? held = null;
        if (Graph.IsOn && Class is not null)
        {
            held = HeldLocks.Current;
            if (milliseconds == -1 && held.Count != 0)
                Graph.OnAcquiring(held, this, batch: 0, memberName, filePath, lineNumber);
        }

        bool taken = false;
        Monitor.TryEnter(_sync, timeout, ref taken);
        if (!taken)
        {
            scope = default;
            return false;
        }

        scope = Acquired(me, held, batch: 0, memberName, filePath, lineNumber);
        return true;
    }

    /// <summary>The lock's name, and its rank if it has one.</summary>
    /// <returns>For example <c>accounts (rank 1)</c>.</returns>
    public override string ToString() =>
        _hasRank ? Name + " (rank " + _rank.ToString(CultureInfo.InvariantCulture) + ")" : Name;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal Scope Enter(long batch, string memberName, string filePath, int lineNumber)
    {
        int me = CurrentThread.Id;
        if (_owner == me && Monitor.IsEntered(_sync))
            return new Scope(this, _acquisitions, ++_depth, me);

        if (Graph.IsOn && Class is not null)
            return EnterTracked(me, batch, memberName, filePath, lineNumber);

        Monitor.Enter(_sync);
        _owner = me;
        _depth = 1;
        return new Scope(this, ++_acquisitions, 1, me);
    }

    // Out of line, so that the code of the common path (validation off) does not depend on this one, and this one is
    // compiled (and profiled) for itself.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private Scope EnterTracked(int me, long batch, string memberName, string filePath, int lineNumber)
    {
        HeldLocks held = HeldLocks.Current;
        if (held.Count != 0)
            Graph.OnAcquiring(held, this, batch, memberName, filePath, lineNumber);

        Monitor.Enter(_sync);
        return Acquired(me, held, batch, memberName, filePath, lineNumber);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Scope Acquired(int me, HeldLocks? held, long batch, string memberName, string filePath, int lineNumber)
    {
        _owner = me;
        _depth = 1;
        long token = ++_acquisitions;
        if (held is not null)
        {
            held.Push(this, batch, memberName, filePath, lineNumber);
            _tracked = true;
        }

        return new Scope(this, token, 1, me);
    }

    // Also called by Locks, which keeps an acquisition as its token, depth and thread (a ref struct scope cannot be
    // stored in its array).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Exit(long token, int depth, int thread)
    {
        // One combined test on the common path; the cold path works out which misuse it was.
        if (thread != CurrentThread.Id || _owner != thread || _acquisitions != token || _depth != depth)
            ThrowMisuse(token, depth, thread);

        if (depth != 1)
        {
            _depth = depth - 1;
            return;
        }

        _depth = 0;
        if (_tracked)
            Untrack();

        _owner = 0;
        Monitor.Exit(_sync);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Untrack()
    {
        _tracked = false;
        HeldLocks.CurrentOrNull?.Remove(this);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowMisuse(long token, int depth, int thread)
    {
        int me = CurrentThread.Id;
        if (thread != me)
            throw WrongThread(thread, me);
        if (_owner != me || _acquisitions != token || _depth < depth)
            throw AlreadyReleased();
        throw OutOfOrder();
    }

    private SynchronizationLockException WrongThread(int scopeThread, int current) => new(
        $"This scope of OrderedLock '{Name}' was entered on thread {scopeThread} and cannot be disposed on thread {current}: a lock is "
        + $"released by the thread that took it. Dispose it on thread {scopeThread}, and do not keep a scope across an await or hand it "
        + "to another thread. The lock is still held.");

    private ObjectDisposedException AlreadyReleased() => new(
        nameof(OrderedLock) + "." + nameof(Scope),
        $"This scope of OrderedLock '{Name}' has already been disposed (this copy or another copy of it), so it no longer holds the lock. "
        + "Dispose each scope once; take the lock again with EnterScope().");

    private InvalidOperationException OutOfOrder() => new(
        $"OrderedLock '{Name}' was entered again on this thread after this scope, and that inner scope is still open. Dispose re-entrant "
        + "scopes of one lock in the reverse order of entry (as nested using statements do). The lock is still held.");

    private static InvalidOperationException DefaultScope() => new(
        "This OrderedLock.Scope is default: it was not returned by EnterScope() or by a successful TryEnterScope(), so it holds no lock "
        + "and there is nothing to release. Check TryEnterScope's result before using the scope.");

    /// <summary>
    /// Holds an <see cref="OrderedLock"/> from <see cref="EnterScope"/> or a successful
    /// <see cref="TryEnterScope"/> until <see cref="Dispose"/>. Use it in a <c>using</c> statement on the thread that
    /// entered the lock.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The scope is bound to the thread that entered the lock (a <see cref="Monitor"/> is released by its owner). On
    /// .NET 8 and later it is a <see langword="ref struct"/>, so the compiler keeps it on that thread: holding it across
    /// an <c>await</c> is error CS4007, and it cannot be stored in a field, boxed or captured by a lambda. This needs
    /// C# 8 or later for <c>using</c>, and C# 13 or later to take a scope inside an <c>async</c> method at all (earlier
    /// versions refuse any ref struct there, even one not held across an <c>await</c>). On .NET Standard 2.0 (.NET
    /// Framework and older runtimes, where projects often use C# 7.3) it is an ordinary struct implementing
    /// <see cref="IDisposable"/>, and disposing it on another thread throws <see cref="SynchronizationLockException"/>.
    /// </para>
    /// <para>
    /// Copies refer to the same acquisition, and once any copy is disposed, disposing any of them again throws
    /// <see cref="ObjectDisposedException"/>.
    /// </para>
    /// </remarks>
#if NET
    public readonly ref struct Scope
#else
    public readonly struct Scope : IDisposable
#endif
    {
        private readonly OrderedLock? _lock;
        private readonly long _token;
        private readonly int _depth;
        private readonly int _thread;

        internal Scope(OrderedLock owner, long token, int depth, int thread)
        {
            _lock = owner;
            _token = token;
            _depth = depth;
            _thread = thread;
        }

        internal long Token => _token;

        internal int Depth => _depth;

        internal int Thread => _thread;

        /// <summary>Releases this hold on the lock; the lock is free once every re-entrant scope of it is disposed.</summary>
        /// <exception cref="InvalidOperationException">The scope is default (a failed <see cref="TryEnterScope"/>, or <c>default(Scope)</c>); or an inner re-entrant scope of the same lock is still open.</exception>
        /// <exception cref="ObjectDisposedException">The scope, or a copy of it, has already been disposed.</exception>
        /// <exception cref="SynchronizationLockException">The current thread is not the one that entered the lock; the lock stays held.</exception>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Dispose()
        {
            if (_lock is not { } owner)
                throw DefaultScope();

            owner.Exit(_token, _depth, _thread);
        }
    }
}
