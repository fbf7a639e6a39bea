using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;

namespace Lockstep.Benchmarks.Primitives;

/// <summary>
/// Throughput of <see cref="BoundedWorkQueue"/> against the other ways to run many small work items: a hand-written
/// bounded <see cref="Channel{T}"/> drained by N worker tasks (the baseline; the goal is at least 0.8 of its
/// throughput, so a ratio of at most 1.25), <see cref="Parallel.ForEach{TSource}(System.Collections.Generic.IEnumerable{TSource}, ParallelOptions, Action{TSource})"/>
/// and <see cref="Parallel.ForEachAsync{TSource}(System.Collections.Generic.IEnumerable{TSource}, ParallelOptions, Func{TSource, CancellationToken, ValueTask})"/>
/// with N as their degree of parallelism, and a thread started per item. N is <see cref="Environment.ProcessorCount"/>.
/// </summary>
/// <remarks>
/// <para>
/// Each item is busy work (<see cref="Thread.SpinWait(int)"/>, calibrated once per run to about 1 or 100 µs), never a
/// sleep, so the figures compare how much of the processors' time each way spends on the items. Times are per item. One
/// producer enqueues every item and waits when the queue is full, as a server accepting work would; the queue and the
/// channel hold 256 items. The thread-per-item case runs 100 items, not 2,000: it is orders of magnitude slower.
/// </para>
/// <para>
/// What the queue does beyond the channel loop is part of its cost here: it runs each item in the execution context of
/// the code that enqueued it and records failures for <see cref="BoundedWorkQueue.CompleteAsync()"/>.
/// </para>
/// <para>
/// Run with <c>dotnet run -c Release --project bench/Lockstep.Benchmarks -- --filter *BoundedWorkQueueBenchmarks*</c>;
/// add <c>--job short</c> (or <c>--job dry</c> to check that it runs) for a quick look. Figures measured on a machine busy
/// with other work mean little: the items compete with it for the processors.
/// </para>
/// </remarks>
[Config(typeof(PrimitiveBenchmarkConfig))]
public class BoundedWorkQueueBenchmarks
{
    private const int Items = 2_000;
    private const int ThreadItems = 100;
    private const int QueueCapacity = 256;

    private readonly int _workers = Environment.ProcessorCount;
    private readonly int[] _itemIds = new int[Items];
    private readonly ConcurrentQueue<Exception> _channelFailures = new();
    private Action _work = static () => { };
    private int _spinsPerItem;

    /// <summary>How long each work item keeps a processor busy, in microseconds.</summary>
    [Params(1, 100)]
    public int WorkMicroseconds { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _spinsPerItem = Calibrate(WorkMicroseconds);
        int spins = _spinsPerItem;
        _work = () => Thread.SpinWait(spins);
        Console.WriteLine($"// {WorkMicroseconds} µs of work = Thread.SpinWait({spins}) on this machine; N = {_workers}");
    }

    /// <summary>The baseline: a bounded channel and N tasks that read it, written as a careful user would.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Items)]
    public async Task ChannelAndWorkers()
    {
        var channel = Channel.CreateBounded<Action>(new BoundedChannelOptions(QueueCapacity) { FullMode = BoundedChannelFullMode.Wait });
        var workers = new Task[_workers];
        for (int w = 0; w < workers.Length; w++)
            workers[w] = Task.Run(() => DrainAsync(channel.Reader, _channelFailures));

        var writer = channel.Writer;
        for (int i = 0; i < Items; i++)
            await writer.WriteAsync(_work).ConfigureAwait(false);

        writer.Complete();
        await Task.WhenAll(workers).ConfigureAwait(false);
    }

    [Benchmark(OperationsPerInvoke = Items)]
    public async Task WorkQueue()
    {
        var queue = new BoundedWorkQueue(_workers, QueueCapacity);
        for (int i = 0; i < Items; i++)
            await queue.EnqueueAsync(_work).ConfigureAwait(false);

        await queue.CompleteAsync().ConfigureAwait(false);
    }

    [Benchmark(OperationsPerInvoke = Items)]
    public void ParallelForEach()
    {
        var work = _work;
        Parallel.ForEach(_itemIds, new ParallelOptions { MaxDegreeOfParallelism = _workers }, _ => work());
    }

    /// <summary>The async counterpart of <see cref="ParallelForEach"/>: N concurrent bodies over the items.</summary>
    [Benchmark(OperationsPerInvoke = Items)]
    public Task ParallelForEachAsync()
    {
        var work = _work;
        return Parallel.ForEachAsync(_itemIds, new ParallelOptions { MaxDegreeOfParallelism = _workers }, (_, _) =>
        {
            work();
            return ValueTask.CompletedTask;
        });
    }

    /// <summary>The pitfall LS4001 reports: a new thread for every item, all started, then all joined.</summary>
    [Benchmark(OperationsPerInvoke = ThreadItems)]
    public void ThreadPerItem()
    {
        var threads = new Thread[ThreadItems];
        for (int i = 0; i < threads.Length; i++)
        {
            threads[i] = new Thread(() => _work());
            threads[i].Start();
        }

        foreach (var thread in threads)
            thread.Join();
    }

    private static async Task DrainAsync(ChannelReader<Action> reader, ConcurrentQueue<Exception> failures)
    {
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var item))
            {
                try
                {
                    item();
                }
                catch (Exception e)
                {
                    failures.Enqueue(e); // a fair loop does not let one failing item stop its worker
                }
            }
        }
    }

    // SpinWait iterations that take about the given time here: the fastest of several probes, so that a probe the OS
    // interrupted does not make the items shorter than intended.
    private static int Calibrate(int microseconds)
    {
        const int Probe = 20_000;
        double best = double.MaxValue;
        for (int round = 0; round < 25; round++)
        {
            long start = Stopwatch.GetTimestamp();
            Thread.SpinWait(Probe);
            double elapsed = (Stopwatch.GetTimestamp() - start) * 1e6 / Stopwatch.Frequency;
            best = Math.Min(best, elapsed);
        }

        return Math.Max(1, (int)Math.Round(Probe * microseconds / best));
    }
}
