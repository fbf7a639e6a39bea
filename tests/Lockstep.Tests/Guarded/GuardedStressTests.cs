using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;

namespace Lockstep.Tests.Guarded;

/// <summary>
/// Many threads hammer one guarded value; the exact totals prove that no update was lost. The iteration counts are
/// bounded so a run takes well under a second on two cores; nothing asserts how long it took.
/// </summary>
public sealed class GuardedStressTests
{
    private const int Threads = 8;
    private const int Increments = 10_000;

    [Fact]
    public void Increments_through_Lock_reach_the_exact_total()
    {
        var counter = new Guarded<long>(0);

        RunConcurrently(Threads, _ =>
        {
            for (int i = 0; i < Increments; i++)
            {
                using var scope = counter.Lock();
                // Read, yield now and then to invite another thread in, write back: a lost update without the lock.
                long seen = scope.Value;
                if (i % 1_000 == 0)
                    Thread.Yield();
                scope.Value = seen + 1;
            }
        });

        Assert.Equal(Threads * Increments, counter.Read(v => v));
        Assert.False(counter.IsHeldByCurrentThread);
    }

    [Fact]
    public void Increments_through_Update_reach_the_exact_total()
    {
        var counter = new Guarded<int>(0);

        RunConcurrently(Threads, _ =>
        {
            for (int i = 0; i < Increments; i++)
                counter.Update(static (ref int v) => v++);
        });

        Assert.Equal(Threads * Increments, counter.Read(static v => v));
    }

    [Fact]
    public void Update_results_are_each_value_exactly_once()
    {
        var counter = new Guarded<int>(0);
        var seen = new int[Threads][];

        RunConcurrently(Threads, thread =>
        {
            var mine = new int[Increments];
            for (int i = 0; i < Increments; i++)
                mine[i] = counter.Update(static (ref int v) => ++v);
            seen[thread] = mine;
        });

        // Every post-increment value from 1 to the total was handed to exactly one caller.
        Assert.Equal(Enumerable.Range(1, Threads * Increments), seen.SelectMany(s => s).OrderBy(v => v));
        Assert.All(seen, mine => Assert.True(IsIncreasing(mine)));
    }

    [Fact]
    public void Readers_never_see_a_half_done_update_and_writers_lose_nothing()
    {
        // Two halves that every writer changes together: a reader that saw them differ would have run mid-update.
        var pair = new Guarded<(long Left, long Right)>((0, 0));
        int torn = 0;

        RunConcurrently(Threads, thread =>
        {
            if (thread % 2 == 0)
            {
                for (int i = 0; i < Increments; i++)
                {
                    pair.Update(static (ref (long Left, long Right) p) =>
                    {
                        p.Left++;
                        Thread.SpinWait(5);
                        p.Right++;
                    });
                }
            }
            else
            {
                long last = 0;
                for (int i = 0; i < Increments; i++)
                {
                    var (left, right) = pair.Read(static p => p);
                    if (left != right || left < last)
                        Interlocked.Increment(ref torn);
                    last = left;
                }
            }
        });

        Assert.Equal(0, torn);
        Assert.Equal((Threads / 2L * Increments, Threads / 2L * Increments), pair.Read(static p => p));
    }

    [Fact]
    public void Mixed_Lock_Update_TryLock_and_Read_reach_the_exact_total()
    {
        var counter = new Guarded<int>(0);
        long reads = 0;

        RunConcurrently(Threads, thread =>
        {
            for (int i = 0; i < Increments; i++)
            {
                switch ((thread + i) % 4)
                {
                    case 0:
                        using (var scope = counter.Lock())
                            scope.Value++;
                        break;
                    case 1:
                        counter.Update(static (ref int v) => v++);
                        break;
                    case 2:
                        Guarded<int>.Scope tried;
                        while (!counter.TryLock(TimeSpan.FromMilliseconds(1), out tried))
                        {
                        }

                        using (tried)
                            tried.Value++;
                        break;
                    default:
                        if (counter.Read(static v => v) >= 0)
                            Interlocked.Increment(ref reads);
                        break;
                }
            }
        });

        Assert.Equal(Threads * Increments / 4, reads);
        Assert.Equal(Threads * Increments * 3 / 4, counter.Read(static v => v));
    }

    [Fact]
    public void Values_sharing_one_lock_are_never_open_at_the_same_time()
    {
        var first = new Guarded<int>(0);
        var second = new Guarded<int>(0, first.SyncRoot);
        int inside = 0;
        int overlaps = 0;

        RunConcurrently(Threads, thread =>
        {
            for (int i = 0; i < Increments; i++)
            {
                var guarded = (thread + i) % 2 == 0 ? first : second;
                using var scope = guarded.Lock();
                if (Interlocked.Increment(ref inside) != 1)
                    Interlocked.Increment(ref overlaps);
                scope.Value++;
                Thread.SpinWait(5);
                Interlocked.Decrement(ref inside);
            }
        });

        Assert.Equal(0, overlaps);
        Assert.Equal(Threads * Increments / 2, first.Read(static v => v));
        Assert.Equal(Threads * Increments / 2, second.Read(static v => v));
    }

    [Fact]
    public void Transfers_between_values_sharing_a_lock_keep_the_sum()
    {
        const int Total = 1_000_000;
        var checking = new Guarded<int>(Total);
        var savings = new Guarded<int>(0, checking.SyncRoot);
        int wrongSums = 0;

        RunConcurrently(Threads, thread =>
        {
            for (int i = 0; i < Increments; i++)
            {
                if (thread == 0)
                {
                    // An auditor: holds the shared lock and opens both; the money is always all there.
                    lock (checking.SyncRoot)
                    {
                        int sum = checking.Read(static v => v) + savings.Read(static v => v);
                        if (sum != Total)
                            Interlocked.Increment(ref wrongSums);
                    }
                }
                else
                {
                    var (from, to) = (thread + i) % 2 == 0 ? (checking, savings) : (savings, checking);
                    using var a = from.Lock();
                    using var b = to.Lock();
                    a.Value--;
                    b.Value++;
                }
            }
        });

        Assert.Equal(0, wrongSums);
        Assert.Equal(Total, checking.Read(static v => v) + savings.Read(static v => v));
    }

    [Fact]
    public void Exchange_hands_each_value_to_exactly_one_caller()
    {
        var slot = new Guarded<int>(-1);
        var received = new List<int>[Threads];

        RunConcurrently(Threads, thread =>
        {
            var mine = new List<int>(Increments);
            for (int i = 0; i < Increments; i++)
                mine.Add(slot.Exchange((thread * Increments) + i));
            received[thread] = mine;
        });

        // Every value put in came out exactly once, to a later Exchange or as the final content, plus the initial -1.
        var all = received.SelectMany(r => r).Append(slot.Read(static v => v)).OrderBy(v => v);
        Assert.Equal(Enumerable.Range(-1, (Threads * Increments) + 1), all);
    }

    [Fact]
    public void Producers_and_consumers_pass_every_item_through_Wait_and_Pulse()
    {
        const int Items = 2_000;
        var queue = new Guarded<Queue<int>>(new Queue<int>());
        var consumed = new List<int>[Threads / 2];

        RunConcurrently(Threads, thread =>
        {
            if (thread % 2 == 0)
            {
                for (int i = 0; i < Items; i++)
                {
                    using var scope = queue.Lock();
                    scope.Value.Enqueue((thread / 2 * Items) + i);
                    scope.Pulse();
                }
            }
            else
            {
                var mine = new List<int>();
                for (int i = 0; i < Items; i++)
                {
                    using var scope = queue.Lock();
                    while (scope.Value.Count == 0)
                        scope.Wait();
                    mine.Add(scope.Value.Dequeue());
                }

                consumed[thread / 2] = mine;
            }
        });

        Assert.Equal(Enumerable.Range(0, Threads / 2 * Items), consumed.SelectMany(c => c).OrderBy(v => v));
        Assert.Equal(0, queue.Read(static q => q.Count));
    }

    private static bool IsIncreasing(int[] values)
    {
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i] <= values[i - 1])
                return false;
        }

        return true;
    }

    /// <summary>Runs <paramref name="body"/> on <paramref name="count"/> threads released together, and rethrows the first failure.</summary>
    private static void RunConcurrently(int count, Action<int> body)
    {
        using var start = new ManualResetEventSlim();
        var failures = new List<Exception>();
        var threads = new Thread[count];
        for (int t = 0; t < count; t++)
        {
            int index = t;
            threads[t] = new Thread(() =>
            {
                start.Wait();
                try
                {
                    body(index);
                }
                catch (Exception exception)
                {
                    lock (failures)
                        failures.Add(exception);
                }
            });
            threads[t].Start();
        }

        start.Set();
        foreach (var thread in threads)
            Assert.True(thread.Join(TimeSpan.FromMinutes(2)), "a stress thread did not finish: deadlock or lost wake-up");

        if (failures.Count > 0)
            throw new AggregateException(failures);
    }
}
