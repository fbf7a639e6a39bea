using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;

namespace Lockstep.Tests.LockOrdering;

/// <summary>Runs bodies on dedicated background threads with a watchdog: a hang fails the test instead of hanging it.</summary>
internal static class Workers
{
    public static readonly TimeSpan Watchdog = TimeSpan.FromSeconds(20);

    /// <summary>Runs <paramref name="body"/> on <paramref name="threads"/> threads started together; rethrows the first failure.</summary>
    public static void Run(int threads, Action<int> body) => Run(threads, body, Watchdog);

    public static void Run(int threads, Action<int> body, TimeSpan watchdog)
    {
        var failures = new ConcurrentQueue<Exception>();
        using var start = new Barrier(threads);
        var workers = new Thread[threads];
        for (int t = 0; t < threads; t++)
        {
            int index = t;
            workers[t] = new Thread(() =>
            {
                try
                {
                    start.SignalAndWait();
                    body(index);
                }
                catch (Exception e)
                {
                    failures.Enqueue(e);
                }
            })
            {
                // A deadlocked worker must not keep the test host alive.
                IsBackground = true,
                Name = "lockorder-worker-" + index,
            };
            workers[t].Start();
        }

        DateTime deadline = DateTime.UtcNow + watchdog;
        foreach (Thread worker in workers)
        {
            TimeSpan left = deadline - DateTime.UtcNow;
            if (!worker.Join(left > TimeSpan.Zero ? left : TimeSpan.Zero))
            {
                int stuck = workers.Count(w => w.IsAlive);
                Assert.Fail($"Watchdog: {stuck} of {threads} workers still running after {watchdog.TotalSeconds:0} s; deadlock suspected.");
            }
        }

        if (failures.TryDequeue(out Exception? first))
            throw new AggregateException("A worker failed.", failures.Prepend(first));
    }

    /// <summary>Runs <paramref name="body"/> on one new thread and waits for it (with the watchdog).</summary>
    public static void OnOtherThread(Action body) => Run(1, _ => body());

    /// <summary>Runs <paramref name="body"/> on one new thread and returns its result.</summary>
    public static T OnOtherThread<T>(Func<T> body)
    {
        T result = default!;
        Run(1, _ => result = body());
        return result;
    }
}
