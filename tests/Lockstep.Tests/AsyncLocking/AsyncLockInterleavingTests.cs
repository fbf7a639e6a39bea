using System;
using System.Threading;
using System.Threading.Tasks;
using Xunit.Abstractions;

namespace Lockstep.Tests.AsyncLocking;

/// <summary>
/// The two ways a grant and a cancellation (or timeout) of the same waiter can cross, each forced deterministically
/// by stopping one thread inside the window with the lock's test hooks. The stress tests hit these windows only by
/// chance; here each interleaving happens every run.
/// </summary>
public sealed class AsyncLockInterleavingTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly ITestOutputHelper _output;

    public AsyncLockInterleavingTests(ITestOutputHelper output) => _output = output;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_cancellation_that_claimed_the_waiter_first_wins_even_if_the_release_dequeues_it(bool secondWaiter)
    {
        var asyncLock = new AsyncLock();
        var holder = await asyncLock.LockAsync();
        using var cts = new CancellationTokenSource();
        ValueTask<AsyncLock.Scope> first = asyncLock.LockAsync(cts.Token);
        ValueTask<AsyncLock.Scope> second = secondWaiter ? asyncLock.LockAsync() : default;
        using var pause = new Pause();
        asyncLock.AfterCancelClaimedForTest = pause.Here;

        // The cancellation claims the first waiter, then stops before taking it out of the queue.
        Task cancelling = Task.Run(() => cts.Cancel());
        await pause.Reached.WaitAsync(Patience);

        // The release finds it still queued, already cancelled: it must skip it, not hand it the lock.
        holder.Dispose();
        if (secondWaiter)
        {
            var scope = await second.AsTask().WaitAsync(Patience);
            Assert.True(asyncLock.IsHeld);
            pause.Continue();
            await cancelling.WaitAsync(Patience);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.AsTask().WaitAsync(Patience));
            scope.Dispose();
        }
        else
        {
            Assert.False(asyncLock.IsHeld);
            pause.Continue();
            await cancelling.WaitAsync(Patience);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.AsTask().WaitAsync(Patience));
        }

        Assert.False(asyncLock.IsHeld);
        Assert.Equal(0, asyncLock.WaiterCount);
        Assert.True(asyncLock.IsConsistent);
    }

    [Fact]
    public async Task A_timeout_that_claimed_the_waiter_first_wins_and_the_lock_goes_to_the_next()
    {
        var asyncLock = new AsyncLock();
        var holder = await asyncLock.LockAsync();
        using var pause = new Pause();
        asyncLock.AfterCancelClaimedForTest = pause.Here;
        ValueTask<AsyncLock.Scope> timed = asyncLock.LockAsync(TimeSpan.FromMilliseconds(1));
        ValueTask<AsyncLock.Scope> next = asyncLock.LockAsync();

        await pause.Reached.WaitAsync(Patience); // the timer thread, stopped inside the window
        holder.Dispose();
        var scope = await next.AsTask().WaitAsync(Patience);
        pause.Continue();

        await Assert.ThrowsAsync<TimeoutException>(() => timed.AsTask().WaitAsync(Patience));
        scope.Dispose();
        Assert.False(asyncLock.IsHeld);
        Assert.True(asyncLock.IsConsistent);
    }

    [Fact]
    public async Task A_grant_that_claimed_the_waiter_first_wins_over_its_cancellation()
    {
        var asyncLock = new AsyncLock();
        var holder = await asyncLock.LockAsync();
        using var cts = new CancellationTokenSource();
        ValueTask<AsyncLock.Scope> first = asyncLock.LockAsync(cts.Token);
        using var pause = new Pause();
        asyncLock.BeforeGrantForTest = pause.Here;

        // The release claims the waiter, then stops before telling it.
        Task releasing = Task.Run(() => holder.Dispose());
        await pause.Reached.WaitAsync(Patience);

        cts.Cancel(); // too late: does nothing
        Assert.False(first.IsCompleted);
        Assert.True(asyncLock.IsHeld);
        pause.Continue();
        await releasing.WaitAsync(Patience);

        // The caller holds the lock although its token is cancelled; its using statement releases it.
        var scope = await first.AsTask().WaitAsync(Patience);
        Assert.True(asyncLock.IsHeld);
        scope.Dispose();
        Assert.False(asyncLock.IsHeld);
        Assert.True(asyncLock.IsConsistent);
    }

    [Fact]
    public async Task A_grant_that_claimed_the_waiter_first_wins_over_its_timeout()
    {
        // As for TryLock below: an attempt whose waiter times out before the release reaches it is inconclusive.
        foreach (int milliseconds in new[] { 20, 100, 500, 2_000 })
        {
            var timeout = TimeSpan.FromMilliseconds(milliseconds);
            var asyncLock = new AsyncLock();
            var holder = await asyncLock.LockAsync();
            using var pause = new Pause();
            asyncLock.BeforeGrantForTest = pause.Here;
            var cancelLost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            asyncLock.CancelLostForTest = () => cancelLost.TrySetResult();
            ValueTask<AsyncLock.Scope> timed = asyncLock.LockAsync(timeout);

            Task releasing = Task.Run(() => holder.Dispose());
            bool paused = await Task.WhenAny(releasing, pause.Reached).WaitAsync(Patience) == pause.Reached;
            if (paused)
            {
                // Let the timer fire while the grant is stopped: it finds the waiter claimed and does nothing.
                await cancelLost.Task.WaitAsync(Patience);
                pause.Continue();
            }

            await releasing.WaitAsync(Patience);
            if (paused)
            {
                var scope = await timed.AsTask().WaitAsync(Patience);
                Assert.True(asyncLock.IsHeld);
                scope.Dispose();
            }
            else
            {
                await Assert.ThrowsAsync<TimeoutException>(() => timed.AsTask().WaitAsync(Patience));
            }

            Assert.False(asyncLock.IsHeld);
            Assert.True(asyncLock.IsConsistent);
            if (paused)
            {
                _output.WriteLine($"tested with a {milliseconds} ms timeout");
                return;
            }

            _output.WriteLine($"a {milliseconds} ms timeout passed before the release: inconclusive");
        }

        Assert.Fail("Every waiter timed out before the release reached it; the interleaving was never tested.");
    }

    [Fact]
    public async Task A_blocked_TryLock_whose_time_runs_out_while_its_grant_is_on_the_way_takes_the_lock()
    {
        // The release must claim the waiter before its timeout passes, and the timeout must pass while the grant is
        // stopped. On a loaded machine the waiter may time out before the release gets to it; then that attempt is
        // inconclusive (it must still end cleanly: the lock free, the call false) and the next one tries with a longer
        // timeout.
        foreach (int milliseconds in new[] { 20, 100, 500, 2_000 })
        {
            var timeout = TimeSpan.FromMilliseconds(milliseconds);
            var asyncLock = new AsyncLock();
            var holder = await asyncLock.LockAsync();
            using var pause = new Pause();
            asyncLock.BeforeGrantForTest = pause.Here;
            var cancelLost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            asyncLock.CancelLostForTest = () => cancelLost.TrySetResult();
            bool? taken = null;
            var waiting = new Thread(() =>
            {
                taken = asyncLock.TryLock(timeout, out var scope);
                if (taken == true)
                    scope.Dispose();
            }) { IsBackground = true };
            waiting.Start();
            Assert.True(SpinWait.SpinUntil(() => asyncLock.WaiterCount == 1 || !waiting.IsAlive, Patience));

            Task releasing = Task.Run(() => holder.Dispose());
            bool paused = await Task.WhenAny(releasing, pause.Reached).WaitAsync(Patience) == pause.Reached;
            if (paused)
            {
                // The waiter is claimed; let its time run out while the grant is stopped. It must find itself claimed
                // and wait for the grant instead of giving up.
                await cancelLost.Task.WaitAsync(Patience);
                pause.Continue();
            }

            await releasing.WaitAsync(Patience);
            Assert.True(waiting.Join(Patience));
            Assert.False(asyncLock.IsHeld);
            Assert.True(asyncLock.IsConsistent);
            if (paused)
            {
                Assert.True(taken);
                _output.WriteLine($"tested with a {milliseconds} ms timeout");
                return;
            }

            Assert.False(taken);
            _output.WriteLine($"a {milliseconds} ms timeout passed before the release: inconclusive");
        }

        Assert.Fail("Every waiter timed out before the release reached it; the interleaving was never tested.");
    }

    // Stops the thread that reaches Here() (the first one only) until the test calls Continue().
    private sealed class Pause : IDisposable
    {
        private readonly TaskCompletionSource _reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly ManualResetEventSlim _continue = new ManualResetEventSlim();
        private int _used;

        public Task Reached => _reached.Task;

        public void Here()
        {
            if (Interlocked.Exchange(ref _used, 1) != 0)
                return;
            _reached.SetResult();
            _continue.Wait(Patience);
        }

        public void Continue() => _continue.Set();

        public void Dispose() => _continue.Set();
    }
}
