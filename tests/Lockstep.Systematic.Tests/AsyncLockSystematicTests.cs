using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Coyote.Specifications;
using Xunit.Abstractions;

namespace Lockstep.Systematic.Tests;

/// <summary>
/// <see cref="AsyncLock"/> under every interleaving Coyote explores: one holder at a time, FIFO hand-off that a
/// latecomer cannot overtake, no lost wake-up, and a cancellation that races a release never leaks or doubles the lock.
/// The tests await without <c>ConfigureAwait(false)</c> on purpose: a waiter then resumes through the scheduler's own
/// synchronization context, so its continuation is a task Coyote controls.
/// </summary>
public sealed class AsyncLockSystematicTests
{
    private readonly ITestOutputHelper _output;

    public AsyncLockSystematicTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Tasks_awaiting_inside_the_lock_hold_it_one_at_a_time_and_lose_no_update() => Systematic.Run(_output, async () =>
    {
        var asyncLock = new AsyncLock();
        int holders = 0;
        int counter = 0;

        async Task Worker()
        {
            for (int i = 0; i < 2; i++)
            {
                using (await asyncLock.LockAsync())
                {
                    holders++;
                    Specification.Assert(holders == 1, $"{holders} holders of the lock at once");
                    int seen = counter;
                    await Task.Yield(); // another task may run here; only the lock keeps it out
                    counter = seen + 1;
                    holders--;
                }
            }
        }

        await Systematic.All(Task.Run(Worker), Task.Run(Worker), Task.Run(Worker));
        Specification.Assert(counter == 6, $"counter is {counter}, expected 6: an update was lost");
        Specification.Assert(!asyncLock.IsHeld && asyncLock.IsConsistent, "the lock is not free and consistent at the end");
    });

    [Fact]
    public void Waiters_are_granted_in_arrival_order_and_a_latecomer_cannot_overtake_them() => Systematic.Run(_output, async () =>
    {
        var asyncLock = new AsyncLock();
        var order = new List<int>();
        var holder = await asyncLock.LockAsync();

        // Three waiters queue in a known order (each call queues before it returns).
        var waiters = new Task[3];
        for (int i = 0; i < waiters.Length; i++)
            waiters[i] = Record(asyncLock, order, i);

        // The release and a latecomer race: whenever the latecomer arrives, the queue is ahead of it.
        Task release = Task.Run(() => holder.Dispose());
        Task late = Task.Run(() => Record(asyncLock, order, 3));
        await Systematic.All(release, late, waiters[0], waiters[1], waiters[2]);

        Specification.Assert(string.Join(",", order) == "0,1,2,3", $"granted in the order {string.Join(",", order)}");
        Specification.Assert(!asyncLock.IsHeld && asyncLock.IsConsistent, "the lock is not free and consistent at the end");
    });

    [Fact]
    public void A_cancellation_racing_the_release_either_wins_or_loses_but_never_leaks_or_doubles_the_lock() => Systematic.Run(_output, async () =>
    {
        var asyncLock = new AsyncLock();
        var holder = await asyncLock.LockAsync();
        using var cts = new CancellationTokenSource();
        int holders = 0;
        int grants = 0;

        async Task<bool> Wait(CancellationToken token)
        {
            try
            {
                using (await asyncLock.LockAsync(token))
                {
                    grants++;
                    holders++;
                    Specification.Assert(holders == 1, $"{holders} holders of the lock at once");
                    await Task.Yield();
                    holders--;
                    return true;
                }
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        Task<bool> cancellable = Wait(cts.Token);
        Task<bool> next = Wait(CancellationToken.None);
        await Systematic.All(Task.Run(() => cts.Cancel()), Task.Run(() => holder.Dispose()));
        bool cancellableGotIt = await cancellable;

        Specification.Assert(await next, "the waiter behind the cancelled one never got the lock (a lost wake-up)");
        Specification.Assert(grants == (cancellableGotIt ? 2 : 1), $"{grants} grants for {(cancellableGotIt ? 2 : 1)} holders");
        Specification.Assert(!asyncLock.IsHeld && asyncLock.WaiterCount == 0 && asyncLock.IsConsistent, "a permit leaked: the lock is not free and empty at the end");
        Specification.Assert(asyncLock.LockAsync().IsCompletedSuccessfully, "a free lock was not granted at once");
    });

    [Fact]
    public void Blocking_and_awaiting_callers_share_the_lock_one_at_a_time() => Systematic.Run(_output, async () =>
    {
        var asyncLock = new AsyncLock();
        int holders = 0;
        int counter = 0;

        void Blocking()
        {
            using (asyncLock.Lock())
            {
                holders++;
                Specification.Assert(holders == 1, $"{holders} holders of the lock at once");
                counter++;
                holders--;
            }
        }

        async Task Awaiting()
        {
            using (await asyncLock.LockAsync())
            {
                holders++;
                Specification.Assert(holders == 1, $"{holders} holders of the lock at once");
                int seen = counter;
                await Task.Yield();
                counter = seen + 1;
                holders--;
            }
        }

        await Systematic.All(Task.Run(Blocking), Task.Run(Awaiting), Task.Run(Blocking), Task.Run(Awaiting));
        Specification.Assert(counter == 4, $"counter is {counter}, expected 4");
        Specification.Assert(!asyncLock.IsHeld && asyncLock.IsConsistent, "the lock is not free and consistent at the end");
    });

    [Fact]
    public void TryLockAsync_and_TryLock_never_grant_a_held_lock() => Systematic.Run(_output, async () =>
    {
        var asyncLock = new AsyncLock();
        int holders = 0;
        int taken = 0;

        async Task TryAsync()
        {
            using (AsyncLock.Scope? scope = await asyncLock.TryLockAsync(TimeSpan.Zero))
            {
                if (scope is null)
                    return;
                taken++;
                holders++;
                Specification.Assert(holders == 1, $"{holders} holders of the lock at once");
                await Task.Yield();
                holders--;
            }
        }

        void Try()
        {
            if (!asyncLock.TryLock(TimeSpan.Zero, out var scope))
                return;
            using (scope)
            {
                taken++;
                holders++;
                Specification.Assert(holders == 1, $"{holders} holders of the lock at once");
                holders--;
            }
        }

        await Systematic.All(Task.Run(TryAsync), Task.Run(Try), Task.Run(TryAsync));
        Specification.Assert(taken >= 1, "nobody took a lock that was free at the start");
        Specification.Assert(!asyncLock.IsHeld && asyncLock.IsConsistent, "the lock is not free and consistent at the end");
    });

    [Fact]
    public void The_exploration_finds_a_lost_update_when_the_lock_is_left_out()
    {
        // A check of the harness itself: the same read-await-write as above without the lock must be caught, or a
        // passing test above would mean nothing.
        var report = Systematic.Explore(_output, async () =>
        {
            int counter = 0;
            async Task Worker()
            {
                int seen = counter;
                await Task.Yield();
                counter = seen + 1;
            }

            await Systematic.All(Task.Run(Worker), Task.Run(Worker));
            Specification.Assert(counter == 2, $"counter is {counter}: an update was lost");
        }, iterations: 200);

        Assert.True(report.NumOfFoundBugs > 0, "Coyote did not find the lost update; the systematic tests would not find one either.");
    }

    // Calls LockAsync before its first await, so callers queue in call order; records its index while holding the lock.
    private static async Task Record(AsyncLock asyncLock, List<int> order, int index)
    {
        using (await asyncLock.LockAsync())
        {
            order.Add(index);
            await Task.Yield();
        }
    }
}
