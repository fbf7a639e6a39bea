using System;
using System.Collections.Generic;
using System.Threading;

namespace Lockstep.Tests.Testing;

/// <summary>Shared by the stress tests: real threads released together, failures collected, a bound instead of a hang.</summary>
internal static class StressThreads
{
    /// <summary>
    /// Runs <paramref name="body"/> on <paramref name="count"/> new threads released together and rethrows their
    /// failures. A thread still running after two minutes fails the test (a deadlock or a lost wake-up) instead of hanging it.
    /// </summary>
    public static void Run(int count, Action<int> body)
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
        {
            if (!thread.Join(TimeSpan.FromMinutes(2)))
                throw new TimeoutException("A stress thread did not finish: deadlock or lost wake-up.");
        }

        if (failures.Count > 0)
            throw new AggregateException(failures);
    }
}
