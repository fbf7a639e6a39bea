using System.Collections.Generic;

namespace Lockstep.Benchmarks.Corpus;

/// <summary>The worker: dedicated threads, thread-pool items, Parallel loops, timers and the counters they update.</summary>
internal static class WorkerTemplates
{
    public static void AddMandatory(FileContext f, ClassContext c)
    {
        string queue = Queue(f, c);
        string threads = c.Field("threads", n => $"private readonly List<Thread> {n} = new();");
        string cts = Cts(c);
        string count = f.Random.Chance(0.5) ? "Environment.ProcessorCount" : f.Small().ToString(System.Globalization.CultureInfo.InvariantCulture);
        string handle = EnsureHandle(f, c);
        c.Members.Add($$"""
            public void {{c.Unique("Start")}}()
            {
                for (var i = 0; i < {{count}}; i++)
                {
                    var thread = new Thread(RunLoop) { IsBackground = true, Name = $"{{f.Camel}}-worker-{i}" };
                    {{threads}}.Add(thread);
                    thread.Start();
                }
            }
            """);
        c.Ensure("RunLoop", () => $$"""
            private void RunLoop()
            {
                try
                {
                    foreach (var item in {{queue}}.GetConsumingEnumerable({{cts}}.Token))
                    {
                        try
                        {
                            {{handle}}(item);
                            Interlocked.Increment(ref {{Processed(c)}});
                        }
                        catch (InvalidOperationException ex)
                        {
                            Interlocked.Increment(ref {{Failed(c)}});
                            Log.Warn($"{{f.E}} {item.Id} failed", ex);
                        }
                    }
                }
                catch (OperationCanceledException)
                {
                    // Stop() gave up waiting and cancelled: leave the rest of the queue.
                }
            }
            """);
        c.Members.Add($$"""
            public bool {{c.Unique("Enqueue")}}({{f.E}} item) => !{{queue}}.IsAddingCompleted && {{queue}}.TryAdd(item);
            """);
        c.Members.Add($$"""
            public void {{c.Unique("Stop")}}(TimeSpan timeout)
            {
                {{queue}}.CompleteAdding();
                foreach (var thread in {{threads}})
                {
                    if (!thread.Join(timeout))
                    {
                        Log.Warn($"{thread.Name} did not stop in time");
                        {{cts}}.Cancel();
                    }
                }
            }
            """);
    }

    public static readonly IReadOnlyList<MemberTemplate> Optional = new MemberTemplate[]
    {
        new("ParallelForChecksum", 1, null, (f, c) => $$"""
            public long {{c.Unique(f.Compute + "Checksum")}}(IReadOnlyList<{{f.E}}> items)
            {
                long checksum = 0;
                Parallel.For(
                    0,
                    items.Count,
                    () => 0L,
                    (i, _, local) => local + (items[i].Id * 31L) + items[i].{{f.I}},
                    local => Interlocked.Add(ref checksum, local));
                return checksum;
            }
            """),
        new("ParallelForEachBag", 1, null, (f, c) => $$"""
            public IReadOnlyCollection<string> {{c.Unique("Collect" + f.SPlural)}}(IEnumerable<{{f.E}}> items)
            {
                var found = new ConcurrentBag<string>();
                Parallel.ForEach(items, new ParallelOptions { MaxDegreeOfParallelism = {{f.Small()}} }, item =>
                {
                    if (item.{{f.I}} > {{f.Random.Next(0, 5)}})
                    {
                        found.Add(item.{{f.S}});
                    }
                });
                return found;
            }
            """),
        new("TaskRunEntry", 1, null, (f, c) => $$"""
            public Task {{c.Unique(f.Process + "InBackground")}}(IEnumerable<{{f.E}}> items, CancellationToken {{f.Ct}}) =>
                Task.Run(
                    () =>
                    {
                        foreach (var item in items)
                        {
                            {{f.Ct}}.ThrowIfCancellationRequested();
                            {{EnsureHandle(f, c)}}(item);
                            Interlocked.Increment(ref {{Processed(c)}});
                        }
                    },
                    {{f.Ct}});
            """),
        new("ThreadPoolCountdown", 1, null, (f, c) => $$"""
            public void {{c.Unique(f.Process + "All")}}(IReadOnlyList<{{f.E}}> items)
            {
                using var done = new CountdownEvent(items.Count);
                foreach (var item in items)
                {
                    ThreadPool.QueueUserWorkItem(_ =>
                    {
                        try
                        {
                            {{EnsureHandle(f, c)}}(item);
                        }
                        finally
                        {
                            done.Signal();
                        }
                    });
                }

                done.Wait();
            }
            """),
        new("Heartbeat", 0.8, null, (f, c) =>
        {
            string timer = c.Field("timer", n => $"private Timer? {n};");
            string lastBeat = c.Field("lastBeat", n => $"private long {n};");
            return $$"""
                public void {{c.Unique("StartHeartbeat")}}(TimeSpan period)
                {
                    {{timer}}?.Dispose();
                    {{timer}} = new Timer(_ => Interlocked.Exchange(ref {{lastBeat}}, DateTime.UtcNow.Ticks), null, TimeSpan.Zero, period);
                }

                public DateTime {{c.Unique("LastHeartbeat")}} => new(Interlocked.Read(ref {{lastBeat}}), DateTimeKind.Utc);
                """;
        }),
        new("Plinq", 1, null, (f, c) => $$"""
            public {{f.NT}} {{c.Unique(f.Compute + "Heavy")}}(IEnumerable<{{f.E}}> items) =>
                items.AsParallel()
                    .WithDegreeOfParallelism({{f.Small()}})
                    .Where(x => x.{{f.I}} % 2 == 0)
                    .Sum(x => x.{{f.N}});
            """),
        new("RunsConcurrently", 1, null, (f, c) =>
        {
            string recent = c.Field("recentQueue", n => $"private readonly ConcurrentQueue<{f.E}> {n} = new();");
            return $$"""
                [RunsConcurrently]
                public void {{c.Unique("On" + f.E + "Received")}}({{f.E}} item)
                {
                    Interlocked.Increment(ref {{Processed(c)}});
                    {{recent}}.Enqueue(item);
                    while ({{recent}}.Count > {{f.Random.Next(32, 513)}} && {{recent}}.TryDequeue(out _))
                    {
                    }
                }
                """;
        }),
        new("Stats", 1, null, (f, c) => $$"""
            public int {{c.Unique("Processed")}} => Volatile.Read(ref {{Processed(c)}});

            public int {{c.Unique("Failed")}} => Volatile.Read(ref {{Failed(c)}});
            """),
        new("TotalsSnapshot", 1, null, (f, c) =>
        {
            EnsureHandle(f, c);
            return $$"""
                public IReadOnlyDictionary<string, {{f.NT}}> {{c.Unique("TotalsSnapshot")}}()
                {
                    lock ({{StoreTemplates.Gate(c)}})
                    {
                        return new Dictionary<string, {{f.NT}}>({{Totals(f, c)}}, StringComparer.Ordinal);
                    }
                }
                """;
        }),
        new("BoundedThreads", 0.7, null, (f, c) => $$"""
            public void {{c.Unique(f.Process + "Partitioned")}}(IReadOnlyList<{{f.E}}> items)
            {
                const int partitions = {{f.Random.Next(2, 5)}};
                var workers = new Thread[partitions];
                for (var p = 0; p < partitions; p++)
                {
                    var slice = p;
                    workers[p] = new Thread(() =>
                    {
                        for (var i = slice; i < items.Count; i += partitions)
                        {
                            {{EnsureHandle(f, c)}}(items[i]);
                        }
                    });
                    workers[p].Start();
                }

                foreach (var worker in workers)
                {
                    worker.Join();
                }
            }
            """),
    };

    public static readonly IReadOnlyList<MemberTemplate> Pitfalls = new MemberTemplate[]
    {
        new("ThreadPerItem", 3, "ThreadCreation", (f, c) => $$"""
            public void {{c.Unique(f.Process + "Each")}}(IEnumerable<{{f.E}}> items)
            {
                var started = new List<Thread>();
                foreach (var item in items)
                {
                    var worker = new Thread(() => {{EnsureHandle(f, c)}}(item));
                    worker.Start();
                    started.Add(worker);
                }

                foreach (var worker in started)
                {
                    worker.Join();
                }
            }
            """),
        new("LongRunningPerItem", 2, "ThreadCreation", (f, c) => $$"""
            public Task {{c.Unique(f.Process + "EachLongRunning")}}(IEnumerable<{{f.E}}> items)
            {
                var tasks = new List<Task>();
                foreach (var item in items)
                {
                    tasks.Add(Task.Factory.StartNew(() => {{EnsureHandle(f, c)}}(item), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default));
                }

                return Task.WhenAll(tasks);
            }
            """),
        new("JoinInStartLoop", 2, "ThreadCreation", (f, c) => $$"""
            public void {{c.Unique(f.Process + "Batches")}}(IReadOnlyList<{{f.E}}[]> batches)
            {
                for (var b = 0; b < batches.Count; b++)
                {
                    var batch = batches[b];
                    var worker = new Thread(() =>
                    {
                        foreach (var item in batch)
                        {
                            {{EnsureHandle(f, c)}}(item);
                        }
                    });
                    worker.Start();
                    worker.Join();
                }
            }
            """),
        new("PlainIncrementInParallel", 3, "DataRace", (f, c) =>
        {
            string urgent = c.Field("urgent", n => $"private int {n};");
            return $$"""
                public int {{c.Unique("CountUrgent")}}(IReadOnlyList<{{f.E}}> items)
                {
                    Parallel.For(0, items.Count, i =>
                    {
                        if (items[i].{{f.I}} > {{f.Small()}})
                        {
                            {{urgent}}++;
                        }
                    });
                    return {{urgent}};
                }
                """;
        }),
        new("ListAddInParallel", 2, "DataRace", (f, c) => $$"""
            public List<{{f.E}}> {{c.Unique("Select" + f.Es)}}(IEnumerable<{{f.E}}> items, {{f.NT}} threshold)
            {
                var matches = new List<{{f.E}}>();
                Parallel.ForEach(items, item =>
                {
                    if (item.{{f.N}} >= threshold)
                    {
                        matches.Add(item);
                    }
                });
                return matches;
            }
            """),
        new("CheckThenActInTaskRun", 2, "DataRace", (f, c) =>
        {
            string index = c.Field("nameIndex", n => $"private readonly Dictionary<string, {f.E}> {n} = new(StringComparer.Ordinal);");
            return $$"""
                public Task {{c.Unique("Index" + f.Es)}}(IEnumerable<{{f.E}}> items) =>
                    Task.WhenAll(items.Select(item => Task.Run(() =>
                    {
                        if (!{{index}}.ContainsKey(item.{{f.S}}))
                        {
                            {{index}}[item.{{f.S}}] = item;
                        }
                    })));
                """;
        }),
    };

    private static string EnsureHandle(FileContext f, ClassContext c)
    {
        string name = "Handle" + f.E;
        return c.Ensure(name, () => $$"""
            private void {{name}}({{f.E}} item)
            {
                var weight = (item.{{f.I}} % {{f.Small()}}) + 1;
                var adjusted = item.{{f.N}} * weight;
                lock ({{StoreTemplates.Gate(c)}})
                {
                    {{Totals(f, c)}}[item.{{f.S}}] = {{Totals(f, c)}}.TryGetValue(item.{{f.S}}, out var sum) ? sum + adjusted : adjusted;
                }
            }
            """);
    }

    private static string Queue(FileContext f, ClassContext c) =>
        c.Field("queue", n => $"private readonly BlockingCollection<{f.E}> {n} = new(boundedCapacity: {f.Random.Next(64, 1025)});");

    private static string Cts(ClassContext c) => c.Field("cts", n => $"private readonly CancellationTokenSource {n} = new();");

    private static string Processed(ClassContext c) => c.Field("processed", n => $"private int {n};");

    private static string Failed(ClassContext c) => c.Field("failed", n => $"private int {n};");

    private static string Totals(FileContext f, ClassContext c) =>
        c.Field("totals", n => $"private readonly Dictionary<string, {f.NT}> {n} = new(StringComparer.Ordinal);");
}
