using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Lockstep.Tests.WorkQueue;

/// <summary>Bounded waits for the work-queue tests: a bug shows up as a failure, never as a hung test run.</summary>
internal static class WorkQueueTesting
{
    // Generous on purpose: nothing asserts how fast anything is, and two shared cores may be busy with other builds.
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>Awaits <paramref name="task"/>, failing with <see cref="TimeoutException"/> instead of hanging.</summary>
    public static Task Within(this Task task) => task.WaitAsync(Patience);

    /// <summary>Awaits <paramref name="task"/>, failing with <see cref="TimeoutException"/> instead of hanging.</summary>
    public static Task Within(this ValueTask task) => task.AsTask().WaitAsync(Patience);

    /// <summary>Blocks a work item until <paramref name="gate"/> opens; throws (a reported failure) if it never does.</summary>
    public static void Await(this ManualResetEventSlim gate)
    {
        if (!gate.Wait(Patience))
            throw new TimeoutException("The test never opened the gate this work item waits for.");
    }

    /// <summary>Polls until <paramref name="condition"/> holds, failing the test if it never does.</summary>
    public static void WaitUntil(Func<bool> condition, string what)
    {
        if (!SpinWait.SpinUntil(condition, Patience))
            throw new TimeoutException("Timed out waiting until " + what + ".");
    }

    /// <summary>Keeps a processor busy for about <paramref name="iterations"/> short steps (no sleeping).</summary>
    public static void Spin(int iterations) => Thread.SpinWait(iterations);

    /// <summary>Raises <paramref name="maximum"/> to <paramref name="candidate"/> if it is larger, atomically.</summary>
    public static void RaiseTo(ref int maximum, int candidate)
    {
        int seen = Volatile.Read(ref maximum);
        while (candidate > seen)
        {
            int previous = Interlocked.CompareExchange(ref maximum, candidate, seen);
            if (previous == seen)
                return;
            seen = previous;
        }
    }

    /// <summary>Runs <paramref name="body"/> on <paramref name="count"/> new threads released together; rethrows their failures.</summary>
    public static void RunOnThreads(int count, Action<int> body)
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
            if (!thread.Join(TimeSpan.FromMinutes(2)))
                throw new TimeoutException("A producer thread did not finish: deadlock or lost wake-up.");

        if (failures.Count > 0)
            throw new AggregateException(failures);
    }
}
