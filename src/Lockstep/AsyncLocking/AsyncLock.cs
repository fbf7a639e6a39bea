using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace Lockstep;

/// <summary>
/// A mutual-exclusion lock for asynchronous code: <c>using (await _lock.LockAsync(cancellationToken)) { … }</c>.
/// Waiters are served in first-come, first-served order, a cancelled wait leaves nothing behind, and taking a free
/// lock allocates nothing.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="LockAsync(CancellationToken)"/> returns a <see cref="Scope"/> that holds the lock until it is disposed;
/// the critical section may contain <c>await</c>s, and the scope may be disposed on any thread (the lock belongs to
/// whoever holds the scope, not to a thread). <see cref="Lock(CancellationToken)"/> does the same for the rare
/// synchronous caller, blocking its thread. <see cref="TryLockAsync(TimeSpan, CancellationToken)"/> and
/// <see cref="TryLock(TimeSpan, out Scope)"/> wait at most a given time and say whether they got the lock;
/// <see cref="LockAsync(TimeSpan, CancellationToken)"/> throws <see cref="TimeoutException"/> when its time is up.
/// Every member is thread-safe.
/// </para>
/// <para>
/// <b>Fairness.</b> Callers that find the lock held wait in one queue, synchronous and asynchronous callers alike, and
/// are granted the lock in the order they arrived. Releasing hands the lock directly to the first waiter, so a caller
/// that arrives later (or the caller that released it, trying again) cannot overtake the queue.
/// </para>
/// <para>
/// <b>Continuations.</b> A waiter granted the lock resumes asynchronously: the thread that disposes a scope never runs
/// the next holder's code inline, so releasing is quick and cannot recurse into other critical sections. An awaiting
/// caller resumes on its captured <see cref="SynchronizationContext"/> or <see cref="TaskScheduler"/> unless it uses
/// <c>ConfigureAwait(false)</c>.
/// </para>
/// <para>
/// <b>Cancellation.</b> A waiter whose token is cancelled (or whose timeout passes) before it is granted the lock leaves
/// the queue and its call ends with <see cref="OperationCanceledException"/> (or <see cref="TimeoutException"/>); the
/// lock and the other waiters are unaffected. When the cancellation comes at the same moment as the grant, exactly one
/// of them wins: either the call completes with the lock (even though the token is now cancelled; the caller holds the
/// lock and its <c>using</c> releases it), or the call is cancelled and the lock goes to the next waiter. The lock is
/// never lost and never held twice.
/// </para>
/// <para>
/// <b>Not re-entrant.</b> The lock has no notion of an owner, so a flow that holds it and calls
/// <see cref="LockAsync(CancellationToken)"/> or <see cref="Lock(CancellationToken)"/> again waits for itself forever
/// (or until its token or timeout ends the wait). This is not detected at run time: recognising the holding flow would
/// need an <see cref="AsyncLocal{T}"/> write on every acquisition, which costs even code that never re-enters. Keep
/// critical sections small and do not call code that takes the same lock from inside them.
/// </para>
/// <para>
/// <b>Misuse.</b> Each acquisition is numbered, and its scope carries that number. Disposing a scope a second
/// time (or disposing a copy of one already disposed) throws <see cref="InvalidOperationException"/> instead of
/// releasing a hold that by now may belong to another caller; so does disposing a <see langword="default"/>
/// scope, which holds nothing. Always await the task <see cref="LockAsync(CancellationToken)"/> returns, once: a
/// call that is never awaited still gets the lock when its turn comes, and then nobody releases it.
/// </para>
/// <example>
/// <code>
/// private readonly AsyncLock _lock = new AsyncLock();
/// private int _balance;
///
/// public async Task DepositAsync(int amount, CancellationToken cancellationToken)
/// {
///     using (await _lock.LockAsync(cancellationToken))
///     {
///         int balance = _balance;
///         await _audit.WriteAsync(balance, amount, cancellationToken); // other callers wait here
///         _balance = balance + amount;
///     }
/// }
/// </code>
/// </example>
/// </remarks>
[DebuggerDisplay("IsHeld = {IsHeld}, Waiters = {WaiterCount}")]
public sealed partial class AsyncLock
{
    // _state packs the whole lock into one word so that taking a free lock and releasing one nobody waits for are a
    // single compare-and-swap each, without touching _queueLock:
    //   bit 0     HeldBit     the lock is held;
    //   bit 1     WaitersBit  the queue is not empty (only ever set while HeldBit is set: a free lock has no waiters,
    //                         because a release with waiters hands the lock straight to the first of them);
    //   bits 2-63 version     the number of the current (or last) acquisition, carried by its scope.
    // While WaitersBit is set, _state changes only under _queueLock: the fast paths need it clear (release) or the lock
    // free (acquire), so code holding _queueLock can read the state and write it back without a compare-and-swap.
    private const long HeldBit = 1;
    private const long WaitersBit = 2;
    private const long VersionUnit = 4;
    private const long VersionMask = ~(HeldBit | WaitersBit);

    private readonly object _queueLock = new object();
    private long _state;

    // The waiters, oldest first: an intrusive doubly linked list, so a cancelled waiter leaves in O(1). Guarded by _queueLock.
    private Waiter? _head;
    private Waiter? _tail;
    private int _waiterCount;

    // Test hooks, null outside tests and read only on the paths that involve waiters: they let a test stop a thread
    // inside the two windows where a grant and a cancellation can cross, to check both interleavings deterministically.
    // AfterCancelClaimed runs after a cancellation or timeout has claimed a waiter and before it leaves the queue;
    // BeforeGrant runs after a release has claimed a waiter and left _queueLock, before the waiter is told.
    // CancelLostForTest runs when a cancellation or timeout finds its waiter already claimed by a release.
    internal Action? AfterCancelClaimedForTest;
    internal Action? BeforeGrantForTest;
    internal Action? CancelLostForTest;

    /// <summary>Creates a lock that is not held.</summary>
    public AsyncLock()
    {
    }

    /// <summary>
    /// Whether the lock is held right now by anyone. The answer may be out of date as soon as it is returned; use it
    /// for diagnostics and assertions, not to decide whether to take the lock (use <see cref="TryLock"/> for that).
    /// </summary>
    public bool IsHeld => (Volatile.Read(ref _state) & HeldBit) != 0;

    // How many callers are waiting. For tests and the debugger display (so it does not take _queueLock, which a
    // frozen thread may hold while the debugger evaluates it).
    internal int WaiterCount => Volatile.Read(ref _waiterCount);

    // Whether the packed state agrees with the queue: waiters only while held, and the flag set exactly when the
    // queue is not empty. For tests.
    internal bool IsConsistent
    {
        get
        {
            lock (_queueLock)
            {
                long state = Volatile.Read(ref _state);
                bool held = (state & HeldBit) != 0;
                bool flagged = (state & WaitersBit) != 0;
                bool queued = _head is not null;
                return flagged == queued && (held || !queued) && (_waiterCount == 0) == !queued;
            }
        }
    }

    /// <summary>
    /// Takes the lock, waiting asynchronously behind earlier callers until it is free. Use the result in a
    /// <c>using</c> statement: <c>using (await _lock.LockAsync(cancellationToken)) { … }</c>.
    /// </summary>
    /// <param name="cancellationToken">Ends the wait with <see cref="OperationCanceledException"/> if cancelled before the lock is granted.</param>
    /// <returns>
    /// A scope that holds the lock until it is disposed. When the lock is free the returned task has already
    /// completed and nothing is allocated.
    /// </returns>
    /// <exception cref="OperationCanceledException">
    /// <paramref name="cancellationToken"/> was cancelled before the lock was granted (the lock is then not held by this caller).
    /// A token cancelled before the call cancels it even when the lock is free.
    /// </exception>
    /// <remarks>The lock is not re-entrant: awaiting this while the same flow holds the lock never completes (see <see cref="AsyncLock"/>).</remarks>
    public ValueTask<Scope> LockAsync(CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
            return new ValueTask<Scope>(Task.FromCanceled<Scope>(cancellationToken));

        if (TryAcquireFree(out long version))
            return new ValueTask<Scope>(new Scope(this, version));

        return WaitAsync(Timeout.InfiniteTimeSpan, cancellationToken);
    }

    /// <summary>
    /// Takes the lock, waiting asynchronously behind earlier callers for at most <paramref name="timeout"/>. Use the
    /// result in a <c>using</c> statement.
    /// </summary>
    /// <param name="timeout">
    /// How long to wait: <see cref="TimeSpan.Zero"/> to take the lock only if it is free now,
    /// <see cref="Timeout.InfiniteTimeSpan"/> to wait as long as it takes.
    /// </param>
    /// <param name="cancellationToken">Ends the wait with <see cref="OperationCanceledException"/> if cancelled before the lock is granted.</param>
    /// <returns>A scope that holds the lock until it is disposed.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than -1 ms) or more than <see cref="int.MaxValue"/> milliseconds.</exception>
    /// <exception cref="TimeoutException">The lock was not granted within <paramref name="timeout"/> (the caller has left the queue and does not hold the lock).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before the lock was granted.</exception>
    public ValueTask<Scope> LockAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        timeout = ValidateTimeout(timeout, nameof(timeout));
        if (cancellationToken.IsCancellationRequested)
            return new ValueTask<Scope>(Task.FromCanceled<Scope>(cancellationToken));

        if (TryAcquireFree(out long version))
            return new ValueTask<Scope>(new Scope(this, version));

        if (timeout == TimeSpan.Zero)
            return new ValueTask<Scope>(Task.FromException<Scope>(TimedOut(timeout)));

        return WaitAsync(timeout, cancellationToken);
    }

    /// <summary>
    /// Takes the lock if it is granted within <paramref name="timeout"/>, waiting asynchronously behind earlier callers;
    /// with <see cref="TimeSpan.Zero"/> it takes the lock only if it is free now. Returns <see langword="null"/> when the
    /// time runs out, instead of throwing.
    /// </summary>
    /// <param name="timeout">
    /// How long to wait: <see cref="TimeSpan.Zero"/> to try once, <see cref="Timeout.InfiniteTimeSpan"/> to wait as long
    /// as it takes.
    /// </param>
    /// <param name="cancellationToken">Ends the wait with <see cref="OperationCanceledException"/> if cancelled before the lock is granted.</param>
    /// <returns>
    /// A scope that holds the lock until it is disposed, or <see langword="null"/> if the lock was not granted within
    /// <paramref name="timeout"/> (the caller has then left the queue and holds nothing). When the lock is free, or the
    /// timeout is zero, the returned task has already completed and nothing is allocated.
    /// </returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than -1 ms) or more than <see cref="int.MaxValue"/> milliseconds.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before the lock was granted.</exception>
    /// <remarks>
    /// A <c>using</c> statement disposes a nullable scope only when it has a value, so the result can go straight into one:
    /// <code>
    /// using (AsyncLock.Scope? scope = await _lock.TryLockAsync(TimeSpan.FromSeconds(1), cancellationToken))
    /// {
    ///     if (scope is null)
    ///         return false; // busy for a whole second: give up
    ///     Flush();
    ///     return true;
    /// }
    /// </code>
    /// </remarks>
    public ValueTask<Scope?> TryLockAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        timeout = ValidateTimeout(timeout, nameof(timeout));
        if (cancellationToken.IsCancellationRequested)
            return new ValueTask<Scope?>(Task.FromCanceled<Scope?>(cancellationToken));

        if (TryAcquireFree(out long version))
            return new ValueTask<Scope?>(new Scope(this, version));

        if (timeout == TimeSpan.Zero)
            return new ValueTask<Scope?>((Scope?)null);

        var waiter = new AsyncWaiter(this, timeOutWithoutThrowing: true);
        if (!EnqueueOrAcquire(waiter, out version))
            return new ValueTask<Scope?>(new Scope(this, version));

        waiter.Arm(timeout, cancellationToken);
        return new ValueTask<Scope?>(waiter, 0);
    }

    /// <summary>
    /// Takes the lock, blocking the calling thread behind earlier callers (asynchronous ones included) until it is
    /// free. For synchronous code that shares the lock with asynchronous code; in async code use
    /// <see cref="LockAsync(CancellationToken)"/>, which does not block a thread.
    /// </summary>
    /// <param name="cancellationToken">Ends the wait with <see cref="OperationCanceledException"/> if cancelled before the lock is granted.</param>
    /// <returns>A scope that holds the lock until it is disposed.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before the lock was granted.</exception>
    /// <remarks>The lock is not re-entrant: calling this while the same flow holds the lock blocks forever (see <see cref="AsyncLock"/>).</remarks>
    public Scope Lock(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (TryAcquireFree(out long version))
            return new Scope(this, version);

        var waiter = new SyncWaiter(this);
        if (!EnqueueOrAcquire(waiter, out version))
            return new Scope(this, version);

        waiter.Wait(Timeout.InfiniteTimeSpan, cancellationToken, out Scope scope);
        return scope;
    }

    /// <summary>
    /// Takes the lock if it is granted within <paramref name="timeout"/>, blocking the calling thread while it waits
    /// in the queue; with <see cref="TimeSpan.Zero"/> it takes the lock only if it is free now, without blocking.
    /// </summary>
    /// <param name="timeout">
    /// How long to wait: <see cref="TimeSpan.Zero"/> to try once, <see cref="Timeout.InfiniteTimeSpan"/> to wait as
    /// long as it takes.
    /// </param>
    /// <param name="scope">
    /// When the method returns <see langword="true"/>, a scope that holds the lock until it is disposed; otherwise
    /// a <see langword="default"/> scope, which holds nothing and must not be disposed (disposing it throws).
    /// </param>
    /// <returns><see langword="true"/> if the lock was taken.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (other than -1 ms) or more than <see cref="int.MaxValue"/> milliseconds.</exception>
    /// <example>
    /// <code>
    /// if (_lock.TryLock(TimeSpan.Zero, out var scope))
    /// {
    ///     using (scope)
    ///     {
    ///         Flush();
    ///     }
    /// }
    /// </code>
    /// </example>
    public bool TryLock(TimeSpan timeout, out Scope scope)
    {
        timeout = ValidateTimeout(timeout, nameof(timeout));
        if (TryAcquireFree(out long version))
        {
            scope = new Scope(this, version);
            return true;
        }

        if (timeout == TimeSpan.Zero)
        {
            scope = default;
            return false;
        }

        var waiter = new SyncWaiter(this);
        if (!EnqueueOrAcquire(waiter, out version))
        {
            scope = new Scope(this, version);
            return true;
        }

        return waiter.Wait(timeout, CancellationToken.None, out scope);
    }

    // The fast path: takes the lock if it is free (a free lock has no waiters, so nobody is overtaken).
    private bool TryAcquireFree(out long version)
    {
        long state = Volatile.Read(ref _state);
        while ((state & HeldBit) == 0)
        {
            Debug.Assert((state & WaitersBit) == 0, "A free lock has no waiters.");
            long next = ((state & VersionMask) + VersionUnit) | HeldBit;
            long seen = Interlocked.CompareExchange(ref _state, next, state);
            if (seen == state)
            {
                version = next & VersionMask;
                return true;
            }

            state = seen;
        }

        version = 0;
        return false;
    }

    private ValueTask<Scope> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var waiter = new AsyncWaiter(this, timeOutWithoutThrowing: false);
        if (!EnqueueOrAcquire(waiter, out long version))
            return new ValueTask<Scope>(new Scope(this, version));

        // Armed only now that the waiter is queued: a cancellation or timeout that fires at once finds it there.
        waiter.Arm(timeout, cancellationToken);
        return new ValueTask<Scope>(waiter, 0);
    }

    // Queues the waiter at the tail and returns true; or, if the lock turned free since the fast path failed, takes it
    // for the caller (version) and returns false without queueing.
    private bool EnqueueOrAcquire(Waiter waiter, out long version)
    {
        lock (_queueLock)
        {
            long state = Volatile.Read(ref _state);
            while (true)
            {
                if ((state & HeldBit) == 0)
                {
                    long next = ((state & VersionMask) + VersionUnit) | HeldBit;
                    long seen = Interlocked.CompareExchange(ref _state, next, state);
                    if (seen == state)
                    {
                        version = next & VersionMask;
                        return false;
                    }

                    state = seen;
                    continue;
                }

                if ((state & WaitersBit) != 0)
                    break;

                // Held with no waiters: the holder may release through the fast path at any moment, so flag the
                // queue with a compare-and-swap (once set, the holder's release comes here, to _queueLock).
                long flagged = Interlocked.CompareExchange(ref _state, state | WaitersBit, state);
                if (flagged == state)
                    break;

                state = flagged;
            }

            waiter.Previous = _tail;
            if (_tail is null)
                _head = waiter;
            else
                _tail.Next = waiter;
            _tail = waiter;
            waiter.InQueue = true;
            _waiterCount++;
            version = 0;
            return true;
        }
    }

    // Called by Scope.Dispose.
    private void Release(long version)
    {
        long state = Volatile.Read(ref _state);
        while (true)
        {
            if ((state & HeldBit) == 0 || (state & VersionMask) != version)
                throw AlreadyReleased();

            if ((state & WaitersBit) != 0)
            {
                if (TryReleaseToWaiter(version))
                    return;

                // The last waiter left (cancelled) while this release waited for _queueLock: release as if alone.
                state = Volatile.Read(ref _state);
                continue;
            }

            long seen = Interlocked.CompareExchange(ref _state, state & VersionMask, state);
            if (seen == state)
                return;

            state = seen;
        }
    }

    // Hands the lock to the first waiter that has not been cancelled, or frees it if every waiter has been. Returns
    // false, having changed nothing, if the queue turned out to be empty (the caller then releases through the fast path).
    private bool TryReleaseToWaiter(long version)
    {
        Waiter? granted = null;
        long next;
        lock (_queueLock)
        {
            long state = Volatile.Read(ref _state);
            if ((state & HeldBit) == 0 || (state & VersionMask) != version)
                throw AlreadyReleased();

            if ((state & WaitersBit) == 0)
                return false;

            // With WaitersBit set nobody changes _state without _queueLock, so it can be written back directly.
            while (_head is { } first)
            {
                Unlink(first);
                // A waiter cancelled at this moment is either claimed here (the grant wins; its cancellation does
                // nothing) or already cancelled (it is skipped, and the lock goes to the next one).
                if (first.TryClaim())
                {
                    granted = first;
                    break;
                }
            }

            next = granted is null
                ? state & VersionMask
                : ((state & VersionMask) + VersionUnit) | HeldBit | (_head is null ? 0 : WaitersBit);
            Volatile.Write(ref _state, next);
        }

        // Outside _queueLock: the waiter resumes asynchronously, but a synchronous waiter's wake-up needs its own lock.
        if (granted is not null)
        {
            BeforeGrantForTest?.Invoke();
            granted.Grant(new Scope(this, next & VersionMask));
        }

        return true;
    }

    // Takes a waiter that has not been granted the lock out of the queue for good. Returns false if it was already
    // granted (the grant won: the caller of LockAsync or Lock gets the lock).
    private bool Abandon(Waiter waiter)
    {
        if (!waiter.TryCancel())
        {
            CancelLostForTest?.Invoke();
            return false;
        }

        AfterCancelClaimedForTest?.Invoke();
        lock (_queueLock)
        {
            // A release may have dequeued and skipped it already.
            if (waiter.InQueue)
            {
                Unlink(waiter);
                if (_head is null)
                {
                    // Still held (waiters only exist while held) and WaitersBit set: nobody else writes _state now.
                    long state = Volatile.Read(ref _state);
                    Debug.Assert((state & (HeldBit | WaitersBit)) == (HeldBit | WaitersBit), "Waiters only exist while the lock is held.");
                    Volatile.Write(ref _state, state & ~WaitersBit);
                }
            }
        }

        return true;
    }

    private void Unlink(Waiter waiter)
    {
        Debug.Assert(waiter.InQueue, "Only queued waiters are unlinked.");
        if (waiter.Previous is null)
            _head = waiter.Next;
        else
            waiter.Previous.Next = waiter.Next;

        if (waiter.Next is null)
            _tail = waiter.Previous;
        else
            waiter.Next.Previous = waiter.Previous;

        waiter.Previous = null;
        waiter.Next = null;
        waiter.InQueue = false;
        _waiterCount--;
    }

    // Returns the timeout with anything that rounds to -1 ms made exactly Timeout.InfiniteTimeSpan.
    private static TimeSpan ValidateTimeout(TimeSpan timeout, string parameterName)
    {
        long milliseconds = (long)timeout.TotalMilliseconds;
        if (milliseconds < -1 || milliseconds > int.MaxValue)
            throw new ArgumentOutOfRangeException(parameterName, timeout, "The timeout must be between 0 and Int32.MaxValue milliseconds, or Timeout.InfiniteTimeSpan (-1 ms) to wait without limit.");
        return milliseconds == -1 ? Timeout.InfiniteTimeSpan : timeout;
    }

    private static TimeoutException TimedOut(TimeSpan timeout) => new TimeoutException(
        $"The AsyncLock was not acquired within {timeout}: it was held, and earlier waiters were ahead, for all that time. "
        + "The caller does not hold the lock.");

    private static InvalidOperationException AlreadyReleased() => new InvalidOperationException(
        "This AsyncLock.Scope no longer holds the lock: it, or a copy of it, has already been disposed. "
        + "The lock was not released again, since the hold may now belong to another caller. Dispose each scope exactly once, with a using statement.");

    private static InvalidOperationException DefaultScope() => new InvalidOperationException(
        "This AsyncLock.Scope is default: it was not returned by LockAsync, Lock or a successful TryLock, so it holds nothing to release. "
        + "Check TryLock's result before disposing its scope.");

    /// <summary>
    /// One hold on an <see cref="AsyncLock"/>, from <see cref="LockAsync(CancellationToken)"/>,
    /// <see cref="TryLockAsync"/>, <see cref="Lock"/> or a successful <see cref="TryLock"/> until <see cref="Dispose"/>.
    /// Dispose it exactly once, with a <c>using</c> statement.
    /// </summary>
    /// <remarks>
    /// A scope is a small struct: copies refer to the same hold, and once any copy is disposed, disposing any of
    /// them again throws. Unlike the scopes of <see cref="OrderedLock"/> and <see cref="Guarded{T}"/>, it is not bound
    /// to a thread: it may be held across <c>await</c> and disposed on any thread.
    /// </remarks>
    public readonly struct Scope : IDisposable
    {
        private readonly AsyncLock? _owner;
        private readonly long _version;

        internal Scope(AsyncLock owner, long version)
        {
            _owner = owner;
            _version = version;
        }

        internal bool IsDefault => _owner is null;

        /// <summary>
        /// Releases the lock: the first waiter, if any, is granted it (and resumes asynchronously, not on this thread);
        /// otherwise the lock becomes free.
        /// </summary>
        /// <exception cref="InvalidOperationException">
        /// This scope, or a copy of it, has already been disposed (nothing is released: the lock may be held by
        /// another caller now), or the scope is <see langword="default"/> (a failed <see cref="TryLock"/>).
        /// </exception>
        public void Dispose()
        {
            if (_owner is null)
                throw DefaultScope();

            _owner.Release(_version);
        }
    }
}
