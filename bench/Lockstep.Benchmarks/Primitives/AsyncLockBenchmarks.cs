using System;
using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using NitoAsyncLock = Nito.AsyncEx.AsyncLock;

namespace Lockstep.Benchmarks.Primitives;

/// <summary>
/// <see cref="AsyncLock"/> against its peers: the BCL's usual async lock, a <see cref="SemaphoreSlim"/> with one slot
/// (<c>await WaitAsync()</c> … <c>finally { Release(); }</c>, the baseline), and <c>Nito.AsyncEx.AsyncLock</c>
/// (Nito.AsyncEx.Coordination), each incrementing a shared counter.
/// </summary>
/// <remarks>
/// <para>
/// "Uncontended": one flow takes and releases the lock in a loop (per acquire/release). Goals: <see cref="AsyncLock"/>
/// within 1.2× of the baseline, at least as fast as Nito's, allocating nothing. "Contended4" and "Contended16": 4 or 16
/// tasks increment one counter at once (per increment, all tasks together); every lock hands a released lock to the
/// first waiter and resumes it asynchronously, so these measure the hand-offs. "Cancellation": 4 tasks, each
/// acquisition with a token of its own, and every other waiter that finds the lock held cancels its wait (per attempt).
/// </para>
/// <para>
/// Run with <c>dotnet run -c Release --project bench/Lockstep.Benchmarks -- --filter *AsyncLockBenchmarks*</c> (add
/// <c>--job short</c> for a quick run); on a machine with fewer cores than tasks, or one busy with other work, the
/// contended figures measure time-slicing more than contention.
/// </para>
/// </remarks>
[Config(typeof(PrimitiveBenchmarkConfig))]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class AsyncLockBenchmarks
{
    private const string Uncontended = "Uncontended";
    private const string Contended4 = "Contended4";
    private const string Contended16 = "Contended16";
    private const string Cancellation = "Cancellation";

    // Acquisitions per invocation on one flow: enough that the loop, not the benchmark call, dominates.
    private const int Acquisitions = 1_000;
    private const int AcquisitionsPerTask = 2_000;
    private const int CancellationTasks = 4;
    private const int AttemptsPerTask = 1_000;

    private readonly SemaphoreSlim _semaphore = new(1, 1);
    private readonly AsyncLock _lock = new();
    private readonly NitoAsyncLock _nito = new();
    private int _counter;

    [Benchmark(Baseline = true, OperationsPerInvoke = Acquisitions)]
    [BenchmarkCategory(Uncontended)]
    public async ValueTask<int> SemaphoreSlim_()
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
    public async ValueTask<int> Lockstep_()
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

    [Benchmark(OperationsPerInvoke = Acquisitions)]
    [BenchmarkCategory(Uncontended)]
    public async ValueTask<int> Nito_()
    {
        for (int i = 0; i < Acquisitions; i++)
        {
            using (await _nito.LockAsync())
            {
                _counter++;
            }
        }

        return _counter;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = 4 * AcquisitionsPerTask)]
    [BenchmarkCategory(Contended4)]
    public Task<int> SemaphoreSlim4() => RunTasks(4, SemaphoreLoop);

    [Benchmark(OperationsPerInvoke = 4 * AcquisitionsPerTask)]
    [BenchmarkCategory(Contended4)]
    public Task<int> Lockstep4() => RunTasks(4, LockstepLoop);

    [Benchmark(OperationsPerInvoke = 4 * AcquisitionsPerTask)]
    [BenchmarkCategory(Contended4)]
    public Task<int> Nito4() => RunTasks(4, NitoLoop);

    [Benchmark(Baseline = true, OperationsPerInvoke = 16 * AcquisitionsPerTask)]
    [BenchmarkCategory(Contended16)]
    public Task<int> SemaphoreSlim16() => RunTasks(16, SemaphoreLoop);

    [Benchmark(OperationsPerInvoke = 16 * AcquisitionsPerTask)]
    [BenchmarkCategory(Contended16)]
    public Task<int> Lockstep16() => RunTasks(16, LockstepLoop);

    [Benchmark(OperationsPerInvoke = 16 * AcquisitionsPerTask)]
    [BenchmarkCategory(Contended16)]
    public Task<int> Nito16() => RunTasks(16, NitoLoop);

    [Benchmark(Baseline = true, OperationsPerInvoke = CancellationTasks * AttemptsPerTask)]
    [BenchmarkCategory(Cancellation)]
    public Task<int> SemaphoreSlimCancelling() => RunTasks(CancellationTasks, async () =>
    {
        for (int i = 0; i < AttemptsPerTask; i++)
        {
            using var cts = new CancellationTokenSource();
            Task wait = _semaphore.WaitAsync(cts.Token);
            if ((i & 1) == 1 && !wait.IsCompleted)
                cts.Cancel();
            try
            {
                await wait.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                continue;
            }

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

    [Benchmark(OperationsPerInvoke = CancellationTasks * AttemptsPerTask)]
    [BenchmarkCategory(Cancellation)]
    public Task<int> LockstepCancelling() => RunTasks(CancellationTasks, async () =>
    {
        for (int i = 0; i < AttemptsPerTask; i++)
        {
            using var cts = new CancellationTokenSource();
            ValueTask<AsyncLock.Scope> wait = _lock.LockAsync(cts.Token);
            if ((i & 1) == 1 && !wait.IsCompleted)
                cts.Cancel();
            try
            {
                using (await wait.ConfigureAwait(false))
                    _counter++;
            }
            catch (OperationCanceledException)
            {
            }
        }
    });

    [Benchmark(OperationsPerInvoke = CancellationTasks * AttemptsPerTask)]
    [BenchmarkCategory(Cancellation)]
    public Task<int> NitoCancelling() => RunTasks(CancellationTasks, async () =>
    {
        for (int i = 0; i < AttemptsPerTask; i++)
        {
            using var cts = new CancellationTokenSource();
            var wait = _nito.LockAsync(cts.Token).AsTask();
            if ((i & 1) == 1 && !wait.IsCompleted)
                cts.Cancel();
            try
            {
                using (await wait.ConfigureAwait(false))
                    _counter++;
            }
            catch (OperationCanceledException)
            {
            }
        }
    });

    private async Task SemaphoreLoop()
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
    }

    private async Task LockstepLoop()
    {
        for (int i = 0; i < AcquisitionsPerTask; i++)
        {
            using (await _lock.LockAsync().ConfigureAwait(false))
                _counter++;
        }
    }

    private async Task NitoLoop()
    {
        for (int i = 0; i < AcquisitionsPerTask; i++)
        {
            using (await _nito.LockAsync().ConfigureAwait(false))
                _counter++;
        }
    }

    // Starts the tasks on the thread pool behind a gate so they compete from the start; starting them is noise next to
    // the thousands of contended acquisitions of one invocation.
    private async Task<int> RunTasks(int count, Func<Task> work)
    {
        var gate = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = new Task[count];
        for (int t = 0; t < count; t++)
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
