using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Coyote.Specifications;
using Xunit.Abstractions;

namespace Lockstep.Systematic.Tests;

/// <summary>
/// <see cref="BoundedWorkQueue"/> under every interleaving Coyote explores: never more than MaxConcurrency items at
/// once, nothing accepted lost or run twice, every failure reported, and disposal or an abort while items run and
/// producers wait. Workers are started as controlled tasks through the queue's test hook (the thread pool is not under
/// Coyote's control).
/// </summary>
public sealed class BoundedWorkQueueSystematicTests
{
    private readonly ITestOutputHelper _output;

    public BoundedWorkQueueSystematicTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Producers_under_back_pressure_lose_nothing_and_never_exceed_the_concurrency() => Systematic.Run(_output, async () =>
    {
        var queue = Controlled(new BoundedWorkQueue(maxConcurrency: 2, capacity: 1));
        int running = 0;
        int maxRunning = 0;
        int ran = 0;

        async Task Item()
        {
            int now = Interlocked.Increment(ref running);
            if (now > maxRunning)
                maxRunning = now;
            await Task.Yield();
            Interlocked.Decrement(ref running);
            Interlocked.Increment(ref ran);
        }

        async Task Producer()
        {
            await queue.EnqueueAsync(Item);
            await queue.EnqueueAsync(() => { Interlocked.Increment(ref ran); });
        }

        await Systematic.All(Task.Run(Producer), Task.Run(Producer), Task.Run(Producer));
        await queue.CompleteAsync();

        Specification.Assert(ran == 6, $"{ran} of 6 accepted items ran");
        Specification.Assert(maxRunning <= 2, $"{maxRunning} items ran at once with MaxConcurrency 2");
    }, harmlessCalls: CapturesContext);

    [Fact]
    public void Every_failure_is_reported_once_whatever_the_interleaving() => Systematic.Run(_output, async () =>
    {
        int seen = 0;
        var queue = Controlled(new BoundedWorkQueue(new BoundedWorkQueueOptions
        {
            MaxConcurrency = 2,
            Capacity = 1,
            ItemFailed = _ => Interlocked.Increment(ref seen),
        }));

        async Task Producer(int id)
        {
            await queue.EnqueueAsync(() => throw new InvalidOperationException("sync " + id));
            await queue.EnqueueAsync(async () =>
            {
                await Task.Yield();
                throw new FormatException("async " + id);
            });
            await queue.EnqueueAsync(() => { });
        }

        await Systematic.All(Task.Run(() => Producer(1)), Task.Run(() => Producer(2)));

        int thrown = 0;
        try
        {
            await queue.CompleteAsync();
        }
        catch (AggregateException e)
        {
            thrown = e.InnerExceptions.Count;
        }

        Specification.Assert(thrown == 4, $"CompleteAsync reported {thrown} of 4 failures");
        Specification.Assert(seen == 4, $"ItemFailed saw {seen} of 4 failures");
        await queue.DisposeAsync(); // every failure went to ItemFailed: disposing must not throw them again
    }, harmlessCalls: CapturesContext);

    [Fact]
    public void A_cancelled_EnqueueAsync_either_enqueued_its_item_or_not_and_the_item_runs_exactly_then() => Systematic.Run(_output, async () =>
    {
        var queue = Controlled(new BoundedWorkQueue(maxConcurrency: 1, capacity: 0));
        var release = new TaskCompletionSource<bool>();
        using var cts = new CancellationTokenSource();
        int ran = 0;

        Specification.Assert(queue.TryEnqueue(() => release.Task), "the first item was refused by an idle queue");
        Task waiting = queue.EnqueueAsync(() => { Interlocked.Increment(ref ran); }, cts.Token).AsTask();

        await Systematic.All(Task.Run(() => cts.Cancel()), Task.Run(() => release.SetResult(true)));
        bool accepted;
        try
        {
            await waiting;
            accepted = true;
        }
        catch (OperationCanceledException)
        {
            accepted = false;
        }

        await queue.CompleteAsync();
        Specification.Assert(ran == (accepted ? 1 : 0), $"the item ran {ran} times, accepted: {accepted}");
    }, harmlessCalls: CapturesContext);

    [Fact]
    public void Disposing_while_items_run_and_producers_wait_runs_every_accepted_item() => Systematic.Run(_output, async () =>
    {
        var queue = Controlled(new BoundedWorkQueue(maxConcurrency: 1, capacity: 1));
        int accepted = 0;
        int ran = 0;

        async Task Item()
        {
            await Task.Yield();
            Interlocked.Increment(ref ran);
        }

        async Task Producer()
        {
            for (int i = 0; i < 2; i++)
            {
                try
                {
                    await queue.EnqueueAsync(Item);
                    Interlocked.Increment(ref accepted);
                }
                catch (InvalidOperationException)
                {
                    return; // intake stopped: not accepted, and said so
                }
            }
        }

        Task producers = Systematic.All(Task.Run(Producer), Task.Run(Producer));
        await Task.Run(async () => await queue.DisposeAsync());
        await producers;

        Specification.Assert(ran == accepted, $"{ran} items ran, {accepted} were accepted");
        Specification.Assert(!queue.TryEnqueue(() => { }), "a disposed queue accepted an item");
    }, harmlessCalls: CapturesContext);

    [Fact]
    public void An_abort_while_items_run_reports_each_accepted_item_as_run_or_not_started() => Systematic.Run(_output, async () =>
    {
        var queue = Controlled(new BoundedWorkQueue(maxConcurrency: 1, capacity: 2));
        using var abort = new CancellationTokenSource();
        int ran = 0;

        for (int i = 0; i < 3; i++)
        {
            Specification.Assert(queue.TryEnqueue(async () =>
            {
                await Task.Yield();
                Interlocked.Increment(ref ran);
            }), "an item was refused with room in the queue");
        }

        Task completing = queue.CompleteAsync(abort.Token);
        await Task.Run(() => abort.Cancel());
        try
        {
            await completing;
        }
        catch (OperationCanceledException)
        {
            // aborted before the queue finished
        }
        catch (AggregateException)
        {
            // finished first; nothing failed, so this does not happen
            Specification.Assert(false, "CompleteAsync reported failures without an abort");
        }

        int notStarted = 0;
        try
        {
            await queue.Completion;
        }
        catch (OperationCanceledException)
        {
            notStarted = queue.Completion.Exception!.InnerExceptions.Count;
        }

        Specification.Assert(ran + notStarted == 3, $"{ran} ran and {notStarted} were reported as not started, of 3 accepted");
    }, harmlessCalls: CapturesContext);

    // Each item runs in the execution context of the code that enqueued it: capturing and restoring a context starts
    // no concurrency.
    private static readonly string[] CapturesContext = { "System.Threading.ExecutionContext.Capture", "System.Threading.ExecutionContext.Run" };

    // Workers run as controlled tasks instead of thread-pool work items.
    private static BoundedWorkQueue Controlled(BoundedWorkQueue queue)
    {
        queue.DispatchForTest = work => Task.Run(work);
        queue.ResumeForTest = (item, resume) => Task.Run(async () =>
        {
            try
            {
                await item;
            }
            catch (Exception)
            {
                // The worker reads the item's outcome itself when it resumes.
            }

            resume();
        });
        return queue;
    }
}
