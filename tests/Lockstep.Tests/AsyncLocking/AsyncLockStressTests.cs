using System;
using System.Threading;
using System.Threading.Tasks;
using Xunit.Abstractions;

namespace Lockstep.Tests.AsyncLocking;

/// <summary>
/// Many tasks and threads hammer one <see cref="AsyncLock"/>; exact totals prove no update was lost, a count of holders
/// proves mutual exclusion, and the cancellation races end with the lock free and the queue empty every time. The
/// iteration counts are bounded so each test takes well under a few seconds on two busy cores; nothing asserts how long
/// anything took, and every wait is bounded so a bug fails the test instead of hanging it.
/// </summary>
public sealed class AsyncLockStressTests
{
    private const int Tasks = 8;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly ITestOutputHelper _output;

    public AsyncLockStressTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task Eight_tasks_awaiting_inside_the_lock_reach_the_exact_total_one_holder_at_a_time()
    {
        const int Iterations = 1_000;
        var asyncLock = new AsyncLock();
        int counter = 0;   // a plain int: only the lock protects it
        int holders = 0;
        int maxHolders = 0;

        await RunTasks(Tasks, async _ =>
        {
            for (int i = 0; i < Iterations; i++)
            {
                using (await asyncLock.LockAsync().ConfigureAwait(false))
                {
                    int inside = Interlocked.Increment(ref holders);
                    if (inside > Volatile.Read(ref maxHolders))
                        Interlocked.Exchange(ref maxHolders, inside);

                    // Read, let other work run, write back: a lost update without the lock.
                    int seen = counter;
                    await Task.Yield();
                    counter = seen + 1;

                    Interlocked.Decrement(ref holders);
                }
            }
        });

        Assert.Equal(Tasks * Iterations, counter);
        Assert.Equal(1, maxHolders);
        Assert.False(asyncLock.IsHeld);
        Assert.True(asyncLock.IsConsistent);
    }

    [Fact]
    public async Task Tight_loops_without_awaits_inside_reach_the_exact_total()
    {
        const int Iterations = 20_000;
        var asyncLock = new AsyncLock();
        int counter = 0;
        int overlaps = 0;
        int holders = 0;

        await RunTasks(Tasks, async _ =>
        {
            for (int i = 0; i < Iterations; i++)
            {
                using (await asyncLock.LockAsync().ConfigureAwait(false))
                {
                    if (Interlocked.Increment(ref holders) != 1)
                        Interlocked.Increment(ref overlaps);
                    counter++;
                    Interlocked.Decrement(ref holders);
                }
            }
        });

        Assert.Equal(Tasks * Iterations, counter);
        Assert.Equal(0, overlaps);
        Assert.True(asyncLock.IsConsistent);
    }

    [Fact]
    public async Task Synchronous_threads_and_async_tasks_exclude_each_other()
    {
        const int Iterations = 2_000;
        var asyncLock = new AsyncLock();
        long counter = 0;
        int overlaps = 0;
        int holders = 0;

        void Critical()
        {
            if (Interlocked.Increment(ref holders) != 1)
                Interlocked.Increment(ref overlaps);
            long seen = counter;
            Thread.SpinWait(20);
            counter = seen + 1;
            Interlocked.Decrement(ref holders);
        }

        var threads = new Thread[Tasks / 2];
        for (int t = 0; t < threads.Length; t++)
        {
            int id = t;
            threads[t] = new Thread(() =>
            {
                for (int i = 0; i < Iterations; i++)
                {
                    if ((i + id) % 2 == 0)
                    {
                        using (asyncLock.Lock())
                            Critical();
                    }
                    else
                    {
                        if (!asyncLock.TryLock(Patience, out var scope))
                            throw new TimeoutException("TryLock gave up.");
                        using (scope)
                            Critical();
                    }
                }
            }) { IsBackground = true };
            threads[t].Start();
        }

        await RunTasks(Tasks / 2, async _ =>
        {
            for (int i = 0; i < Iterations; i++)
            {
                using (await asyncLock.LockAsync().ConfigureAwait(false))
                {
                    Critical();
                    if (i % 16 == 0)
                        await Task.Yield();
                }
            }
        });
        foreach (var thread in threads)
            Assert.True(thread.Join(Patience));

        Assert.Equal(Tasks * Iterations, counter);
        Assert.Equal(0, overlaps);
        Assert.False(asyncLock.IsHeld);
        Assert.True(asyncLock.IsConsistent);
    }

    [Fact]
    public async Task Waiters_cancelled_and_timed_out_at_random_never_lose_or_duplicate_the_lock()
    {
        const int Iterations = 1_000;
        var asyncLock = new AsyncLock();
        int counter = 0;
        int granted = 0;
        int overlaps = 0;
        int holders = 0;

        await RunTasks(Tasks, async task =>
        {
            var random = new Random(task);
            for (int i = 0; i < Iterations; i++)
            {
                using var cts = new CancellationTokenSource();
                int mode = random.Next(4);
                ValueTask<AsyncLock.Scope> pending = mode switch
                {
                    0 => asyncLock.LockAsync(cts.Token),
                    1 => asyncLock.LockAsync(TimeSpan.FromTicks(random.Next(1, 20_000)), cts.Token),
                    _ => asyncLock.LockAsync(cts.Token),
                };
                if (mode >= 2)
                    cts.CancelAfter(random.Next(0, 2));
                if (mode == 3)
                    cts.Cancel();

                AsyncLock.Scope scope;
                try
                {
                    scope = await pending.ConfigureAwait(false);
                }
                catch (Exception e) when (e is OperationCanceledException or TimeoutException)
                {
                    continue;
                }

                using (scope)
                {
                    if (Interlocked.Increment(ref holders) != 1)
                        Interlocked.Increment(ref overlaps);
                    int seen = counter;
                    if (i % 8 == 0)
                        await Task.Yield();
                    counter = seen + 1;
                    granted++;
                    Interlocked.Decrement(ref holders);
                }
            }
        });

        _output.WriteLine($"granted {granted} of {Tasks * Iterations}");
        Assert.Equal(granted, counter);
        Assert.True(granted > 0);
        Assert.Equal(0, overlaps);
        Assert.False(asyncLock.IsHeld);
        Assert.Equal(0, asyncLock.WaiterCount);
        Assert.True(asyncLock.IsConsistent);
    }

    // The race the design has to get right: the holder releases at the same moment the first waiter's token is
    // cancelled. Either the waiter gets the lock (and releases it) or it is cancelled and the lock goes on to the next
    // waiter; never both, never neither.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Release_racing_the_cancellation_of_the_first_waiter_hands_the_lock_on_exactly_once(bool secondWaiter)
    {
        const int Iterations = 2_000;
        var asyncLock = new AsyncLock();
        int grantWon = 0;
        int cancelWon = 0;
        AsyncLock.Scope holder = default;
        CancellationTokenSource? cts = null;

        using var racers = new Racers(() => holder.Dispose(), () => cts!.Cancel());
        for (int i = 0; i < Iterations; i++)
        {
            holder = asyncLock.Lock();
            cts = new CancellationTokenSource();
            ValueTask<AsyncLock.Scope> first = asyncLock.LockAsync(cts.Token);
            ValueTask<AsyncLock.Scope> second = secondWaiter ? asyncLock.LockAsync() : default;

            racers.Race();

            Task<AsyncLock.Scope> firstTask = first.AsTask();
            await Settle(firstTask, "The first waiter neither got the lock nor was cancelled.");
            if (firstTask.IsCompletedSuccessfully)
            {
                grantWon++;
                Assert.True(asyncLock.IsHeld);
                (await firstTask).Dispose();
            }
            else
            {
                Assert.True(firstTask.IsCanceled);
                cancelWon++;
            }

            if (secondWaiter)
            {
                Task<AsyncLock.Scope> secondTask = second.AsTask();
                await Settle(secondTask, "The lock was not passed on to the second waiter.");
                (await secondTask).Dispose();
            }

            Assert.False(asyncLock.IsHeld);
            Assert.Equal(0, asyncLock.WaiterCount);
            Assert.True(asyncLock.IsConsistent);
            cts.Dispose();
        }

        // Which side won how often depends on the machine; both are correct outcomes.
        _output.WriteLine($"grant won {grantWon}, cancellation won {cancelWon}");
        Assert.Equal(Iterations, grantWon + cancelWon);
    }

    [Fact]
    public async Task Release_racing_the_cancellation_of_a_blocked_synchronous_waiter_hands_the_lock_on_exactly_once()
    {
        const int Iterations = 1_000;
        var asyncLock = new AsyncLock();
        int grantWon = 0;
        int cancelWon = 0;
        AsyncLock.Scope holder = default;
        CancellationTokenSource? cts = null;

        using var racers = new Racers(() => holder.Dispose(), () => cts!.Cancel());
        for (int i = 0; i < Iterations; i++)
        {
            holder = asyncLock.Lock();
            cts = new CancellationTokenSource();
            CancellationToken token = cts.Token;
            Task<bool> syncWaiter = Task.Factory.StartNew(() =>
            {
                try
                {
                    asyncLock.Lock(token).Dispose();
                    return true;
                }
                catch (OperationCanceledException)
                {
                    return false;
                }
            }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            ValueTask<AsyncLock.Scope> next = asyncLock.LockAsync();
            SpinUntil(() => asyncLock.WaiterCount == 2 || syncWaiter.IsCompleted);

            racers.Race();

            await Settle(syncWaiter, "The synchronous waiter neither got the lock nor was cancelled.");
            if (await syncWaiter)
                grantWon++;
            else
                cancelWon++;
            Task<AsyncLock.Scope> nextTask = next.AsTask();
            await Settle(nextTask, "The lock was not passed on after the synchronous waiter.");
            (await nextTask).Dispose();

            Assert.False(asyncLock.IsHeld);
            Assert.Equal(0, asyncLock.WaiterCount);
            Assert.True(asyncLock.IsConsistent);
            cts.Dispose();
        }

        // Which side won how often depends on the machine; both are correct outcomes.
        _output.WriteLine($"grant won {grantWon}, cancellation won {cancelWon}");
        Assert.Equal(Iterations, grantWon + cancelWon);
    }

    [Fact]
    public async Task Release_racing_a_timeout_hands_the_lock_on_exactly_once()
    {
        const int Iterations = 1_000;
        var asyncLock = new AsyncLock();
        var random = new Random(7);
        int granted = 0;
        int timedOut = 0;

        for (int i = 0; i < Iterations; i++)
        {
            var holder = asyncLock.Lock();
            // A timeout of a few hundred microseconds, and a release after a similar spin: sometimes one wins, sometimes the other.
            ValueTask<AsyncLock.Scope> timed = i % 2 == 0
                ? asyncLock.LockAsync(TimeSpan.FromTicks(random.Next(1, 5_000)))
                : default;
            bool syncTaken = false;
            Thread? syncThread = null;
            if (i % 2 == 1)
            {
                TimeSpan syncTimeout = TimeSpan.FromTicks(random.Next(10_000, 20_000));
                syncThread = new Thread(() =>
                {
                    if (asyncLock.TryLock(syncTimeout, out var r))
                    {
                        syncTaken = true;
                        r.Dispose();
                    }
                }) { IsBackground = true };
                syncThread.Start();
                SpinUntil(() => asyncLock.WaiterCount == 1 || !syncThread.IsAlive);
            }

            ValueTask<AsyncLock.Scope> next = asyncLock.LockAsync();
            Thread.SpinWait(random.Next(0, 2_000));
            holder.Dispose();

            if (syncThread is null)
            {
                Task<AsyncLock.Scope> timedTask = timed.AsTask();
                await Settle(timedTask, "The timed waiter neither got the lock nor timed out.");
                if (timedTask.IsCompletedSuccessfully)
                {
                    granted++;
                    (await timedTask).Dispose();
                }
                else
                {
                    Assert.IsType<TimeoutException>(timedTask.Exception!.InnerException);
                    timedOut++;
                }
            }
            else
            {
                Assert.True(syncThread.Join(Patience));
                if (syncTaken)
                    granted++;
                else
                    timedOut++;
            }

            Task<AsyncLock.Scope> nextTask = next.AsTask();
            await Settle(nextTask, "The lock was not passed on after the timed waiter.");
            (await nextTask).Dispose();

            Assert.False(asyncLock.IsHeld);
            Assert.Equal(0, asyncLock.WaiterCount);
            Assert.True(asyncLock.IsConsistent);
        }

        _output.WriteLine($"granted {granted}, timed out {timedOut}");
        Assert.Equal(Iterations, granted + timedOut);
    }

    private static async Task RunTasks(int count, Func<int, Task> body)
    {
        // Task.Run: no test synchronization context, so continuations go to the thread pool and really interleave.
        var tasks = new Task[count];
        for (int t = 0; t < count; t++)
        {
            int id = t;
            tasks[t] = Task.Run(() => body(id));
        }

        await Task.WhenAll(tasks).WaitAsync(Patience);
    }

    // Waits, bounded, for the task to finish in any way (its outcome is the caller's to inspect); fails if it does not.
    private static async Task Settle(Task task, string failure)
    {
        try
        {
            await task.WaitAsync(Patience);
        }
        catch (Exception) when (task.IsCompleted)
        {
        }
        catch (TimeoutException)
        {
            throw new TimeoutException(failure);
        }
    }

    private static void SpinUntil(Func<bool> condition)
    {
        if (!SpinWait.SpinUntil(condition, Patience))
            throw new TimeoutException("The condition did not become true in time.");
    }

    // Two dedicated threads that run their actions at the same moment, once per Race(): a barrier with the test thread
    // releases both together, so the two calls overlap as closely as two threads can make them.
    private sealed class Racers : IDisposable
    {
        private readonly Barrier _barrier = new Barrier(3);
        private readonly Thread[] _threads;
        private volatile bool _stop;
        private Exception? _failure;

        public Racers(Action first, Action second)
        {
            _threads = new[] { Start(first), Start(second) };
        }

        public void Race()
        {
            Meet(); // start
            Meet(); // both done
            if (_failure is { } failure)
                throw new InvalidOperationException("A racer failed.", failure);
        }

        public void Dispose()
        {
            _stop = true;
            Meet();
            foreach (var thread in _threads)
                Assert.True(thread.Join(Patience));
            _barrier.Dispose();
        }

        private void Meet()
        {
            if (!_barrier.SignalAndWait(Patience))
                throw new TimeoutException("The racers did not meet in time.");
        }

        private Thread Start(Action action)
        {
            var thread = new Thread(() =>
            {
                while (true)
                {
                    Meet();
                    if (_stop)
                        return;

                    try
                    {
                        action();
                    }
                    catch (Exception e)
                    {
                        _failure = e;
                    }

                    Meet();
                }
            }) { IsBackground = true };
            thread.Start();
            return thread;
        }
    }
}
