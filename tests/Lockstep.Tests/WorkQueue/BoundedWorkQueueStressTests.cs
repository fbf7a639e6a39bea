using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using static Lockstep.Tests.WorkQueue.WorkQueueTesting;

namespace Lockstep.Tests.WorkQueue;

/// <summary>
/// Eight producer threads against one small queue. Exact counts prove that no accepted item is lost or run twice, and an
/// Interlocked high-water mark proves the concurrency bound. The sizes keep a run short on two shared cores; nothing
/// asserts how long it took.
/// </summary>
public sealed class BoundedWorkQueueStressTests
{
    private const int Producers = 8;
    private const int ItemsPerProducer = 2_000;
    private const int MaxConcurrency = 3;
    private const int Capacity = 8;

    [Fact]
    public async Task Eight_producers_every_item_runs_exactly_once_and_never_more_than_N_at_once()
    {
        var queue = new BoundedWorkQueue(MaxConcurrency, Capacity);
        var perProducer = new int[Producers];
        int executed = 0, running = 0, maxRunning = 0, maxQueued = 0, refusals = 0;

        // Counted from the moment the item starts until just before it ends, so an async item counts across its await.
        void Enter() => RaiseTo(ref maxRunning, Interlocked.Increment(ref running));
        void Exit(int producer)
        {
            Interlocked.Decrement(ref running);
            Interlocked.Increment(ref perProducer[producer]);
            Interlocked.Increment(ref executed);
        }

        RunOnThreads(Producers, producer =>
        {
            for (int i = 0; i < ItemsPerProducer; i++)
            {
                // Two producers of each kind: sync items, async items, cancellable async items (all through
                // EnqueueAsync, blocking this thread while the queue is full), and sync items through TryEnqueue.
                switch (producer % 4)
                {
                    case 0:
                        Accept(queue.EnqueueAsync(() => { Enter(); Spin(20); Exit(producer); }));
                        break;
                    case 1:
                        Accept(queue.EnqueueAsync(async () => { Enter(); await Task.Yield(); Spin(20); Exit(producer); }));
                        break;
                    case 2:
                        Accept(queue.EnqueueAsync(async ct => { Enter(); await Task.Yield(); ct.ThrowIfCancellationRequested(); Exit(producer); }));
                        break;
                    default:
                        while (!queue.TryEnqueue(() => { Enter(); Spin(20); Exit(producer); }))
                        {
                            Interlocked.Increment(ref refusals);
                            Thread.Yield();
                        }

                        break;
                }

                if (i % 64 == 0)
                    RaiseTo(ref maxQueued, queue.QueuedCount);
            }
        });

        await queue.CompleteAsync().Within();

        Assert.Equal(Producers * ItemsPerProducer, executed);
        Assert.All(perProducer, count => Assert.Equal(ItemsPerProducer, count));
        Assert.InRange(maxRunning, 1, MaxConcurrency);
        Assert.InRange(maxQueued, 0, Capacity);
        Assert.Equal(0, queue.RunningCount);
        Assert.Equal(0, queue.QueuedCount);
        Assert.Equal(TaskStatus.RanToCompletion, queue.Completion.Status);
    }

    [Fact]
    public async Task Accepted_items_run_exactly_once_while_producers_cancel_and_the_queue_completes_under_them()
    {
        const int Attempts = 1_500;
        var queue = new BoundedWorkQueue(MaxConcurrency, Capacity);
        var runs = new int[Producers * Attempts];
        var accepted = new bool[Producers * Attempts];
        Task? completing = null;

        RunOnThreads(Producers, producer =>
        {
            for (int i = 0; i < Attempts; i++)
            {
                int id = producer * Attempts + i;
                Action work = () => { Interlocked.Increment(ref runs[id]); Spin(20); };
                if (producer == 0 && i == Attempts / 2)
                    Volatile.Write(ref completing, queue.CompleteAsync()); // the others are still producing

                try
                {
                    switch (i % 3)
                    {
                        case 0:
                            accepted[id] = queue.TryEnqueue(work);
                            break;
                        case 1:
                            accepted[id] = Settle(queue.EnqueueAsync(work));
                            break;
                        default:
                            // Cancel at once if it has to wait: the cancellation races with a worker handing it a place.
                            using (var cts = new CancellationTokenSource())
                            {
                                var call = queue.EnqueueAsync(work, cts.Token);
                                if (!call.IsCompleted)
                                    cts.Cancel();
                                accepted[id] = Settle(call);
                            }

                            break;
                    }
                }
                catch (InvalidOperationException)
                {
                    accepted[id] = false; // intake had stopped: refused at the call, nothing enqueued
                }
            }
        });

        await Volatile.Read(ref completing)!.Within();

        int acceptedCount = 0;
        for (int id = 0; id < runs.Length; id++)
        {
            Assert.True(runs[id] == (accepted[id] ? 1 : 0), $"item {id}: accepted {accepted[id]}, ran {runs[id]} times");
            if (accepted[id])
                acceptedCount++;
        }

        // Producer 0 had its first half accepted (it completed the queue itself) and its second half refused.
        Assert.InRange(acceptedCount, Attempts / 6, runs.Length - Attempts / 2);
    }

    [Fact]
    public async Task An_abort_under_load_accounts_for_every_accepted_item_exactly_once()
    {
        const int Attempts = 1_000;
        var queue = new BoundedWorkQueue(MaxConcurrency, Capacity);
        var runs = new int[Producers * Attempts];
        int acceptedCount = 0;
        Task? aborting = null;

        RunOnThreads(Producers, producer =>
        {
            for (int i = 0; i < Attempts; i++)
            {
                int id = producer * Attempts + i;
                if (producer == 0 && i == Attempts / 2)
                    Volatile.Write(ref aborting, queue.CompleteAsync(new CancellationToken(canceled: true)));

                bool accepted;
                try
                {
                    accepted = i % 2 == 0
                        ? queue.TryEnqueue(() => { Interlocked.Increment(ref runs[id]); Spin(20); })
                        : Settle(queue.EnqueueAsync(async () => { Interlocked.Increment(ref runs[id]); await Task.Yield(); }));
                }
                catch (InvalidOperationException)
                {
                    accepted = false;
                }

                if (accepted)
                    Interlocked.Increment(ref acceptedCount);
            }
        });

        try
        {
            await Volatile.Read(ref aborting)!.Within();
        }
        catch (OperationCanceledException)
        {
            // Aborted. (Had the workers drained everything at that instant, there was nothing to abort.)
        }

        var notStarted = Array.Empty<Exception>();
        try
        {
            await queue.CompleteAsync().Within();
        }
        catch (AggregateException e)
        {
            notStarted = e.InnerExceptions.ToArray();
        }

        // Nothing failed except the items the abort did not start; with the ones that ran they are exactly the accepted.
        Assert.All(notStarted, f => Assert.Equal(queue.ShutdownToken, Assert.IsAssignableFrom<OperationCanceledException>(f).CancellationToken));
        Assert.All(runs, r => Assert.InRange(r, 0, 1));
        Assert.Equal(acceptedCount, runs.Sum() + notStarted.Length);
    }

    private static void Accept(ValueTask enqueue)
    {
        if (!enqueue.AsTask().Wait(Patience))
            throw new TimeoutException("EnqueueAsync never found room: a lost wake-up.");
    }

    // True if the item was accepted; false if the call was cancelled or refused because intake stopped while it waited.
    private static bool Settle(ValueTask enqueue)
    {
        var task = enqueue.AsTask();
        try
        {
            if (!task.Wait(Patience))
                throw new TimeoutException("EnqueueAsync neither accepted the item nor gave up.");
            return true;
        }
        catch (AggregateException e) when (e.InnerException is OperationCanceledException or InvalidOperationException)
        {
            return false;
        }
    }
}
