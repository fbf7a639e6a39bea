using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using static Lockstep.Tests.WorkQueue.WorkQueueTesting;

namespace Lockstep.Tests.WorkQueue;

/// <summary>
/// The queue's contract one behaviour at a time: intake, back-pressure, cancellation of a waiting producer, completion,
/// async items and argument checks. Items that must stay running block on a gate the test opens, so every "still
/// waiting" assertion is deterministic; no assertion depends on timing.
/// </summary>
public sealed class BoundedWorkQueueTests
{
    [Fact]
    public void Defaults_are_processor_count_workers_and_the_default_capacity()
    {
        var queue = new BoundedWorkQueue();

        Assert.Equal(Environment.ProcessorCount, queue.MaxConcurrency);
        Assert.Equal(BoundedWorkQueueOptions.DefaultCapacity, queue.Capacity);
        Assert.Null(queue.Name);
        Assert.Equal(0, queue.RunningCount);
        Assert.Equal(0, queue.QueuedCount);
        Assert.False(queue.IsAddingCompleted);
        Assert.False(queue.ShutdownToken.IsCancellationRequested);
    }

    [Fact]
    public void Options_are_copied_when_the_queue_is_built()
    {
        var options = new BoundedWorkQueueOptions { MaxConcurrency = 3, Capacity = 0, Name = "clients" };
        var queue = new BoundedWorkQueue(options);
        options.MaxConcurrency = 10;
        options.Capacity = 10;
        options.Name = "changed";

        Assert.Equal(3, queue.MaxConcurrency);
        Assert.Equal(0, queue.Capacity);
        Assert.Equal("clients", queue.Name);
        Assert.Equal("BoundedWorkQueue 'clients': 0/3 running, 0/0 queued", queue.ToString());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    public void MaxConcurrency_below_one_is_rejected(int maxConcurrency)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new BoundedWorkQueue(maxConcurrency, 10));
        Assert.Equal("maxConcurrency", e.ParamName);
        Assert.Equal(maxConcurrency, e.ActualValue);
        Assert.Contains("maxConcurrency must be at least 1", e.Message, StringComparison.Ordinal);

        var fromOptions = Assert.Throws<ArgumentOutOfRangeException>(() => new BoundedWorkQueue(new BoundedWorkQueueOptions { MaxConcurrency = maxConcurrency }));
        Assert.Equal("options", fromOptions.ParamName);
        Assert.Contains("options.MaxConcurrency must be at least 1", fromOptions.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    public void Negative_capacity_is_rejected(int capacity)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new BoundedWorkQueue(2, capacity));
        Assert.Equal("capacity", e.ParamName);
        Assert.Equal(capacity, e.ActualValue);
        Assert.Contains("capacity must be at least 0", e.Message, StringComparison.Ordinal);

        var fromOptions = Assert.Throws<ArgumentOutOfRangeException>(() => new BoundedWorkQueue(new BoundedWorkQueueOptions { Capacity = capacity }));
        Assert.Equal("options", fromOptions.ParamName);
        Assert.Contains("options.Capacity must be at least 0", fromOptions.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Null_options_and_null_work_items_are_rejected()
    {
        Assert.Equal("options", Assert.Throws<ArgumentNullException>(() => new BoundedWorkQueue(null!)).ParamName);

        var queue = new BoundedWorkQueue(1, 1);
        Assert.Equal("work", Assert.Throws<ArgumentNullException>(() => queue.TryEnqueue((Action)null!)).ParamName);
        Assert.Equal("work", Assert.Throws<ArgumentNullException>(() => queue.TryEnqueue((Func<Task>)null!)).ParamName);
        Assert.Equal("work", Assert.Throws<ArgumentNullException>(() => queue.TryEnqueue((Func<CancellationToken, Task>)null!)).ParamName);
        Assert.Equal("work", Assert.Throws<ArgumentNullException>(() => { _ = queue.EnqueueAsync((Action)null!); }).ParamName);
        Assert.Equal("work", Assert.Throws<ArgumentNullException>(() => { _ = queue.EnqueueAsync((Func<Task>)null!); }).ParamName);
        Assert.Equal("work", Assert.Throws<ArgumentNullException>(() => { _ = queue.EnqueueAsync((Func<CancellationToken, Task>)null!); }).ParamName);
        Assert.Equal(0, queue.RunningCount);
    }

    [Fact]
    public async Task Items_run_in_the_order_they_were_accepted()
    {
        var order = new ConcurrentQueue<int>();
        var queue = new BoundedWorkQueue(maxConcurrency: 1, capacity: 100);

        for (int i = 0; i < 50; i++)
        {
            int id = i;
            if (i % 2 == 0)
                await queue.EnqueueAsync(() => order.Enqueue(id)).Within();
            else
                Assert.True(queue.TryEnqueue(() => order.Enqueue(id)));
        }

        await queue.CompleteAsync().Within();
        Assert.Equal(Enumerable.Range(0, 50), order);
    }

    [Fact]
    public async Task EnqueueAsync_waits_while_the_queue_is_full_and_TryEnqueue_returns_false()
    {
        using var gate = new ManualResetEventSlim();
        var order = new ConcurrentQueue<int>();
        var queue = new BoundedWorkQueue(maxConcurrency: 1, capacity: 2);

        Assert.True(queue.TryEnqueue(() => { gate.Await(); order.Enqueue(0); }));
        await queue.EnqueueAsync(() => order.Enqueue(1)).Within(); // room: accepted at once
        Assert.True(queue.TryEnqueue(() => order.Enqueue(2)));
        Assert.Equal(1, queue.RunningCount);
        Assert.Equal(2, queue.QueuedCount);

        // Full: one running (blocked on the gate), two waiting.
        Assert.False(queue.TryEnqueue(() => order.Enqueue(-1)));
        var third = queue.EnqueueAsync(() => order.Enqueue(3)).AsTask();
        var fourth = queue.EnqueueAsync(async () => { await Task.Yield(); order.Enqueue(4); }).AsTask();
        Assert.False(third.IsCompleted);
        Assert.False(fourth.IsCompleted);
        Assert.Equal(2, queue.QueuedCount);

        gate.Set();
        await third.Within();
        await fourth.Within();
        await queue.CompleteAsync().Within();

        // The rejected item never ran; the waiting producers were served in the order they arrived.
        Assert.Equal(new[] { 0, 1, 2, 3, 4 }, order);
    }

    [Fact]
    public async Task With_capacity_zero_an_item_is_accepted_only_by_a_free_worker()
    {
        using var gate = new ManualResetEventSlim();
        var order = new ConcurrentQueue<int>();
        var queue = new BoundedWorkQueue(maxConcurrency: 2, capacity: 0);

        Assert.True(queue.TryEnqueue(() => { gate.Await(); order.Enqueue(0); }));
        Assert.True(queue.TryEnqueue(() => { gate.Await(); order.Enqueue(1); }));
        Assert.False(queue.TryEnqueue(() => order.Enqueue(-1)));
        var waiting = queue.EnqueueAsync(() => order.Enqueue(2)).AsTask();
        Assert.False(waiting.IsCompleted);
        Assert.Equal(2, queue.RunningCount);
        Assert.Equal(0, queue.QueuedCount);

        gate.Set();
        await waiting.Within();
        await queue.CompleteAsync().Within();
        Assert.Equal(new[] { 0, 1, 2 }, order.OrderBy(i => i));
    }

    [Fact]
    public async Task Cancelling_a_waiting_EnqueueAsync_enqueues_nothing()
    {
        using var gate = new ManualResetEventSlim();
        using var cts = new CancellationTokenSource();
        int blockerRan = 0, queuedRan = 0, cancelledRan = 0, laterRan = 0;
        var queue = new BoundedWorkQueue(maxConcurrency: 1, capacity: 1);
        Assert.True(queue.TryEnqueue(() => { gate.Await(); blockerRan++; }));
        Assert.True(queue.TryEnqueue(() => queuedRan++));

        var cancelled = queue.EnqueueAsync(() => cancelledRan++, cts.Token).AsTask();
        var later = queue.EnqueueAsync(() => laterRan++).AsTask(); // waits behind the one that is cancelled
        Assert.False(cancelled.IsCompleted);

        cts.Cancel();
        var e = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.Within());
        Assert.Equal(cts.Token, e.CancellationToken);
        Assert.False(later.IsCompleted);
        Assert.Equal(1, queue.QueuedCount);

        gate.Set();
        await later.Within(); // the cancelled waiter left the line: the next producer gets the free place
        await queue.CompleteAsync().Within();
        Assert.Equal((1, 1, 0, 1), (blockerRan, queuedRan, cancelledRan, laterRan));
    }

    [Fact]
    public async Task EnqueueAsync_with_a_cancelled_token_enqueues_nothing_even_when_there_is_room()
    {
        int ran = 0;
        var queue = new BoundedWorkQueue(maxConcurrency: 1, capacity: 1);

        var call = queue.EnqueueAsync(() => ran++, new CancellationToken(canceled: true));

        Assert.True(call.IsCanceled);
        Assert.Equal(0, queue.RunningCount);
        await queue.CompleteAsync().Within();
        Assert.Equal(0, ran);
    }

    [Fact]
    public async Task A_token_cancelled_after_the_item_was_accepted_has_no_effect_on_it()
    {
        using var cts = new CancellationTokenSource();
        int ran = 0;
        var queue = new BoundedWorkQueue(maxConcurrency: 1, capacity: 1);

        await queue.EnqueueAsync(() => ran++, cts.Token).Within();
        cts.Cancel();

        await queue.CompleteAsync().Within();
        Assert.Equal(1, ran);
    }

    [Fact]
    public async Task CompleteAsync_runs_everything_already_queued()
    {
        const int Items = 200;
        int ran = 0;
        var queue = new BoundedWorkQueue(maxConcurrency: 2, capacity: Items);
        for (int i = 0; i < Items; i++)
            Assert.True(queue.TryEnqueue(() => { Spin(200); Interlocked.Increment(ref ran); }));

        var completing = queue.CompleteAsync();
        Assert.True(queue.IsAddingCompleted);
        await completing.Within();

        Assert.Equal(Items, ran);
        Assert.Equal(0, queue.RunningCount);
        Assert.Equal(0, queue.QueuedCount);
        Assert.Equal(TaskStatus.RanToCompletion, queue.Completion.Status);
    }

    [Fact]
    public async Task Completion_completes_only_after_intake_stops()
    {
        var queue = new BoundedWorkQueue(maxConcurrency: 1, capacity: 1);
        await queue.EnqueueAsync(() => { }).Within();
        WaitUntil(() => queue.RunningCount == 0, "the item has run");
        Assert.False(queue.Completion.IsCompleted); // idle is not complete: more work may come

        await queue.CompleteAsync().Within();
        await queue.Completion.Within();
        await queue.CompleteAsync().Within(); // again: same outcome
    }

    [Fact]
    public async Task Enqueue_after_CompleteAsync_throws_and_TryEnqueue_returns_false()
    {
        int ran = 0;
        var queue = new BoundedWorkQueue(maxConcurrency: 1, capacity: 1);
        await queue.CompleteAsync().Within();

        Assert.True(queue.IsAddingCompleted);
        Assert.False(queue.TryEnqueue(() => ran++));
        Assert.False(queue.TryEnqueue(() => Task.CompletedTask));
        Assert.False(queue.TryEnqueue(_ => Task.CompletedTask));
        var e = Assert.Throws<InvalidOperationException>(() => { _ = queue.EnqueueAsync(() => ran++); });
        Assert.Contains("no longer accepts work", e.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => { _ = queue.EnqueueAsync(() => Task.CompletedTask); });
        Assert.Throws<InvalidOperationException>(() => { _ = queue.EnqueueAsync(_ => Task.CompletedTask); });
        Assert.Equal(0, ran);
    }

    [Fact]
    public async Task A_producer_waiting_when_the_queue_is_completed_is_told_its_item_was_not_enqueued()
    {
        using var gate = new ManualResetEventSlim();
        int ran = 0, rejectedRan = 0;
        var queue = new BoundedWorkQueue(new BoundedWorkQueueOptions { MaxConcurrency = 1, Capacity = 0, Name = "jobs" });
        Assert.True(queue.TryEnqueue(() => { gate.Await(); ran++; }));
        var waiting = queue.EnqueueAsync(() => rejectedRan++).AsTask();

        var completing = queue.CompleteAsync();
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => waiting.Within());
        Assert.Contains("'jobs' was completed while this call waited for room", e.Message, StringComparison.Ordinal);

        gate.Set();
        await completing.Within();
        Assert.Equal((1, 0), (ran, rejectedRan));
    }

    [Fact]
    public async Task An_async_item_holds_its_slot_until_its_task_completes()
    {
        var release = new TaskCompletionSource();
        int secondRan = 0;
        var queue = new BoundedWorkQueue(maxConcurrency: 1, capacity: 1);

        await queue.EnqueueAsync(async () => await release.Task).Within();
        await queue.EnqueueAsync(() => secondRan++).Within();
        // No waiting needed: the slot is taken from the moment the item is accepted.
        Assert.Equal(1, queue.RunningCount);
        Assert.Equal(1, queue.QueuedCount);
        Assert.Equal(0, secondRan);

        release.SetResult();
        await queue.CompleteAsync().Within();
        Assert.Equal(1, secondRan);
    }

    [Fact]
    public async Task A_cancellable_item_receives_the_queues_shutdown_token()
    {
        var received = new TaskCompletionSource<CancellationToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        var queue = new BoundedWorkQueue(maxConcurrency: 1, capacity: 1);

        Assert.True(queue.TryEnqueue(ct => { received.SetResult(ct); return Task.CompletedTask; }));

        Assert.Equal(queue.ShutdownToken, await received.Task.WaitAsync(Patience));
        await queue.CompleteAsync().Within();
        Assert.False(queue.ShutdownToken.IsCancellationRequested); // a graceful completion cancels nothing
    }

    [Fact]
    public async Task An_async_item_completed_by_another_thread_does_not_run_the_next_items_on_that_thread()
    {
        // Completed without RunContinuationsAsynchronously: an await inside the queue would continue inline in SetResult.
        var release = new TaskCompletionSource();
        using var afterSetResult = new ManualResetEventSlim();
        var queue = new BoundedWorkQueue(maxConcurrency: 1, capacity: 1);
        Assert.True(queue.TryEnqueue(() => release.Task));
        Assert.True(queue.TryEnqueue(() => afterSetResult.Await()));

        // If the next item ran inside SetResult, it would wait for a gate that is only opened after SetResult returns.
        release.SetResult();
        afterSetResult.Set();

        await queue.CompleteAsync().Within();
    }

    [Fact]
    public async Task Blocking_items_do_not_deadlock_the_queue()
    {
        // The first item blocks until an item accepted after it has run: a second worker must pick that one up.
        using var laterRan = new ManualResetEventSlim();
        var queue = new BoundedWorkQueue(maxConcurrency: 2, capacity: 4);
        Assert.True(queue.TryEnqueue(() => laterRan.Await()));
        Assert.True(queue.TryEnqueue(() => laterRan.Set()));

        await queue.CompleteAsync().Within();
    }

    [Fact]
    public async Task MaxConcurrency_blocking_items_run_at_the_same_time()
    {
        // Each item waits until all three are running: only a queue that really runs three at once finishes.
        const int Workers = 3;
        using var allRunning = new CountdownEvent(Workers);
        var queue = new BoundedWorkQueue(maxConcurrency: Workers, capacity: 0);
        for (int i = 0; i < Workers; i++)
        {
            Assert.True(queue.TryEnqueue(() =>
            {
                allRunning.Signal();
                if (!allRunning.Wait(Patience))
                    throw new TimeoutException("The items never all ran at once.");
            }));
        }

        await queue.CompleteAsync().Within();
    }

    [Fact]
    public async Task Items_run_in_the_execution_context_of_the_code_that_enqueued_them()
    {
        var local = new AsyncLocal<string?>();
        var seen = new ConcurrentQueue<string?>();
        var queue = new BoundedWorkQueue(maxConcurrency: 1, capacity: 4);

        local.Value = "first";
        Assert.True(queue.TryEnqueue(() => { seen.Enqueue(local.Value); local.Value = "changed by the item"; }));
        local.Value = "second";
        await queue.EnqueueAsync(async () => { await Task.Yield(); seen.Enqueue(local.Value); }).Within();
        local.Value = null;
        Assert.True(queue.TryEnqueue(() => seen.Enqueue(local.Value)));

        await queue.CompleteAsync().Within();
        // What the first item set stayed in its own context; the same worker ran the third item without it.
        Assert.Equal(new[] { "first", "second", null }, seen);
    }

    [Fact]
    public async Task Items_enqueued_with_the_flow_suppressed_do_not_see_each_others_context_changes()
    {
        var local = new AsyncLocal<string?>();
        var seen = new ConcurrentQueue<string?>();
        var queue = new BoundedWorkQueue(maxConcurrency: 1, capacity: 4);

        local.Value = "producer";
        using (ExecutionContext.SuppressFlow())
        {
            Assert.True(queue.TryEnqueue(() => { seen.Enqueue(local.Value); local.Value = "changed by the item"; }));
            Assert.True(queue.TryEnqueue(() => seen.Enqueue(local.Value)));
        }

        await queue.CompleteAsync().Within();
        Assert.Equal(new string?[] { null, null }, seen);
    }

    [Fact]
    public async Task DisposeAsync_drains_the_queue_and_stops_intake()
    {
        int ran = 0;
        var queue = new BoundedWorkQueue(maxConcurrency: 2, capacity: 50);
        for (int i = 0; i < 50; i++)
            await queue.EnqueueAsync(() => Interlocked.Increment(ref ran)).Within();

        await queue.DisposeAsync().Within();

        Assert.Equal(50, ran);
        Assert.Equal(TaskStatus.RanToCompletion, queue.Completion.Status);
        Assert.False(queue.TryEnqueue(() => ran++));
        Assert.Throws<InvalidOperationException>(() => { _ = queue.EnqueueAsync(() => ran++); });
        await queue.DisposeAsync().Within(); // twice is harmless
    }

    [Fact]
    public async Task ToString_shows_the_counts_and_the_state()
    {
        using var gate = new ManualResetEventSlim();
        var queue = new BoundedWorkQueue(new BoundedWorkQueueOptions { MaxConcurrency = 1, Capacity = 3, Name = "io" });
        Assert.True(queue.TryEnqueue(() => gate.Await()));
        Assert.True(queue.TryEnqueue(() => { }));

        Assert.Equal("BoundedWorkQueue 'io': 1/1 running, 1/3 queued", queue.ToString());
        var completing = queue.CompleteAsync();
        Assert.Equal("BoundedWorkQueue 'io': 1/1 running, 1/3 queued, completing", queue.ToString());

        gate.Set();
        await completing.Within();
        Assert.Equal("BoundedWorkQueue: 0/2 running, 0/5 queued", new BoundedWorkQueue(2, 5).ToString());
    }
}
