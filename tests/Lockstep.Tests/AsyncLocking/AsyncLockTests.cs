using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Lockstep.Tests.AsyncLocking;

public sealed class AsyncLockTests
{
    // A bound on every wait, so a bug shows up as a failure instead of a hung test run. It is generous on purpose:
    // nothing here asserts how fast anything is.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [ThreadStatic]
    private static bool t_releasing;

    [Fact]
    public async Task LockAsync_on_a_free_lock_completes_at_once_and_holds_it_until_disposed()
    {
        var asyncLock = new AsyncLock();
        Assert.False(asyncLock.IsHeld);

        ValueTask<AsyncLock.Scope> pending = asyncLock.LockAsync();
        Assert.True(pending.IsCompletedSuccessfully);
        Assert.True(asyncLock.IsHeld);

        (await pending).Dispose();
        Assert.False(asyncLock.IsHeld);
        Assert.True(asyncLock.IsConsistent);
    }

    [Fact]
    public async Task A_second_caller_waits_until_the_first_releases()
    {
        var asyncLock = new AsyncLock();
        var first = await asyncLock.LockAsync();

        ValueTask<AsyncLock.Scope> second = asyncLock.LockAsync();
        Assert.False(second.IsCompleted);
        Assert.Equal(1, asyncLock.WaiterCount);
        Assert.True(asyncLock.IsConsistent);

        first.Dispose();
        var held = await second.AsTask().WaitAsync(Patience);
        // Handed over, never free in between.
        Assert.True(asyncLock.IsHeld);
        Assert.Equal(0, asyncLock.WaiterCount);

        held.Dispose();
        Assert.False(asyncLock.IsHeld);
        Assert.True(asyncLock.IsConsistent);
    }

    [Fact]
    public async Task Waiters_are_granted_the_lock_in_the_order_they_asked()
    {
        const int Waiters = 20;
        var asyncLock = new AsyncLock();
        var order = new List<int>();
        var first = await asyncLock.LockAsync();

        // Each helper calls LockAsync before its first await, so the queue order is the loop order.
        var tasks = new Task[Waiters];
        for (int i = 0; i < Waiters; i++)
            tasks[i] = TakeAndRecord(asyncLock, order, i);

        Assert.Equal(Waiters, asyncLock.WaiterCount);
        first.Dispose();
        await Task.WhenAll(tasks).WaitAsync(Patience);

        Assert.Equal(Range(Waiters), order);
        Assert.False(asyncLock.IsHeld);
        Assert.True(asyncLock.IsConsistent);
    }

    [Fact]
    public async Task A_caller_arriving_while_waiters_queue_cannot_overtake_them()
    {
        var asyncLock = new AsyncLock();
        var order = new List<int>();
        var first = await asyncLock.LockAsync();
        // The waiter keeps the lock until the test opens this gate. Without it the waiter could take the lock, record,
        // and release it before the test asks again, and the late caller would then find a free lock (a race in the
        // test, not in the lock).
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task queued = TakeAndRecord(asyncLock, order, 1, gate.Task);

        // Release and ask again at once: the lock was handed to the waiter, so this caller queues behind it.
        first.Dispose();
        Assert.True(asyncLock.IsHeld);
        Assert.False(asyncLock.TryLock(TimeSpan.Zero, out _));
        Task late = TakeAndRecord(asyncLock, order, 2);
        Assert.Equal(1, asyncLock.WaiterCount);

        gate.SetResult();
        await Task.WhenAll(queued, late).WaitAsync(Patience);
        Assert.Equal(new[] { 1, 2 }, order);
        Assert.False(asyncLock.IsHeld);
    }

    [Fact]
    public async Task Synchronous_and_asynchronous_waiters_share_one_FIFO_queue()
    {
        var asyncLock = new AsyncLock();
        var order = new List<int>();
        var first = asyncLock.Lock();

        Task a0 = TakeAndRecord(asyncLock, order, 0);
        Thread s1 = StartThread(() =>
        {
            using (asyncLock.Lock())
                order.Add(1);
        });
        await WaitUntil(() => asyncLock.WaiterCount == 2);
        Task a2 = TakeAndRecord(asyncLock, order, 2);
        Thread s3 = StartThread(() =>
        {
            Assert.True(asyncLock.TryLock(Timeout.InfiniteTimeSpan, out var scope));
            using (scope)
                order.Add(3);
        });
        await WaitUntil(() => asyncLock.WaiterCount == 4);
        Task a4 = TakeAndRecord(asyncLock, order, 4);

        first.Dispose();
        await Task.WhenAll(a0, a2, a4).WaitAsync(Patience);
        Assert.True(s1.Join(Patience));
        Assert.True(s3.Join(Patience));

        Assert.Equal(Range(5), order);
        Assert.False(asyncLock.IsHeld);
        Assert.True(asyncLock.IsConsistent);
    }

    [Fact]
    public async Task Sync_Lock_waits_for_an_async_holder_and_an_async_waiter_for_a_sync_holder()
    {
        var asyncLock = new AsyncLock();
        var asyncHolder = await asyncLock.LockAsync();
        int value = 0;

        Thread syncCaller = StartThread(() =>
        {
            using (asyncLock.Lock())
                value++;
        });
        await WaitUntil(() => asyncLock.WaiterCount == 1);
        Assert.Equal(0, value);
        asyncHolder.Dispose();
        Assert.True(syncCaller.Join(Patience));
        Assert.Equal(1, value);

        // Now the other way round: a thread holds it through Lock(), an awaiting caller waits.
        using var taken = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        Thread syncHolder = StartThread(() =>
        {
            using (asyncLock.Lock())
            {
                taken.Set();
                release.Wait(Patience);
                value++;
            }
        });
        Assert.True(taken.Wait(Patience));
        ValueTask<AsyncLock.Scope> waiting = asyncLock.LockAsync();
        Assert.False(waiting.IsCompleted);
        release.Set();
        using (await waiting.AsTask().WaitAsync(Patience))
            Assert.Equal(2, value);

        Assert.True(syncHolder.Join(Patience));
        Assert.False(asyncLock.IsHeld);
    }

    [Fact]
    public async Task Cancelling_a_waiter_removes_it_and_leaves_the_lock_and_the_queue_usable()
    {
        var asyncLock = new AsyncLock();
        var holder = await asyncLock.LockAsync();
        var order = new List<int>();
        using var cts = new CancellationTokenSource();

        Task before = TakeAndRecord(asyncLock, order, 0);
        ValueTask<AsyncLock.Scope> cancelled = asyncLock.LockAsync(cts.Token);
        Task after = TakeAndRecord(asyncLock, order, 2);
        Assert.Equal(3, asyncLock.WaiterCount);

        cts.Cancel();
        var exception = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.AsTask().WaitAsync(Patience));
        Assert.Equal(cts.Token, exception.CancellationToken);
        Assert.Equal(2, asyncLock.WaiterCount);
        Assert.True(asyncLock.IsConsistent);
        Assert.True(asyncLock.IsHeld);

        holder.Dispose();
        await Task.WhenAll(before, after).WaitAsync(Patience);
        Assert.Equal(new[] { 0, 2 }, order);
        Assert.False(asyncLock.IsHeld);
        Assert.True(asyncLock.IsConsistent);
        Assert.True(asyncLock.TryLock(TimeSpan.Zero, out var again));
        again.Dispose();
    }

    [Fact]
    public async Task Cancelling_the_only_waiter_lets_the_holder_release_to_a_free_lock()
    {
        var asyncLock = new AsyncLock();
        var holder = await asyncLock.LockAsync();
        using var cts = new CancellationTokenSource();

        ValueTask<AsyncLock.Scope> cancelled = asyncLock.LockAsync(cts.Token);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.AsTask().WaitAsync(Patience));
        Assert.Equal(0, asyncLock.WaiterCount);
        Assert.True(asyncLock.IsConsistent);

        holder.Dispose();
        Assert.False(asyncLock.IsHeld);
        Assert.True(asyncLock.IsConsistent);
        using (await asyncLock.LockAsync())
            Assert.True(asyncLock.IsHeld);
    }

    [Fact]
    public async Task A_token_cancelled_before_the_call_cancels_even_when_the_lock_is_free()
    {
        var asyncLock = new AsyncLock();
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        ValueTask<AsyncLock.Scope> pending = asyncLock.LockAsync(cts.Token);
        Assert.True(pending.IsCanceled);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending.AsTask());
        Assert.True(asyncLock.LockAsync(TimeSpan.FromSeconds(1), cts.Token).IsCanceled);
        Assert.Throws<OperationCanceledException>(() => asyncLock.Lock(cts.Token));
        Assert.False(asyncLock.IsHeld);
    }

    [Fact]
    public async Task Cancelling_a_blocked_synchronous_Lock_throws_on_its_thread_and_leaves_the_queue()
    {
        var asyncLock = new AsyncLock();
        var holder = await asyncLock.LockAsync();
        using var cts = new CancellationTokenSource();
        Exception? thrown = null;

        Thread blocked = StartThread(() =>
        {
            try
            {
                asyncLock.Lock(cts.Token).Dispose();
            }
            catch (Exception e)
            {
                thrown = e;
            }
        });
        await WaitUntil(() => asyncLock.WaiterCount == 1);
        cts.Cancel();
        Assert.True(blocked.Join(Patience));

        Assert.IsType<OperationCanceledException>(thrown);
        Assert.Equal(0, asyncLock.WaiterCount);
        Assert.True(asyncLock.IsConsistent);
        Assert.True(asyncLock.IsHeld);
        holder.Dispose();
        Assert.False(asyncLock.IsHeld);
    }

    [Fact]
    public async Task LockAsync_with_a_timeout_throws_TimeoutException_and_leaves_the_queue()
    {
        var asyncLock = new AsyncLock();
        var holder = await asyncLock.LockAsync();

        Assert.True(asyncLock.LockAsync(TimeSpan.Zero).IsFaulted);
        await Assert.ThrowsAsync<TimeoutException>(() => asyncLock.LockAsync(TimeSpan.Zero).AsTask());

        ValueTask<AsyncLock.Scope> timed = asyncLock.LockAsync(TimeSpan.FromMilliseconds(20));
        var exception = await Assert.ThrowsAsync<TimeoutException>(() => timed.AsTask().WaitAsync(Patience));
        Assert.Contains("does not hold the lock", exception.Message);
        Assert.Equal(0, asyncLock.WaiterCount);
        Assert.True(asyncLock.IsConsistent);
        Assert.True(asyncLock.IsHeld);

        // A timeout long enough is not an error.
        ValueTask<AsyncLock.Scope> patient = asyncLock.LockAsync(Patience);
        holder.Dispose();
        (await patient.AsTask().WaitAsync(Patience)).Dispose();
        Assert.False(asyncLock.IsHeld);

        using (await asyncLock.LockAsync(TimeSpan.Zero))
            Assert.True(asyncLock.IsHeld);
    }

    [Fact]
    public async Task TryLockAsync_takes_a_free_lock_at_once_and_answers_null_for_a_held_one_with_zero_timeout()
    {
        var asyncLock = new AsyncLock();
        ValueTask<AsyncLock.Scope?> free = asyncLock.TryLockAsync(TimeSpan.Zero);
        Assert.True(free.IsCompletedSuccessfully);
        AsyncLock.Scope? scope = await free;
        Assert.NotNull(scope);
        Assert.True(asyncLock.IsHeld);

        ValueTask<AsyncLock.Scope?> busy = asyncLock.TryLockAsync(TimeSpan.Zero);
        Assert.True(busy.IsCompletedSuccessfully);
        Assert.Null(await busy);
        Assert.Equal(0, asyncLock.WaiterCount);

        scope!.Value.Dispose();
        Assert.False(asyncLock.IsHeld);
    }

    [Fact]
    public async Task TryLockAsync_whose_time_runs_out_answers_null_and_leaves_the_queue()
    {
        var asyncLock = new AsyncLock();
        var holder = await asyncLock.LockAsync();

        // Waits behind the holder; the holder keeps the lock for longer than the timeout.
        using (AsyncLock.Scope? timedOut = await asyncLock.TryLockAsync(TimeSpan.FromMilliseconds(20)).AsTask().WaitAsync(Patience))
            Assert.Null(timedOut);

        Assert.Equal(0, asyncLock.WaiterCount);
        Assert.True(asyncLock.IsConsistent);
        Assert.True(asyncLock.IsHeld);
        holder.Dispose();
        Assert.False(asyncLock.IsHeld);
    }

    [Fact]
    public async Task TryLockAsync_granted_before_its_timeout_holds_the_lock()
    {
        var asyncLock = new AsyncLock();
        var holder = await asyncLock.LockAsync();

        ValueTask<AsyncLock.Scope?> waiting = asyncLock.TryLockAsync(Patience);
        Assert.False(waiting.IsCompleted);
        Assert.Equal(1, asyncLock.WaiterCount);
        holder.Dispose();

        using (AsyncLock.Scope? scope = await waiting.AsTask().WaitAsync(Patience))
        {
            Assert.NotNull(scope);
            Assert.True(asyncLock.IsHeld);
        }

        Assert.False(asyncLock.IsHeld);
        Assert.True(asyncLock.IsConsistent);
    }

    [Fact]
    public async Task TryLockAsync_cancelled_while_waiting_throws_and_leaves_the_queue()
    {
        var asyncLock = new AsyncLock();
        var holder = await asyncLock.LockAsync();
        using var cts = new CancellationTokenSource();

        ValueTask<AsyncLock.Scope?> waiting = asyncLock.TryLockAsync(Timeout.InfiniteTimeSpan, cts.Token);
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.AsTask().WaitAsync(Patience));
        Assert.Equal(0, asyncLock.WaiterCount);
        Assert.True(asyncLock.TryLockAsync(TimeSpan.Zero, cts.Token).IsCanceled);
        Assert.Throws<ArgumentOutOfRangeException>("timeout", () => asyncLock.TryLockAsync(TimeSpan.FromMilliseconds(-2)));
        holder.Dispose();
        Assert.False(asyncLock.IsHeld);
        Assert.True(asyncLock.IsConsistent);
    }

    [Fact]
    public async Task TryLock_takes_a_free_lock_and_gives_up_on_a_held_one()
    {
        var asyncLock = new AsyncLock();
        Assert.True(asyncLock.TryLock(TimeSpan.Zero, out var first));
        Assert.True(asyncLock.IsHeld);

        Assert.False(asyncLock.TryLock(TimeSpan.Zero, out var none));
        Assert.Equal(default, none);
        Assert.False(asyncLock.TryLock(TimeSpan.FromMilliseconds(20), out none));
        Assert.Equal(default, none);
        Assert.Equal(0, asyncLock.WaiterCount);
        Assert.True(asyncLock.IsConsistent);

        bool taken = false;
        Thread waiting = StartThread(() =>
        {
            taken = asyncLock.TryLock(Patience, out var scope);
            if (taken)
                scope.Dispose();
        });
        await WaitUntil(() => asyncLock.WaiterCount == 1);
        first.Dispose();
        Assert.True(waiting.Join(Patience));
        Assert.True(taken);
        Assert.False(asyncLock.IsHeld);
    }

    [Theory]
    [InlineData(-2)]
    [InlineData(-100)]
    [InlineData((double)int.MaxValue + 1)]
    public void Timeouts_out_of_range_are_refused(double milliseconds)
    {
        var asyncLock = new AsyncLock();
        var timeout = TimeSpan.FromMilliseconds(milliseconds);

        Assert.Throws<ArgumentOutOfRangeException>("timeout", () => asyncLock.TryLock(timeout, out _));
        Assert.Throws<ArgumentOutOfRangeException>("timeout", () => asyncLock.LockAsync(timeout));
        Assert.False(asyncLock.IsHeld);
    }

    [Fact]
    public async Task Infinite_timeout_is_accepted()
    {
        var asyncLock = new AsyncLock();
        Assert.True(asyncLock.TryLock(Timeout.InfiniteTimeSpan, out var scope));
        scope.Dispose();
        ValueTask<AsyncLock.Scope> pending = asyncLock.LockAsync(Timeout.InfiniteTimeSpan);
        Assert.True(pending.IsCompletedSuccessfully);
        (await pending).Dispose();
    }

    [Fact]
    public void Disposing_a_releaser_twice_throws_and_releases_nothing()
    {
        var asyncLock = new AsyncLock();
        var scope = asyncLock.Lock();
        scope.Dispose();

        var exception = Assert.Throws<InvalidOperationException>(() => scope.Dispose());
        Assert.Contains("already been disposed", exception.Message);
        Assert.False(asyncLock.IsHeld);
    }

    [Fact]
    public void A_stale_releaser_cannot_release_the_next_holders_lock()
    {
        var asyncLock = new AsyncLock();
        var stale = asyncLock.Lock();
        var copy = stale;
        stale.Dispose();

        var current = asyncLock.Lock();
        Assert.Throws<InvalidOperationException>(() => stale.Dispose());
        Assert.Throws<InvalidOperationException>(() => copy.Dispose());
        Assert.True(asyncLock.IsHeld);

        current.Dispose();
        Assert.False(asyncLock.IsHeld);
    }

    [Fact]
    public async Task A_stale_releaser_cannot_release_a_lock_handed_to_a_waiter()
    {
        var asyncLock = new AsyncLock();
        var first = await asyncLock.LockAsync();
        ValueTask<AsyncLock.Scope> second = asyncLock.LockAsync();
        ValueTask<AsyncLock.Scope> third = asyncLock.LockAsync();

        first.Dispose();
        var secondScope = await second.AsTask().WaitAsync(Patience);
        // Disposing first again, with waiters queued (the slow path), must neither throw them off nor hand on the lock.
        Assert.Throws<InvalidOperationException>(() => first.Dispose());
        Assert.False(third.IsCompleted);
        Assert.Equal(1, asyncLock.WaiterCount);

        secondScope.Dispose();
        (await third.AsTask().WaitAsync(Patience)).Dispose();
        Assert.False(asyncLock.IsHeld);
        Assert.True(asyncLock.IsConsistent);
    }

    [Fact]
    public void Disposing_a_default_releaser_throws()
    {
        var asyncLock = new AsyncLock();
        var holder = asyncLock.Lock();
        Assert.False(asyncLock.TryLock(TimeSpan.Zero, out var failed));

        var exception = Assert.Throws<InvalidOperationException>(() => failed.Dispose());
        Assert.Contains("default", exception.Message);
        Assert.Throws<InvalidOperationException>(() => default(AsyncLock.Scope).Dispose());
        Assert.True(asyncLock.IsHeld);
        holder.Dispose();
    }

    [Fact]
    public async Task A_releaser_may_be_disposed_on_another_thread()
    {
        var asyncLock = new AsyncLock();
        var scope = await asyncLock.LockAsync();

        await Task.Run(() => scope.Dispose()).WaitAsync(Patience);

        Assert.False(asyncLock.IsHeld);
    }

    [Fact]
    public async Task The_next_holder_never_runs_inline_on_the_releasing_thread()
    {
        var asyncLock = new AsyncLock();
        for (int i = 0; i < 20; i++)
        {
            var holder = await asyncLock.LockAsync();
            bool? ranInsideRelease = null;
            Task waiter = Task.Run(async () =>
            {
                using (await asyncLock.LockAsync().ConfigureAwait(false))
                    ranInsideRelease = t_releasing;
            });
            await WaitUntil(() => asyncLock.WaiterCount == 1);

            t_releasing = true;
            try
            {
                holder.Dispose();
            }
            finally
            {
                t_releasing = false;
            }

            await waiter.WaitAsync(Patience);
            Assert.False(ranInsideRelease);
        }
    }

    [Fact]
    public void The_uncontended_paths_allocate_nothing()
    {
        var asyncLock = new AsyncLock();
        using var cts = new CancellationTokenSource();

        // Warm up: JIT, tiering, statics.
        UncontendedRound(asyncLock, CancellationToken.None, 200);
        UncontendedRound(asyncLock, cts.Token, 200);

        long before = GC.GetAllocatedBytesForCurrentThread();
        UncontendedRound(asyncLock, CancellationToken.None, 1_000);
        UncontendedRound(asyncLock, cts.Token, 1_000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.False(asyncLock.IsHeld);
    }

    private static void UncontendedRound(AsyncLock asyncLock, CancellationToken cancellationToken, int rounds)
    {
        for (int i = 0; i < rounds; i++)
        {
            ValueTask<AsyncLock.Scope> pending = asyncLock.LockAsync(cancellationToken);
            if (!pending.IsCompletedSuccessfully)
                throw new InvalidOperationException("A free lock was not granted at once.");
            pending.Result.Dispose();

            // The way users write it, awaiting and disposing, minus the async method's own state machine (a class,
            // allocated per call, when the test project is built in Debug).
            var awaiter = asyncLock.LockAsync(cancellationToken).GetAwaiter();
            if (!awaiter.IsCompleted)
                throw new InvalidOperationException("A free lock was not granted at once.");
            using (awaiter.GetResult())
            {
            }

            pending = asyncLock.LockAsync(TimeSpan.FromSeconds(1), cancellationToken);
            pending.GetAwaiter().GetResult().Dispose();

            using (asyncLock.Lock(cancellationToken))
            {
            }

            if (!asyncLock.TryLock(TimeSpan.Zero, out var scope))
                throw new InvalidOperationException("A free lock was not taken.");
            scope.Dispose();

            using (asyncLock.TryLockAsync(TimeSpan.FromSeconds(1), cancellationToken).GetAwaiter().GetResult())
            {
            }
        }
    }

    // Calls LockAsync synchronously (so callers queue in call order), records its index under the lock, releases.
    private static async Task TakeAndRecord(AsyncLock asyncLock, List<int> order, int index, Task? holdUntil = null)
    {
        using (await asyncLock.LockAsync().ConfigureAwait(false))
        {
            order.Add(index);
            await (holdUntil ?? Task.CompletedTask).ConfigureAwait(false);
            await Task.Yield();
        }
    }

    private static List<int> Range(int count)
    {
        var list = new List<int>();
        for (int i = 0; i < count; i++)
            list.Add(i);
        return list;
    }

    private static Thread StartThread(ThreadStart body)
    {
        var thread = new Thread(body) { IsBackground = true };
        thread.Start();
        return thread;
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("The condition did not become true in time.");
            await Task.Delay(1);
        }
    }
}
