using System.Collections.Generic;

namespace Lockstep.Benchmarks.Corpus;

/// <summary>The service: async application logic over the store (fan-outs, retries, timeouts, pipelines, LINQ).</summary>
internal static class ServiceTemplates
{
    public static void AddMandatory(FileContext f, ClassContext c)
    {
        string store = Store(f, c);
        c.Constructor = $$"""
            public {{c.Name}}({{f.IStoreType}} store)
            {
                {{store}} = store ?? throw new ArgumentNullException(nameof(store));
            }
            """;
    }

    public static readonly IReadOnlyList<MemberTemplate> Optional = new MemberTemplate[]
    {
        new("GetCached", 1.2, null, (f, c) => $$"""
            public async Task<{{f.E}}?> {{c.Unique(f.Load + f.E + "Async")}}(int {{f.Id}}, CancellationToken {{f.Ct}} = default)
            {
                if ({{Cache(f, c)}}.TryGetValue({{f.Id}}, out var cached))
                {
                    return cached;
                }

                var loaded = await {{Store(f, c)}}.{{f.Load}}Async({{f.Id}}, {{f.Ct}}){{f.CA}};
                if (loaded is not null)
                {
                    {{Cache(f, c)}}[{{f.Id}}] = loaded;
                }

                return loaded;
            }
            """),
        new("LoadMany", 1.2, null, (f, c) => $$"""
            public async Task<IReadOnlyList<{{f.E}}>> {{c.Unique(f.Load + "ManyAsync")}}(IReadOnlyCollection<int> ids, CancellationToken {{f.Ct}})
            {
                var lookups = ids.Distinct().Select(x => {{Store(f, c)}}.{{f.Load}}Async(x, {{f.Ct}}));
                var found = await Task.WhenAll(lookups){{f.CA}};
                return found.OfType<{{f.E}}>().ToList();
            }
            """),
        new("ThrottledFanOut", 1, null, (f, c) => $$"""
            public async Task<int> {{c.Unique(f.Refresh + "AllAsync")}}(IEnumerable<int> ids, CancellationToken {{f.Ct}})
            {
                var refreshed = 0;
                var work = ids.Select(async x =>
                {
                    await {{Throttle(f, c)}}.WaitAsync({{f.Ct}}){{f.CA}};
                    try
                    {
                        var item = await {{Store(f, c)}}.{{f.Load}}Async(x, {{f.Ct}}){{f.CA}};
                        if (item is null)
                        {
                            return;
                        }

                        await {{Store(f, c)}}.{{f.Save}}Async({{f.Touched("item")}}, {{f.Ct}}){{f.CA}};
                        Interlocked.Increment(ref refreshed);
                    }
                    finally
                    {
                        {{Throttle(f, c)}}.Release();
                    }
                });

                await Task.WhenAll(work){{f.CA}};
                return refreshed;
            }
            """),
        new("Summarize", 1, null, (f, c) => $$"""
            public async Task<IReadOnlyList<{{f.SummaryType}}>> {{c.Unique("SummarizeBy" + f.S + "Async")}}(CancellationToken {{f.Ct}})
            {
                var all = await {{Store(f, c)}}.{{f.List}}Async({{f.Ct}}){{f.CA}};
                return all
                    .Where(x => x.{{f.I}} > {{f.Random.Next(0, 4)}})
                    .GroupBy(x => x.{{f.S}}, StringComparer.OrdinalIgnoreCase)
                    .Select(g => new {{f.SummaryType}}(g.Key, g.Sum(x => x.{{f.N}}), g.Count()))
                    .OrderByDescending(s => s.Total)
                    .ThenBy(s => s.Key, StringComparer.Ordinal)
                    .Take({{f.Random.Next(5, 50)}})
                    .ToList();
            }
            """),
        new("LocalFunction", 1, null, (f, c) => $$"""
            public async Task<{{f.NT}}> {{c.Unique(f.Compute + "TotalAsync")}}(IEnumerable<int> ids, CancellationToken {{f.Ct}})
            {
                {{f.NT}} total = 0;
                foreach (var x in ids)
                {
                    total += await ValueOf(x){{f.CA}};
                }

                return total;

                async Task<{{f.NT}}> ValueOf(int itemId)
                {
                    var item = await {{Store(f, c)}}.{{f.Load}}Async(itemId, {{f.Ct}}){{f.CA}};
                    return item is null ? 0 : Adjust(item.{{f.N}}, item.{{f.I}});
                }

                static {{f.NT}} Adjust({{f.NT}} value, int weight) => weight > {{f.Small()}} ? value * {{f.Num(1.1)}} : value;
            }
            """),
        new("Retry", 1, null, (f, c) => $$"""
            public async Task<{{f.E}}> {{c.Unique(f.Load + "WithRetryAsync")}}(int {{f.Id}}, CancellationToken {{f.Ct}})
            {
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        var item = await {{Store(f, c)}}.{{f.Load}}Async({{f.Id}}, {{f.Ct}}){{f.CA}};
                        return item ?? throw new KeyNotFoundException($"{{f.E}} {{{f.Id}}} was not found");
                    }
                    catch (IOException ex) when (attempt < {{f.Random.Next(3, 6)}})
                    {
                        Log.Warn($"attempt {attempt} failed", ex);
                        await Task.Delay(TimeSpan.FromMilliseconds({{f.Ms()}} * attempt), {{f.Ct}}){{f.CA}};
                    }
                }
            }
            """),
        new("Timeout", 1, null, (f, c) => $$"""
            public async Task<{{f.E}}?> {{c.Unique(f.Load + "WithinAsync")}}(int {{f.Id}}, TimeSpan timeout, CancellationToken {{f.Ct}})
            {
                using var linked = CancellationTokenSource.CreateLinkedTokenSource({{f.Ct}});
                linked.CancelAfter(timeout);
                try
                {
                    return await {{Store(f, c)}}.{{f.Load}}Async({{f.Id}}, linked.Token){{f.CA}};
                }
                catch (OperationCanceledException) when (!{{f.Ct}}.IsCancellationRequested)
                {
                    Log.Warn($"{{f.E}} {{{f.Id}}} timed out after {timeout}");
                    return null;
                }
            }
            """),
        new("WhenAny", 0.8, null, (f, c) =>
        {
            // Half the time the completed task is read with .Result: proven complete, so not a blocking wait.
            string read = f.Random.Chance(0.5) ? $"await load{f.CA}" : "load.Result";
            return $$"""
                public async Task<bool> {{c.Unique("TryWarmAsync")}}(int {{f.Id}}, CancellationToken {{f.Ct}})
                {
                    var load = {{Store(f, c)}}.{{f.Load}}Async({{f.Id}}, {{f.Ct}});
                    var delay = Task.Delay({{f.Ms()}}, {{f.Ct}});
                    var first = await Task.WhenAny(load, delay){{f.CA}};
                    if (first != load)
                    {
                        return false;
                    }

                    var item = {{read}};
                    return item is not null;
                }
                """;
        }),
        new("WhenAllThenResult", 0.6, null, (f, c) => $$"""
            public async Task<{{f.NT}}> {{c.Unique("CompareAsync")}}(int left, int right, CancellationToken {{f.Ct}})
            {
                var first = {{Store(f, c)}}.{{f.Load}}Async(left, {{f.Ct}});
                var second = {{Store(f, c)}}.{{f.Load}}Async(right, {{f.Ct}});
                await Task.WhenAll(first, second){{f.CA}};

                // Both tasks are complete here, so reading Result does not block.
                var a = first.Result?.{{f.N}} ?? 0;
                var b = second.Result?.{{f.N}} ?? 0;
                return a - b;
            }
            """),
        new("ParallelForEachAsync", 1, null, (f, c) => $$"""
            public async Task {{c.Unique(f.Process + "BatchAsync")}}(IReadOnlyList<{{f.E}}> batch, CancellationToken {{f.Ct}})
            {
                var options = new ParallelOptions { MaxDegreeOfParallelism = {{f.Small()}}, CancellationToken = {{f.Ct}} };
                await Parallel.ForEachAsync(batch, options, async (item, itemToken) =>
                {
                    await {{Store(f, c)}}.{{f.Save}}Async(item, itemToken){{f.CA}};
                    Interlocked.Increment(ref {{Processed(c)}});
                }){{f.CA}};
            }
            """),
        new("Channel", 0.8, null, (f, c) => $$"""
            public async Task<int> {{c.Unique("PumpAsync")}}(IAsyncEnumerable<int> source, CancellationToken {{f.Ct}})
            {
                var channel = Channel.CreateBounded<{{f.E}}>(new BoundedChannelOptions({{f.Random.Next(16, 257)}}) { SingleReader = true });
                var producer = Task.Run(async () =>
                {
                    try
                    {
                        await foreach (var next in source.WithCancellation({{f.Ct}}))
                        {
                            var item = await {{Store(f, c)}}.{{f.Load}}Async(next, {{f.Ct}}){{f.CA}};
                            if (item is not null)
                            {
                                await channel.Writer.WriteAsync(item, {{f.Ct}}){{f.CA}};
                            }
                        }
                    }
                    finally
                    {
                        channel.Writer.Complete();
                    }
                }, {{f.Ct}});

                var units = 0;
                await foreach (var item in channel.Reader.ReadAllAsync({{f.Ct}}))
                {
                    units += item.{{f.I}};
                }

                await producer{{f.CA}};
                return units;
            }
            """),
        new("StreamCount", 1, null, (f, c) => $$"""
            public async Task<Dictionary<string, int>> {{c.Unique("CountBy" + f.S + "Async")}}(CancellationToken {{f.Ct}})
            {
                var counts = new Dictionary<string, int>(StringComparer.Ordinal);
                await foreach (var item in {{Store(f, c)}}.{{f.Stream}}Async({{f.Ct}}){{f.CA}})
                {
                    counts[item.{{f.S}}] = counts.TryGetValue(item.{{f.S}}, out var seen) ? seen + 1 : 1;
                }

                return counts;
            }
            """),
        new("SyncOverAsyncFacade", 0.5, null, (f, c) => $$"""
            // Kept for the synchronous callers of the old API; async callers use the async overload.
            public {{f.E}}? {{c.Unique(f.Load + "Blocking")}}(int {{f.Id}}) =>
                {{Store(f, c)}}.{{f.Load}}Async({{f.Id}}, CancellationToken.None).GetAwaiter().GetResult();
            """),
        new("Properties", 0.8, null, (f, c) => $$"""
            public int {{c.Unique("CachedCount")}} => {{Cache(f, c)}}.Count;

            public int {{c.Unique("ProcessedCount")}} => Volatile.Read(ref {{Processed(c)}});
            """),
        new("SaveValidated", 1, null, (f, c) => $$"""
            public async Task {{c.Unique(f.Save + f.E + "Async")}}({{f.E}} item, CancellationToken {{f.Ct}})
            {
                {{f.HelpersType}}.{{HelperTemplates.EnsureValidate(f)}}(item);
                var stopwatch = Stopwatch.StartNew();
                await {{Store(f, c)}}.{{f.Save}}Async(item, {{f.Ct}}){{f.CA}};
                {{Cache(f, c)}}[item.Id] = item;
                Metrics.Observe("{{f.Camel}}.save", stopwatch.Elapsed);
            }
            """),
        new("Event", 0.6, null, (f, c) =>
        {
            string changed = c.Unique(f.Random.Pick(new[] { "Changed", f.E + "Changed", "Updated" }));
            return $$"""
                public event EventHandler<{{f.E}}>? {{changed}};

                private void {{c.Unique("On" + changed)}}({{f.E}} item) => {{changed}}?.Invoke(this, item);
                """;
        }),
        new("Import", 0.8, null, (f, c) => $$"""
            public async Task<int> {{c.Unique("ImportAsync")}}(TextReader reader, CancellationToken {{f.Ct}})
            {
                var imported = 0;
                string? line;
                while ((line = await reader.ReadLineAsync({{f.Ct}}){{f.CA}}) is not null)
                {
                    if (!{{f.HelpersType}}.{{HelperTemplates.EnsureTryParse(f)}}(line, out var item))
                    {
                        Log.Warn($"skipped line: {line}");
                        continue;
                    }

                    await {{Store(f, c)}}.{{f.Save}}Async(item, {{f.Ct}}){{f.CA}};
                    imported++;
                }

                return imported;
            }
            """),
        new("BackgroundRefresh", 0.7, null, (f, c) => $$"""
            public Task {{c.Unique("StartBackground" + f.Refresh)}}(IReadOnlyList<int> ids, TimeSpan period, CancellationToken {{f.Ct}}) =>
                Task.Run(async () =>
                {
                    using var timer = new PeriodicTimer(period);
                    while (await timer.WaitForNextTickAsync({{f.Ct}}){{f.CA}})
                    {
                        foreach (var x in ids)
                        {
                            var item = await {{Store(f, c)}}.{{f.Load}}Async(x, {{f.Ct}}){{f.CA}};
                            if (item is not null)
                            {
                                {{Cache(f, c)}}[x] = item;
                            }
                        }
                    }
                }, {{f.Ct}});
            """),
    };

    public static readonly IReadOnlyList<MemberTemplate> Pitfalls = new MemberTemplate[]
    {
        new("SleepInAsync", 3, "AsyncBlocking", (f, c) => $$"""
            public async Task<{{f.E}}?> {{c.Unique(f.Load + "PolitelyAsync")}}(int {{f.Id}}, CancellationToken {{f.Ct}})
            {
                // Give the backend a moment between calls.
                Thread.Sleep({{f.Ms()}});
                return await {{Store(f, c)}}.{{f.Load}}Async({{f.Id}}, {{f.Ct}}){{f.CA}};
            }
            """),
        new("SleepInAsyncLambda", 2, "AsyncBlocking", (f, c) => $$"""
            public async Task<int> {{c.Unique("Touch" + f.Es + "Async")}}(IEnumerable<int> ids, CancellationToken {{f.Ct}})
            {
                var touched = await Task.WhenAll(ids.Select(async x =>
                {
                    Thread.Sleep({{f.Ms()}});
                    var item = await {{Store(f, c)}}.{{f.Load}}Async(x, {{f.Ct}}){{f.CA}};
                    return item is null ? 0 : 1;
                })){{f.CA}};
                return touched.Sum();
            }
            """),
        new("ResultInAsync", 3, "AsyncBlocking", (f, c) => $$"""
            public async Task<int> {{c.Unique("Count" + f.Es + "Async")}}(CancellationToken {{f.Ct}})
            {
                var all = {{Store(f, c)}}.{{f.List}}Async({{f.Ct}}).Result;
                await Task.Yield();
                return all.Count(x => x.{{f.I}} > 0);
            }
            """),
        new("WaitInAsync", 2, "AsyncBlocking", (f, c) => $$"""
            public async Task {{c.Unique(f.Save + "AndForgetAsync")}}({{f.E}} item, CancellationToken {{f.Ct}})
            {
                {{Store(f, c)}}.{{f.Save}}Async(item, {{f.Ct}}).Wait({{f.Ct}});
                await Task.Yield();
                {{Cache(f, c)}}[item.Id] = item;
            }
            """),
        new("SemaphoreWaitInAsync", 2, "AsyncBlocking", (f, c) => $$"""
            public async Task<{{f.E}}?> {{c.Unique(f.Load + "GuardedAsync")}}(int {{f.Id}}, CancellationToken {{f.Ct}})
            {
                {{Throttle(f, c)}}.Wait({{f.Ct}});
                try
                {
                    return await {{Store(f, c)}}.{{f.Load}}Async({{f.Id}}, {{f.Ct}}){{f.CA}};
                }
                finally
                {
                    {{Throttle(f, c)}}.Release();
                }
            }
            """),
        new("GetResultInAsyncLambda", 2, "AsyncBlocking", (f, c) => $$"""
            public Task {{c.Unique(f.Refresh + "CacheAsync")}}(IEnumerable<int> ids, CancellationToken {{f.Ct}}) =>
                Task.Run(async () =>
                {
                    foreach (var x in ids)
                    {
                        var item = {{Store(f, c)}}.{{f.Load}}Async(x, {{f.Ct}}).GetAwaiter().GetResult();
                        if (item is not null)
                        {
                            {{Cache(f, c)}}[x] = item;
                        }

                        await Task.Yield();
                    }
                }, {{f.Ct}});
            """),
        new("BlockingHelperFromAsync", 2, "AsyncBlocking", (f, c) => $$"""
            public async Task {{c.Unique(f.Process + "QuotaAsync")}}({{f.E}} item, CancellationToken {{f.Ct}})
            {
                {{f.HelpersType}}.{{HelperTemplates.EnsureSleepyThrottle(f)}}(item.{{f.I}});
                await {{Store(f, c)}}.{{f.Save}}Async(item, {{f.Ct}}){{f.CA}};
            }
            """),
        new("BlockingChainFromAsync", 2, "AsyncBlocking", (f, c) => $$"""
            public async Task<string> {{c.Unique("Render" + f.E + "Async")}}(int {{f.Id}}, CancellationToken {{f.Ct}})
            {
                var item = await {{Store(f, c)}}.{{f.Load}}Async({{f.Id}}, {{f.Ct}}){{f.CA}};
                var template = {{f.HelpersType}}.{{HelperTemplates.EnsureBlockingChain(f)}}("{{f.Camel}}-card");
                return item is null ? string.Empty : template.Replace("{name}", item.{{f.S}}, StringComparison.Ordinal);
            }
            """),
        new("PlainIncrementFromFanOut", 2, "DataRace", (f, c) => $$"""
            public async Task {{c.Unique("Touch" + f.Es + "ConcurrentlyAsync")}}(IEnumerable<int> ids, CancellationToken {{f.Ct}})
            {
                await Task.WhenAll(ids.Select(x => Task.Run(async () =>
                {
                    var item = await {{Store(f, c)}}.{{f.Load}}Async(x, {{f.Ct}}){{f.CA}};
                    if (item is not null)
                    {
                        {{Processed(c)}}++;
                    }
                }, {{f.Ct}}))){{f.CA}};
            }
            """),
    };

    private static string Store(FileContext f, ClassContext c) => c.Field("store", n => $"private readonly {f.IStoreType} {n};");

    private static string Cache(FileContext f, ClassContext c) =>
        c.Field("cache", n => $"private readonly ConcurrentDictionary<int, {f.E}> {n} = new();");

    private static string Throttle(FileContext f, ClassContext c) =>
        c.Field("throttle", n => $"private readonly SemaphoreSlim {n} = new({f.Small()});");

    private static string Processed(ClassContext c) => c.Field("processed", n => $"private int {n};");
}
