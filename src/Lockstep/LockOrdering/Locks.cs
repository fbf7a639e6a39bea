using System;
using System.Collections.Generic;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace Lockstep;

/// <summary>Takes several locks at once in one global order, so that code taking them never deadlocks with itself.</summary>
public static class Locks
{
    // One counter for OrderedLock ids and for the ids of other objects, so that every lock has a distinct id.
    private static long s_lastOrderId;
    private static readonly ConditionalWeakTable<object, OrderId> s_orderIds = new();
    private static readonly ConditionalWeakTable<object, OrderId>.CreateValueCallback s_newOrderId = static _ => new OrderId(NextOrderId());

    // System.Threading.Lock (.NET 9 and later): a lock statement on it calls Enter/Exit, not Monitor, so that is what
    // AcquireInOrder must call too. The library targets frameworks without it, hence reflection (once).
    private static readonly Type? s_lockType = typeof(object).Assembly.GetType("System.Threading.Lock", throwOnError: false);
    private static readonly MethodInfo? s_lockEnter = s_lockType?.GetMethod("Enter", Type.EmptyTypes);
    private static readonly MethodInfo? s_lockExit = s_lockType?.GetMethod("Exit", Type.EmptyTypes);

    /// <summary>
    /// Takes every lock in <paramref name="locks"/>, in one global order whatever the order of the arguments, and
    /// returns a scope that releases them, in reverse order, when disposed.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The order: <see cref="OrderedLock"/>s with a rank first, by increasing rank; then everything else (unranked
    /// <see cref="OrderedLock"/>s, objects used with <c>lock</c>/<see cref="Monitor"/>, and on .NET 9 and later
    /// <c>System.Threading.Lock</c>s, which are entered with their own <c>Enter</c>) by a per-object id handed out the
    /// first time the object is seen (kept in a <see cref="ConditionalWeakTable{TKey, TValue}"/>, so it neither
    /// collides like <see cref="object.GetHashCode"/> nor keeps the object alive). Locks of equal rank are ordered by
    /// that id too. Two threads that take overlapping sets of locks only through this method cannot deadlock on them.
    /// </para>
    /// <para>
    /// A lock passed more than once is taken once. Locks the thread already holds are entered again (all of these lock
    /// kinds are re-entrant). If taking a lock throws (for example <see cref="LockOrderViolationException"/>), the locks
    /// already taken are released before the exception propagates.
    /// </para>
    /// <para>
    /// <see cref="LockOrderValidator"/> does not check the locks of one call against each other (the call orders them),
    /// only against the <see cref="OrderedLock"/>s held before it and taken inside it; their acquisition site is this
    /// method.
    /// </para>
    /// <para>
    /// Each call allocates its scope and a small array (this is not the primitive for a hot single lock; use
    /// <see cref="OrderedLock.EnterScope"/> or <c>lock</c> there). The C# compiler warns (CS9216) when a
    /// <c>System.Threading.Lock</c> is passed as an <see cref="object"/>; here that conversion is intended, since the
    /// lock is recognised and entered with <c>Lock.Enter</c>, so suppress the warning at that call.
    /// </para>
    /// <example>
    /// <code>
    /// void Transfer(Account from, Account to, decimal amount)
    /// {
    ///     using (Locks.AcquireInOrder(from.Sync, to.Sync))
    ///     {
    ///         from.Balance -= amount;
    ///         to.Balance += amount;
    ///     }
    /// }
    /// </code>
    /// </example>
    /// </remarks>
    /// <param name="locks">The locks: <see cref="OrderedLock"/>s, objects used with <c>lock</c>, or <c>System.Threading.Lock</c>s, in any order.</param>
    /// <returns>A scope that holds every lock until it is disposed; dispose it on this thread.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="locks"/> or one of its elements is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// An element is a boxed value (every boxing makes a new object, so nothing else can lock the same one), a
    /// <see cref="Guarded{T}"/> (pass its <see cref="Guarded{T}.SyncRoot"/>), or a <see cref="SemaphoreSlim"/>,
    /// <see cref="WaitHandle"/> or <see cref="ReaderWriterLockSlim"/> (their own waits are not excluded by a monitor).
    /// </exception>
    /// <exception cref="LockOrderViolationException">
    /// <see cref="LockOrderValidator.Policy"/> is <see cref="LockOrderPolicy.Throw"/> and taking one of the
    /// <see cref="OrderedLock"/>s after the locks held before the call could deadlock. No lock of this call is held.
    /// </exception>
    public static Scope AcquireInOrder(params object[] locks)
    {
        if (locks is null)
            throw new ArgumentNullException(nameof(locks));

        var entries = new Entry[locks.Length];
        for (int i = 0; i < locks.Length; i++)
            entries[i] = Describe(locks[i], i);

        Array.Sort(entries, EntryOrder.Instance);

        // Equal objects have equal ids, so duplicates are now next to each other.
        int count = 0;
        for (int i = 0; i < entries.Length; i++)
        {
            if (count > 0 && ReferenceEquals(entries[count - 1].Target, entries[i].Target))
                continue;
            entries[count++] = entries[i];
        }

        int thread = CurrentThread.Id;
        long batch = HeldLocks.Current.NextBatch();
        int taken = 0;
        try
        {
            for (; taken < count; taken++)
                Enter(ref entries[taken], batch);
        }
        catch
        {
            // The acquisition's exception is the one to report; a failure to release one of the others cannot be
            // handled by the caller either way.
            _ = Release(entries, taken);
            throw;
        }

        return new Scope(entries, count, thread);
    }

    internal static long NextOrderId() => Interlocked.Increment(ref s_lastOrderId);

    /// <summary>The id that orders <paramref name="target"/> among locks of the same rank.</summary>
    internal static long GetOrderId(object target) =>
        target is OrderedLock orderedLock ? orderedLock.OrderId : s_orderIds.GetValue(target, s_newOrderId).Value;

    private static Entry Describe(object? target, int index)
    {
        const string locks = "locks"; // the parameter of AcquireInOrder
        if (target is null)
            throw new ArgumentNullException(locks, $"locks[{index}] is null: every lock to acquire must be an object.");

        if (target is OrderedLock orderedLock)
        {
            return new Entry
            {
                Target = target,
                Kind = LockKind.Ordered,
                Ranked = orderedLock.HasRank,
                Rank = orderedLock.RankValue,
                Id = orderedLock.OrderId,
            };
        }

        if (target is ValueType)
            throw new ArgumentException($"locks[{index}] is a boxed {target.GetType().Name}: every boxing makes a new object, so no other code can lock the same one. Lock a private object, for example new object().", locks);
        if (target is SemaphoreSlim or WaitHandle or ReaderWriterLockSlim)
            throw new ArgumentException($"locks[{index}] is a {target.GetType().Name}: AcquireInOrder would lock it as a monitor, which does not exclude code that waits on it. Acquire it with its own methods, or lock a private object instead.", locks);
        Type type = target.GetType();
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Guarded<>))
            throw new ArgumentException($"locks[{index}] is a Guarded<{type.GetGenericArguments()[0].Name}>: its lock is its SyncRoot, not the object itself. Pass guarded.SyncRoot.", locks);

        return new Entry
        {
            Target = target,
            Kind = type == s_lockType ? LockKind.SystemLock : LockKind.Monitor,
            Id = s_orderIds.GetValue(target, s_newOrderId).Value,
        };
    }

    private static void Enter(ref Entry entry, long batch)
    {
        switch (entry.Kind)
        {
            case LockKind.Ordered:
                var scope = ((OrderedLock)entry.Target).Enter(batch, AcquisitionSite.AcquireInOrder.MemberName, "", 0);
                entry.Token = scope.Token;
                entry.Depth = scope.Depth;
                entry.Thread = scope.Thread;
                break;
            case LockKind.SystemLock:
                var exit = (Action)s_lockExit!.CreateDelegate(typeof(Action), entry.Target);
                ((Action)s_lockEnter!.CreateDelegate(typeof(Action), entry.Target))();
                entry.Exit = exit;
                break;
            default:
                Monitor.Enter(entry.Target);
                break;
        }
    }

    private static void Exit(ref Entry entry)
    {
        switch (entry.Kind)
        {
            case LockKind.Ordered:
                ((OrderedLock)entry.Target).Exit(entry.Token, entry.Depth, entry.Thread);
                break;
            case LockKind.SystemLock:
                entry.Exit!();
                break;
            default:
                Monitor.Exit(entry.Target);
                break;
        }
    }

    /// <summary>Releases the first <paramref name="count"/> entries, last first; every one is attempted.</summary>
    /// <returns>The first failure, or <see langword="null"/>.</returns>
    private static Exception? Release(Entry[] entries, int count)
    {
        Exception? failure = null;
        for (int i = count - 1; i >= 0; i--)
        {
            try
            {
                Exit(ref entries[i]);
            }
            catch (Exception e)
            {
                failure ??= e;
            }
        }

        return failure;
    }

    internal enum LockKind
    {
        Monitor,
        Ordered,
        SystemLock,
    }

    internal struct Entry
    {
        public object Target;
        public LockKind Kind;
        public bool Ranked;
        public int Rank;
        public long Id;
        public long Token;  // an OrderedLock's acquisition: what its scope would hold
        public int Depth;
        public int Thread;
        public Action? Exit;
    }

    private sealed class EntryOrder : IComparer<Entry>
    {
        public static readonly EntryOrder Instance = new();

        public int Compare(Entry x, Entry y)
        {
            if (x.Ranked != y.Ranked)
                return x.Ranked ? -1 : 1;
            if (x.Ranked && x.Rank != y.Rank)
                return x.Rank.CompareTo(y.Rank);
            return x.Id.CompareTo(y.Id);
        }
    }

    private sealed class OrderId
    {
        public OrderId(long value) => Value = value;

        public long Value { get; }
    }

    /// <summary>
    /// The locks taken by one <see cref="AcquireInOrder"/> call, held until <see cref="Dispose"/> releases them in
    /// reverse order. Dispose it once, on the thread that took the locks.
    /// </summary>
    /// <remarks>
    /// Unlike <see cref="OrderedLock.Scope"/> this scope stays a class on every target framework, with the thread
    /// checked when it is disposed: the Lockstep code fixes (LS2001, LS2002) write <c>using (Locks.AcquireInOrder(a, b))</c>
    /// in place of nested <c>lock</c> statements, also inside <c>async</c> methods, and before C# 13 a
    /// <see langword="ref struct"/> may not appear in an <c>async</c> method at all (before C# 8, not in a <c>using</c>).
    /// A <c>lock</c> statement cannot contain an <c>await</c>, so the code the fixes write never holds the scope across one.
    /// </remarks>
    public sealed class Scope : IDisposable
    {
        private readonly int _count;
        private readonly int _thread;
        private Entry[]? _entries;

        internal Scope(Entry[] entries, int count, int thread)
        {
            _entries = entries;
            _count = count;
            _thread = thread;
        }

        /// <summary>How many distinct locks the scope holds (duplicates in the arguments count once).</summary>
        public int Count => _count;

        /// <summary>Releases every lock, in the reverse of the order they were taken.</summary>
        /// <exception cref="ObjectDisposedException">The scope has already been disposed.</exception>
        /// <exception cref="SynchronizationLockException">The current thread is not the one that took the locks; they stay held.</exception>
        public void Dispose()
        {
            Entry[] entries = _entries ?? throw new ObjectDisposedException(
                nameof(Locks) + "." + nameof(Scope),
                "This scope from Locks.AcquireInOrder has already been disposed, so it no longer holds its locks. Dispose it once.");

            int current = CurrentThread.Id;
            if (current != _thread)
            {
                throw new SynchronizationLockException(
                    $"This scope from Locks.AcquireInOrder was taken on thread {_thread} and cannot be disposed on thread {current}: locks are released "
                    + $"by the thread that took them. Dispose it on thread {_thread}, and do not keep it across an await. The locks are still held.");
            }

            _entries = null;
            if (Release(entries, _count) is { } failure)
                ExceptionDispatchInfo.Capture(failure).Throw();
        }
    }
}
