namespace Lockstep.Benchmarks.Corpus;

/// <summary>Infrastructure every generated file uses (logging, metrics, simulated I/O, a rate limiter, a batching queue).</summary>
internal static class SharedSources
{
    public const string Infrastructure = """
        using System;
        using System.Collections.Concurrent;
        using System.Collections.Generic;
        using System.IO;
        using System.Linq;
        using System.Net.Http;
        using System.Text;
        using System.Threading;
        using System.Threading.Tasks;

        namespace Corpus.Shared;

        public static class Log
        {
            private const int Capacity = 10_000;
            private static readonly object Gate = new();
            private static readonly Queue<string> Lines = new();
            private static int _dropped;

            public static int Dropped => Volatile.Read(ref _dropped);

            public static void Info(string message)
            {
                var line = $"{DateTime.UtcNow:HH:mm:ss.fff} [{Environment.CurrentManagedThreadId}] {message}";
                lock (Gate)
                {
                    if (Lines.Count == Capacity)
                    {
                        Lines.Dequeue();
                        Interlocked.Increment(ref _dropped);
                    }

                    Lines.Enqueue(line);
                }
            }

            public static void Warn(string message, Exception? error = null) =>
                Info(error is null ? "WARN " + message : $"WARN {message}: {error.GetType().Name}: {error.Message}");

            public static string[] Tail(int count)
            {
                lock (Gate)
                {
                    return Lines.Skip(Math.Max(0, Lines.Count - count)).ToArray();
                }
            }
        }

        public static class Metrics
        {
            private static readonly ConcurrentDictionary<string, long> Counters = new(StringComparer.Ordinal);

            public static void Increment(string name) => Counters.AddOrUpdate(name, 1, static (_, value) => value + 1);

            public static void Observe(string name, TimeSpan elapsed)
            {
                var ms = (long)elapsed.TotalMilliseconds;
                Counters.AddOrUpdate(name + ".ms", ms, (_, value) => value + ms);
                Increment(name + ".count");
            }

            public static long Read(string name) => Counters.TryGetValue(name, out var value) ? value : 0;

            public static IReadOnlyDictionary<string, long> Snapshot() => new Dictionary<string, long>(Counters, StringComparer.Ordinal);
        }

        public static class SimulatedIo
        {
            private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

            public static async Task<string> ReadAsync(string path, CancellationToken ct)
            {
                await Task.Delay(1 + (path.Length % 3), ct).ConfigureAwait(false);
                Metrics.Increment("io.read");
                return path.ToUpperInvariant();
            }

            public static async Task<int> WriteAsync(string path, ReadOnlyMemory<byte> data, CancellationToken ct)
            {
                await using var stream = new MemoryStream();
                await stream.WriteAsync(data, ct).ConfigureAwait(false);
                await stream.FlushAsync(ct).ConfigureAwait(false);
                Metrics.Increment("io.write");
                return (int)stream.Length + path.Length;
            }

            public static async ValueTask<byte[]> DownloadAsync(Uri uri, CancellationToken ct)
            {
                using var response = await Http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
                response.EnsureSuccessStatusCode();
                return await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
            }

            /// <summary>The synchronous API of the legacy storage layer.</summary>
            public static string ReadBlocking(string path)
            {
                Thread.Sleep(2);
                Metrics.Increment("io.read.sync");
                return File.Exists(path) ? File.ReadAllText(path, Encoding.UTF8) : path;
            }
        }

        public interface IClock
        {
            DateTime UtcNow { get; }
        }

        public sealed class SystemClock : IClock
        {
            public static readonly SystemClock Instance = new();

            public DateTime UtcNow => DateTime.UtcNow;
        }

        public static class Retry
        {
            public static async Task<T> WithBackoffAsync<T>(Func<CancellationToken, Task<T>> action, int attempts, TimeSpan delay, CancellationToken ct)
            {
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        return await action(ct).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (attempt < attempts && ex is IOException or HttpRequestException or TimeoutException)
                    {
                        Log.Warn($"attempt {attempt} of {attempts} failed", ex);
                        await Task.Delay(delay * attempt, ct).ConfigureAwait(false);
                    }
                }
            }
        }
        """;

    public const string Concurrency = """
        using System;
        using System.Collections.Concurrent;
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading;
        using System.Threading.Channels;
        using System.Threading.Tasks;

        namespace Corpus.Shared;

        /// <summary>Token bucket: at most <c>permits</c> operations per period.</summary>
        public sealed class RateLimiter : IDisposable
        {
            private readonly SemaphoreSlim _permits;
            private readonly Timer _refill;
            private readonly int _capacity;

            public RateLimiter(int permits, TimeSpan period)
            {
                _capacity = permits;
                _permits = new SemaphoreSlim(permits, permits);
                _refill = new Timer(_ => Refill(), null, period, period);
            }

            public Task WaitAsync(CancellationToken ct) => _permits.WaitAsync(ct);

            public void Dispose()
            {
                _refill.Dispose();
                _permits.Dispose();
            }

            private void Refill()
            {
                var missing = _capacity - _permits.CurrentCount;
                if (missing > 0)
                {
                    _permits.Release(missing);
                }
            }
        }

        /// <summary>Collects items and hands them to a consumer in batches, from a single background loop.</summary>
        public sealed class BatchingQueue<T> : IAsyncDisposable
        {
            private readonly Channel<T> _channel;
            private readonly Func<IReadOnlyList<T>, CancellationToken, Task> _consumer;
            private readonly int _batchSize;
            private readonly CancellationTokenSource _stop = new();
            private readonly Task _loop;

            public BatchingQueue(int batchSize, Func<IReadOnlyList<T>, CancellationToken, Task> consumer)
            {
                _batchSize = batchSize;
                _consumer = consumer;
                _channel = Channel.CreateUnbounded<T>(new UnboundedChannelOptions { SingleReader = true });
                _loop = Task.Run(RunAsync);
            }

            public ValueTask EnqueueAsync(T item, CancellationToken ct = default) => _channel.Writer.WriteAsync(item, ct);

            public async ValueTask DisposeAsync()
            {
                _channel.Writer.TryComplete();
                await _loop.ConfigureAwait(false);
                _stop.Dispose();
            }

            private async Task RunAsync()
            {
                var batch = new List<T>(_batchSize);
                while (await _channel.Reader.WaitToReadAsync(_stop.Token).ConfigureAwait(false))
                {
                    while (batch.Count < _batchSize && _channel.Reader.TryRead(out var item))
                    {
                        batch.Add(item);
                    }

                    await _consumer(batch.ToArray(), _stop.Token).ConfigureAwait(false);
                    batch.Clear();
                }
            }
        }

        /// <summary>One lock object per key, so unrelated keys do not contend.</summary>
        public sealed class KeyedLocks<TKey>
            where TKey : notnull
        {
            private readonly ConcurrentDictionary<TKey, object> _locks = new();

            public T Run<T>(TKey key, Func<T> action)
            {
                var gate = _locks.GetOrAdd(key, static _ => new object());
                lock (gate)
                {
                    return action();
                }
            }

            public int Count => _locks.Count;
        }

        public static class TaskExtensions
        {
            public static async Task<T[]> WhenAllThrottled<T>(this IEnumerable<Func<Task<T>>> work, int maxParallel, CancellationToken ct)
            {
                using var slots = new SemaphoreSlim(maxParallel);
                var tasks = work.Select(async next =>
                {
                    await slots.WaitAsync(ct).ConfigureAwait(false);
                    try
                    {
                        return await next().ConfigureAwait(false);
                    }
                    finally
                    {
                        slots.Release();
                    }
                });
                return await Task.WhenAll(tasks).ConfigureAwait(false);
            }

            public static void Forget(this Task task) =>
                task.ContinueWith(t => Log.Warn("background task failed", t.Exception), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }
        """;
}
