using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace Lockstep.Benchmarks.Primitives;

/// <summary>
/// <see cref="AsyncLock"/> against the BCL's usual async lock, a <see cref="SemaphoreSlim"/> with one slot
/// (<c>await WaitAsync()</c> … <c>finally { Release(); }</c>, the baseline), incrementing a shared counter.
/// "Uncontended": one flow takes and releases the lock in a loop (per acquire/release; goal: <see cref="AsyncLock"/>
/// within 1.2× of the baseline, allocating nothing). "Contended": four tasks increment one counter at once (per
/// increment, all tasks together; goal: at least the baseline's throughput). Both locks hand a released lock to the
/// first waiter and resume it asynchronously, so the contended figures measure the cost of those hand-offs.
/// </summary>
/// <remarks>
/// Run with <c>dotnet run -c Release --project bench/Lockstep.Benchmarks -- --filter *AsyncLockBenchmarks*</c> (add
/// <c>--job short</c> for a quick run); on a machine with fewer than four cores, or one busy with other work, the
/// contended figures measure time-slicing more than contention.
/// </remarks>
[Config(typeof(PrimitiveBenchmarkConfig))]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class AsyncLockBenchmarks
{
    private const string Uncontended = "Uncontended";
    private const string Contended = "Contended";

    // Acquisitions per invocation on one flow: enough that the loop, not the benchmark call, dominates.
    private const int Acquisitions = 1_000;
    private const int Tasks = 4;
    private const int AcquisitionsPerTask = 5_000;

    private readonly SemaphoreSlim _semaphore = new(1, 1);
    private readonly AsyncLock _lock = new();
    private int _counter;

    [Benchmark(Baseline = true, OperationsPerInvoke = Acquisitions)]
    [BenchmarkCategory(Uncontended)]
    public async ValueTask<int> SemaphoreSlimWaitAsync()
    {
        for (int i = 0; i < Acquisitions; i++)
        {
            await _semaphore.WaitAsync();
            try
            {
                _counter++;
            }
            finally
            {
                _semaphore.Release();
            }
        }

        return _counter;
    }

    [Benchmark(OperationsPerInvoke = Acquisitions)]
    [BenchmarkCategory(Uncontended)]
    public async ValueTask<int> AsyncLockLockAsync()
    {
        for (int i = 0; i < Acquisitions; i++)
        {
            using (await _lock.LockAsync())
            {
                _counter++;
            }
        }

        return _counter;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Tasks * AcquisitionsPerTask)]
    [BenchmarkCategory(Contended)]
    public Task<int> SemaphoreSlimWaitAsyncContended() => RunTasks(async () =>
    {
        for (int i = 0; i < AcquisitionsPerTask; i++)
        {
            await _semaphore.WaitAsync().ConfigureAwait(false);
            try
            {
                _counter++;
            }
            finally
            {
                _semaphore.Release();
            }
        }
    });

    [Benchmark(OperationsPerInvoke = Tasks * AcquisitionsPerTask)]
    [BenchmarkCategory(Contended)]
    public Task<int> AsyncLockLockAsyncContended() => RunTasks(async () =>
    {
        for (int i = 0; i < AcquisitionsPerTask; i++)
        {
            using (await _lock.LockAsync().ConfigureAwait(false))
            {
                _counter++;
            }
        }
    });

    // Starts the tasks on the thread pool behind a gate so they compete from the start; starting four tasks is noise
    // next to the 20,000 contended acquisitions of one invocation.
    private async Task<int> RunTasks(System.Func<Task> work)
    {
        var gate = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = new Task[Tasks];
        for (int t = 0; t < Tasks; t++)
        {
            tasks[t] = Task.Run(async () =>
            {
                await gate.Task.ConfigureAwait(false);
                await work().ConfigureAwait(false);
            });
        }

        gate.SetResult(true);
        await Task.WhenAll(tasks).ConfigureAwait(false);
        return _counter;
    }
}
