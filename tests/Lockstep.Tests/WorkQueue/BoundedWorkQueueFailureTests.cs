using System;
using System.Collections.Generic;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using static Lockstep.Tests.WorkQueue.WorkQueueTesting;

namespace Lockstep.Tests.WorkQueue;

/// <summary>
/// Failures are never lost: every exception of every item reaches <see cref="BoundedWorkQueue.CompleteAsync()"/>, the
/// other items still run, and an abort reports the items it did not start.
/// </summary>
public sealed class BoundedWorkQueueFailureTests
{
    [Fact]
    public async Task CompleteAsync_lists_every_failure_and_the_other_items_all_ran()
    {
        var syncFailure = new InvalidOperationException("sync item");
        var asyncFailure = new ArgumentException("async item");
        var first = new FormatException("first of two");
        var second = new TimeoutException("second of two");
        var callbackSaw = new ConcurrentQueue<Exception>();
        int succeeded = 0;
        var queue = new BoundedWorkQueue(new BoundedWorkQueueOptions { MaxConcurrency = 2, Capacity = 20, ItemFailed = callbackSaw.Enqueue });

        for (int i = 0; i < 10; i++)
        {
            switch (i)
            {
                case 2:
                    await queue.EnqueueAsync(() => throw syncFailure).Within();
                    break;
                case 5:
                    await queue.EnqueueAsync(async () =>
                    {
                        await Task.Yield();
                        throw asyncFailure;
                    }).Within();
                    break;
                case 7:
                    // A task that faults with two exceptions: both are reported, not only the one await would rethrow.
                    await queue.EnqueueAsync(_ => Task.WhenAll(Task.FromException(first), Task.FromException(second))).Within();
                    break;
                default:
                    await queue.EnqueueAsync(() => Interlocked.Increment(ref succeeded)).Within();
                    break;
            }
        }

        var e = await Assert.ThrowsAsync<AggregateException>(() => queue.CompleteAsync().Within());

        Exception[] expected = [syncFailure, asyncFailure, first, second];
        Assert.Equal(expected.ToHashSet(), e.InnerExceptions.ToHashSet());
        Assert.Equal(4, e.InnerExceptions.Count);
        Assert.Contains("4 work items failed or did not run", e.Message, StringComparison.Ordinal);
        Assert.Equal(7, succeeded);
        Assert.Equal(expected.ToHashSet(), callbackSaw.ToHashSet());
        Assert.True(queue.Completion.IsFaulted);
        Assert.Equal(expected.ToHashSet(), queue.Completion.Exception!.InnerExceptions.ToHashSet());

        // Every caller of CompleteAsync hears about the failures; DisposeAsync does not repeat what was reported.
        var again = await Assert.ThrowsAsync<AggregateException>(() => queue.CompleteAsync().Within());
        Assert.Equal(4, again.InnerExceptions.Count);
        await queue.DisposeAsync().Within();
    }

    [Fact]
    public async Task A_null_task_a_cancelled_task_and_a_throwing_callback_are_failures_too()
    {
        var fromCallback = new InvalidOperationException("from the callback");
        var queue = new BoundedWorkQueue(new BoundedWorkQueueOptions
        {
            MaxConcurrency = 1,
            ItemFailed = e => { if (e is ArithmeticException) throw fromCallback; },
        });

        Assert.True(queue.TryEnqueue(() => (Task)null!));
        Assert.True(queue.TryEnqueue(() => Task.FromCanceled(new CancellationToken(canceled: true))));
        Assert.True(queue.TryEnqueue(() => throw new ArithmeticException()));

        var e = await Assert.ThrowsAsync<AggregateException>(() => queue.CompleteAsync().Within());

        Assert.Collection(
            e.InnerExceptions,
            nullTask => Assert.Contains("returned null instead of a Task", Assert.IsType<InvalidOperationException>(nullTask).Message, StringComparison.Ordinal),
            cancelled => Assert.IsType<TaskCanceledException>(cancelled),
            arithmetic => Assert.IsType<ArithmeticException>(arithmetic),
            callback => Assert.Same(fromCallback, callback));
    }

    [Fact]
    public async Task An_item_taken_by_a_worker_but_not_yet_started_is_not_started_after_an_abort()
    {
        // Thread-pool threads may all be busy, so an accepted item can wait for its worker to be scheduled. Whether the
        // abort catches it there or it has started (or finished) already, it is accounted for exactly once: it ran, or it
        // is reported as not started.
        int ran = 0;
        var queue = new BoundedWorkQueue(maxConcurrency: 4, capacity: 0);
        for (int i = 0; i < 4; i++)
            Assert.True(queue.TryEnqueue(() => Interlocked.Increment(ref ran)));

        try
        {
            await queue.CompleteAsync(new CancellationToken(canceled: true)).Within();
        }
        catch (OperationCanceledException)
        {
            // Aborted; without this the items had all run before CompleteAsync was called, and it had nothing to abort.
        }

        await WaitQuietly(queue.Completion);

        int notStarted = queue.Completion.IsFaulted ? queue.Completion.Exception!.InnerExceptions.Count : 0;
        Assert.Equal(4, ran + notStarted);
    }

    [Fact]
    public async Task DisposeAsync_throws_failures_nobody_reported()
    {
        var failure = new InvalidOperationException("unreported");
        var queue = new BoundedWorkQueue(maxConcurrency: 1, capacity: 4);
        Assert.True(queue.TryEnqueue(() => throw failure));
        Assert.True(queue.TryEnqueue(() => { }));

        var e = await Assert.ThrowsAsync<AggregateException>(() => queue.DisposeAsync().Within());

        Assert.Same(failure, Assert.Single(e.InnerExceptions));
        await queue.DisposeAsync().Within(); // reported once
    }

    [Fact]
    public async Task DisposeAsync_does_not_throw_failures_the_ItemFailed_callback_already_saw()
    {
        var seen = new List<Exception>();
        var queue = new BoundedWorkQueue(new BoundedWorkQueueOptions
        {
            MaxConcurrency = 1,
            Capacity = 4,
            ItemFailed = e => { lock (seen) seen.Add(e); },
        });
        Assert.True(queue.TryEnqueue(() => throw new InvalidOperationException("first")));
        Assert.True(queue.TryEnqueue(() => Task.FromException(new FormatException("second"))));

        await queue.DisposeAsync().Within(); // both reported to the callback: nothing to throw

        Assert.Equal(2, seen.Count);
        Assert.True(queue.Completion.IsFaulted); // still recorded, for whoever asks
        var e = await Assert.ThrowsAsync<AggregateException>(() => queue.CompleteAsync().Within());
        Assert.Equal(2, e.InnerExceptions.Count); // CompleteAsync answers "did everything succeed?" in full
    }

    [Fact]
    public async Task DisposeAsync_throws_what_the_ItemFailed_callback_threw_and_nothing_it_saw()
    {
        var callbackFailure = new ApplicationException("logger down");
        var queue = new BoundedWorkQueue(new BoundedWorkQueueOptions
        {
            MaxConcurrency = 1,
            ItemFailed = _ => throw callbackFailure,
        });
        Assert.True(queue.TryEnqueue(() => throw new InvalidOperationException("item")));

        var e = await Assert.ThrowsAsync<AggregateException>(() => queue.DisposeAsync().Within());

        Assert.Same(callbackFailure, Assert.Single(e.InnerExceptions));
        await queue.DisposeAsync().Within(); // reported once
    }

    [Fact]
    public async Task DisposeAsync_after_CompleteAsync_threw_does_not_throw_again()
    {
        var queue = new BoundedWorkQueue(maxConcurrency: 1, capacity: 4);
        Assert.True(queue.TryEnqueue(() => throw new InvalidOperationException("reported by CompleteAsync")));

        await Assert.ThrowsAsync<AggregateException>(() => queue.CompleteAsync().Within());
        await queue.DisposeAsync().Within();
    }

    [Fact]
    public async Task Cancelling_CompleteAsync_aborts_the_queue_and_reports_the_items_it_did_not_start()
    {
        using var abort = new CancellationTokenSource();
        var itemStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int notStartedRan = 0;
        var queue = new BoundedWorkQueue(maxConcurrency: 1, capacity: 10);

        // Running: waits for the shutdown token. Queued behind it: two items that must never start.
        Assert.True(queue.TryEnqueue(async ct =>
        {
            itemStarted.SetResult();
            await Task.Delay(Timeout.Infinite, ct);
        }));
        Assert.True(queue.TryEnqueue(() => Interlocked.Increment(ref notStartedRan)));
        Assert.True(queue.TryEnqueue(() => Task.FromResult(Interlocked.Increment(ref notStartedRan))));
        await itemStarted.Task.WaitAsync(Patience);

        var completing = queue.CompleteAsync(abort.Token);
        Assert.False(completing.IsCompleted); // the running item keeps the queue busy
        abort.Cancel();

        var cancelled = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => completing.Within());
        Assert.Equal(abort.Token, cancelled.CancellationToken);
        Assert.True(queue.ShutdownToken.IsCancellationRequested);
        Assert.Equal(0, queue.QueuedCount);

        // The running item saw the token and ended; Completion then reports everything that did not run to the end.
        var completion = await Assert.ThrowsAnyAsync<Exception>(() => queue.Completion.Within());
        Assert.IsNotType<TimeoutException>(completion);
        var failures = queue.Completion.Exception!.InnerExceptions;
        Assert.Equal(3, failures.Count);
        Assert.All(failures, f => Assert.IsAssignableFrom<OperationCanceledException>(f));
        Assert.Equal(2, failures.Count(f => f.Message.Contains("aborted before this work item started", StringComparison.Ordinal)));
        Assert.Equal(0, notStartedRan);

        // Not yet reported to anyone: DisposeAsync throws them.
        var e = await Assert.ThrowsAsync<AggregateException>(() => queue.DisposeAsync().Within());
        Assert.Equal(3, e.InnerExceptions.Count);
    }

    [Fact]
    public async Task Cancelling_CompleteAsync_after_the_queue_finished_changes_nothing()
    {
        using var cts = new CancellationTokenSource();
        int ran = 0;
        var queue = new BoundedWorkQueue(maxConcurrency: 1, capacity: 4);
        Assert.True(queue.TryEnqueue(() => ran++));

        await queue.CompleteAsync(cts.Token).Within();
        cts.Cancel();
        await queue.CompleteAsync(cts.Token).Within(); // already finished: reports the outcome, does not abort

        Assert.Equal(1, ran);
        Assert.False(queue.ShutdownToken.IsCancellationRequested);
    }

    [Fact]
    public async Task CompleteAsync_with_a_token_that_is_never_cancelled_completes_gracefully()
    {
        using var cts = new CancellationTokenSource();
        int ran = 0;
        var queue = new BoundedWorkQueue(maxConcurrency: 2, capacity: 20);
        for (int i = 0; i < 20; i++)
            Assert.True(queue.TryEnqueue(async () => { await Task.Yield(); Interlocked.Increment(ref ran); }));

        await queue.CompleteAsync(cts.Token).Within();

        Assert.Equal(20, ran);
        Assert.False(queue.ShutdownToken.IsCancellationRequested);
    }

    [Fact]
    public async Task An_exception_thrown_by_a_shutdown_token_callback_is_reported()
    {
        var fromCallback = new InvalidOperationException("shutdown callback");
        using var started = new ManualResetEventSlim();
        using var gate = new ManualResetEventSlim();
        var queue = new BoundedWorkQueue(maxConcurrency: 1, capacity: 1);
        queue.ShutdownToken.Register(() => throw fromCallback);
        Assert.True(queue.TryEnqueue(() => { started.Set(); gate.Await(); }));
        started.Await(); // started, so the abort lets it finish instead of reporting it as not started

        var completing = queue.CompleteAsync(new CancellationToken(canceled: true));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => completing.Within());
        gate.Set();

        var e = await Assert.ThrowsAsync<AggregateException>(() => queue.CompleteAsync().Within());
        Assert.Same(fromCallback, Assert.Single(e.InnerExceptions));
    }

    private static async Task WaitQuietly(Task task)
    {
        await task.WaitAsync(Patience).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        Assert.True(task.IsCompleted, "the queue did not finish");
    }
}
