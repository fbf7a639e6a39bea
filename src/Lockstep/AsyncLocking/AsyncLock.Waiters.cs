using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using System.Threading.Tasks.Sources;

namespace Lockstep;

public sealed partial class AsyncLock
{
    // A caller in the queue. Its outcome is decided once, by a compare-and-swap on _outcome: a release claims it
    // (Granted) or its cancellation or timeout does (Cancelled), whichever comes first; the loser does nothing. The
    // queue links are guarded by the owner's _queueLock.
    private abstract class Waiter
    {
        private const int Pending = 0;
        private const int Granted = 1;
        private const int Cancelled = 2;

        private int _outcome;

        protected Waiter(AsyncLock owner) => Owner = owner;

        public AsyncLock Owner { get; }

        public Waiter? Previous { get; set; }

        public Waiter? Next { get; set; }

        public bool InQueue { get; set; }

        public bool TryClaim() => Interlocked.CompareExchange(ref _outcome, Granted, Pending) == Pending;

        public bool TryCancel() => Interlocked.CompareExchange(ref _outcome, Cancelled, Pending) == Pending;

        // Called once, after TryClaim succeeded, outside _queueLock.
        public abstract void Grant(Scope scope);

        // Called once, after the owner abandoned the waiter (TryCancel succeeded and it left the queue).
        public abstract void Fail(Exception exception);
    }

    // An awaiting caller: the ValueTask returned by LockAsync (or TryLockAsync, through the second interface) is backed
    // by this object (one allocation per wait that finds the lock held; a free lock allocates nothing).
    private sealed class AsyncWaiter : Waiter, IValueTaskSource<Scope>, IValueTaskSource<Scope?>
    {
        private static readonly Action<object?> s_cancel = static state =>
        {
            var waiter = (AsyncWaiter)state!;
            if (waiter.Owner.Abandon(waiter))
                waiter.Fail(new OperationCanceledException(waiter._cancellationToken));
        };

        private static readonly TimerCallback s_timeout = static state =>
        {
            var waiter = (AsyncWaiter)state!;
            if (!waiter.Owner.Abandon(waiter))
                return;

            // TryLockAsync: running out of time is an answer (null, from a default scope), not an error.
            if (waiter._timeOutWithoutThrowing)
                waiter._core.SetResult(default);
            else
                waiter.Fail(TimedOut(waiter._timeout));
        };

        // RunContinuationsAsynchronously: the releasing thread only queues the new holder's continuation.
        private readonly bool _timeOutWithoutThrowing;
        private ManualResetValueTaskSourceCore<Scope> _core = new() { RunContinuationsAsynchronously = true };
        private CancellationToken _cancellationToken;
        private CancellationTokenRegistration _registration;
        private TimeSpan _timeout;
        private Timer? _timer;

        public AsyncWaiter(AsyncLock owner, bool timeOutWithoutThrowing)
            : base(owner)
        {
            _timeOutWithoutThrowing = timeOutWithoutThrowing;
        }

        // Called once, after the waiter is queued and before its ValueTask is handed out, so GetResult (which undoes
        // this) always runs after it. A token already cancelled runs the callback here, on this thread.
        public void Arm(TimeSpan timeout, CancellationToken cancellationToken)
        {
            if (cancellationToken.CanBeCanceled)
            {
                _cancellationToken = cancellationToken;
                _registration = cancellationToken.Register(s_cancel, this);
            }

            if (timeout != Timeout.InfiniteTimeSpan)
            {
                _timeout = timeout;
                _timer = new Timer(s_timeout, this, timeout, Timeout.InfiniteTimeSpan);
            }
        }

        public override void Grant(Scope scope) => _core.SetResult(scope);

        public override void Fail(Exception exception) => _core.SetException(exception);

        public Scope GetResult(short token)
        {
            try
            {
                return _core.GetResult(token);
            }
            finally
            {
                // The outcome is decided; a callback that fires from now on, or is running now on the thread that
                // cancelled, finds nothing pending and does nothing. So there is nothing to wait for: on .NET,
                // Unregister returns at once, where Dispose would block this continuation until such a callback ends
                // (found by the systematic tests as a hang when the cancelling thread is slow).
#if NET
                _registration.Unregister();
#else
                _registration.Dispose();
#endif
                _timer?.Dispose();
            }
        }

        // A granted waiter's scope has an owner; the default scope set when time ran out has none.
        Scope? IValueTaskSource<Scope?>.GetResult(short token)
        {
            Scope scope = GetResult(token);
            return scope.IsDefault ? null : scope;
        }

        public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
            => _core.OnCompleted(continuation, state, token, flags);
    }

    // A blocked synchronous caller (Lock, TryLock with a timeout). It waits on its own monitor, so a grant wakes it
    // without any thread-pool work, and it times out by itself (no timer).
    private sealed class SyncWaiter : Waiter
    {
        private static readonly Action<object?> s_cancel = static state =>
        {
            var waiter = (SyncWaiter)state!;
            if (waiter.Owner.Abandon(waiter))
                waiter.Fail(new OperationCanceledException(waiter._cancellationToken));
        };

        private readonly object _gate = new object();
        private bool _done;
        private Scope _releaser;
        private Exception? _exception;
        private CancellationToken _cancellationToken;

        public SyncWaiter(AsyncLock owner)
            : base(owner)
        {
        }

        public override void Grant(Scope scope)
        {
            lock (_gate)
            {
                _releaser = scope;
                _done = true;
                Monitor.Pulse(_gate);
            }
        }

        public override void Fail(Exception exception)
        {
            lock (_gate)
            {
                _exception = exception;
                _done = true;
                Monitor.Pulse(_gate);
            }
        }

        // Blocks until the waiter is granted the lock (true), its timeout passes (false, having left the queue) or
        // the token is cancelled (throws). Called once, by the thread that queued the waiter.
        public bool Wait(TimeSpan timeout, CancellationToken cancellationToken, out Scope scope)
        {
            CancellationTokenRegistration registration = default;
            if (cancellationToken.CanBeCanceled)
            {
                _cancellationToken = cancellationToken;
                registration = cancellationToken.Register(s_cancel, this);
            }

            try
            {
                Stopwatch? clock = timeout == Timeout.InfiniteTimeSpan ? null : Stopwatch.StartNew();
                lock (_gate)
                {
                    while (!_done)
                    {
                        if (clock is null)
                        {
                            Monitor.Wait(_gate);
                            continue;
                        }

                        TimeSpan left = timeout - clock.Elapsed;
                        if (left > TimeSpan.Zero)
                        {
                            Monitor.Wait(_gate, left);
                            continue;
                        }

                        // Time is up. Leave the queue, unless a release claimed this waiter first: then the grant is
                        // on its way (the scope calls Grant right after leaving _queueLock), so wait for it.
                        if (Owner.Abandon(this))
                        {
                            scope = default;
                            return false;
                        }

                        clock = null;
                    }
                }
            }
            finally
            {
                registration.Dispose();
            }

            if (_exception is not null)
                throw _exception;

            scope = _releaser;
            return true;
        }
    }
}
