using System.Threading;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace Lockstep.Benchmarks.Primitives;

/// <summary>
/// <see cref="Guarded{T}"/> against the BCL ways to increment a shared counter: a <c>lock</c> statement on an object
/// (the baseline; <see cref="Guarded{T}"/> uses the same monitor), a <c>lock</c> on <see cref="Lock"/>, and
/// <see cref="Interlocked.Increment(ref int)"/>. "Uncontended": one thread, the cost of taking and releasing the lock
/// (per increment). "Contended": four threads increment one counter at once (per increment, all threads together).
/// </summary>
/// <remarks>
/// Run with <c>dotnet run -c Release --project bench/Lockstep.Benchmarks -- --filter *GuardedBenchmarks*</c>; on a
/// machine with fewer than four cores the contended figures measure time-slicing more than contention.
/// </remarks>
[Config(typeof(PrimitiveBenchmarkConfig))]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class GuardedBenchmarks
{
    private const string Uncontended = "Uncontended";
    private const string Contended = "Contended";

    // Increments per invocation on one thread: enough that the loop, not the benchmark call, dominates.
    private const int Increments = 1_000;
    private const int Threads = 4;
    private const int IncrementsPerThread = 50_000;

    private readonly object _monitor = new();
    private readonly Lock _lock = new();
    private readonly Guarded<int> _guarded = new(0);
    private int _counter;

    [Benchmark(Baseline = true, OperationsPerInvoke = Increments)]
    [BenchmarkCategory(Uncontended)]
    public int LockStatement()
    {
        for (int i = 0; i < Increments; i++)
        {
            lock (_monitor)
            {
                _counter++;
            }
        }

        return _counter;
    }

    [Benchmark(OperationsPerInvoke = Increments)]
    [BenchmarkCategory(Uncontended)]
    public int LockStatementOnLock()
    {
        for (int i = 0; i < Increments; i++)
        {
            lock (_lock)
            {
                _counter++;
            }
        }

        return _counter;
    }

    [Benchmark(OperationsPerInvoke = Increments)]
    [BenchmarkCategory(Uncontended)]
    public int GuardedLock()
    {
        int last = 0;
        for (int i = 0; i < Increments; i++)
        {
            using var scope = _guarded.Lock();
            last = ++scope.Value;
        }

        return last;
    }

    [Benchmark(OperationsPerInvoke = Increments)]
    [BenchmarkCategory(Uncontended)]
    public int GuardedUpdate()
    {
        int last = 0;
        for (int i = 0; i < Increments; i++)
            last = _guarded.Update(static (ref int v) => ++v);

        return last;
    }

    [Benchmark(OperationsPerInvoke = Increments)]
    [BenchmarkCategory(Uncontended)]
    public int InterlockedIncrement()
    {
        int last = 0;
        for (int i = 0; i < Increments; i++)
            last = Interlocked.Increment(ref _counter);

        return last;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Threads * IncrementsPerThread)]
    [BenchmarkCategory(Contended)]
    public int LockStatementContended()
    {
        RunOnThreads(() =>
        {
            for (int i = 0; i < IncrementsPerThread; i++)
            {
                lock (_monitor)
                {
                    _counter++;
                }
            }
        });
        return _counter;
    }

    [Benchmark(OperationsPerInvoke = Threads * IncrementsPerThread)]
    [BenchmarkCategory(Contended)]
    public int LockStatementOnLockContended()
    {
        RunOnThreads(() =>
        {
            for (int i = 0; i < IncrementsPerThread; i++)
            {
                lock (_lock)
                {
                    _counter++;
                }
            }
        });
        return _counter;
    }

    [Benchmark(OperationsPerInvoke = Threads * IncrementsPerThread)]
    [BenchmarkCategory(Contended)]
    public int GuardedLockContended()
    {
        RunOnThreads(() =>
        {
            for (int i = 0; i < IncrementsPerThread; i++)
            {
                using var scope = _guarded.Lock();
                scope.Value++;
            }
        });
        return _guarded.Read(static v => v);
    }

    [Benchmark(OperationsPerInvoke = Threads * IncrementsPerThread)]
    [BenchmarkCategory(Contended)]
    public int GuardedUpdateContended()
    {
        RunOnThreads(() =>
        {
            for (int i = 0; i < IncrementsPerThread; i++)
                _guarded.Update(static (ref int v) => v++);
        });
        return _guarded.Read(static v => v);
    }

    [Benchmark(OperationsPerInvoke = Threads * IncrementsPerThread)]
    [BenchmarkCategory(Contended)]
    public int InterlockedIncrementContended()
    {
        RunOnThreads(() =>
        {
            for (int i = 0; i < IncrementsPerThread; i++)
                Interlocked.Increment(ref _counter);
        });
        return _counter;
    }

    // Starts the threads behind a gate so they increment at the same time; creating and joining four threads is
    // noise next to the 200,000 contended increments of one invocation.
    private static void RunOnThreads(ThreadStart work)
    {
        using var gate = new ManualResetEventSlim();
        var threads = new Thread[Threads];
        for (int t = 0; t < Threads; t++)
        {
            threads[t] = new Thread(() =>
            {
                gate.Wait();
                work();
            });
            threads[t].Start();
        }

        gate.Set();
        foreach (var thread in threads)
            thread.Join();
    }
}
