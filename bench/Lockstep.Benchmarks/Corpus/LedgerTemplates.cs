using System.Collections.Generic;

namespace Lockstep.Benchmarks.Corpus;

/// <summary>The ledger: shared state behind two locks, Monitor, ReaderWriterLockSlim, an async mutex and Interlocked.</summary>
internal static class LedgerTemplates
{
    public static void AddMandatory(FileContext f, ClassContext c)
    {
        // Entries lock first, then history lock: the order every correct method here follows.
        c.Ensure("RecordBoth", () => RecordBoth(f, c));
    }

    public static readonly IReadOnlyList<MemberTemplate> Optional = new MemberTemplate[]
    {
        new("RemoveBoth", 1, null, (f, c) => $$"""
            public bool {{c.Unique("Forget")}}(int {{f.Id}})
            {
                lock ({{First(c)}})
                {
                    if (!{{Entries(f, c)}}.Remove({{f.Id}}))
                    {
                        return false;
                    }

                    lock ({{Second(c)}})
                    {
                        {{History(c)}}.Add($"remove {{{f.Id}}}");
                    }

                    return true;
                }
            }
            """),
        new("Snapshot", 1, null, (f, c) => $$"""
            public IReadOnlyList<{{f.E}}> {{c.Unique("Snapshot")}}()
            {
                lock ({{First(c)}})
                {
                    return {{Entries(f, c)}}.Values.OrderBy(x => x.Id).ToArray();
                }
            }
            """),
        new("HistoryTail", 0.8, null, (f, c) => $$"""
            public IReadOnlyList<string> {{c.Unique("RecentHistory")}}(int count)
            {
                lock ({{Second(c)}})
                {
                    return {{History(c)}}.Skip(Math.Max(0, {{History(c)}}.Count - count)).ToList();
                }
            }
            """),
        new("MonitorTryEnter", 1, null, (f, c) => $$"""
            public bool {{c.Unique("TryContains")}}(int {{f.Id}}, TimeSpan wait)
            {
                if (!Monitor.TryEnter({{First(c)}}, wait))
                {
                    return false;
                }

                try
                {
                    return {{Entries(f, c)}}.ContainsKey({{f.Id}});
                }
                finally
                {
                    Monitor.Exit({{First(c)}});
                }
            }
            """),
        new("ReaderWriter", 1, null, (f, c) =>
        {
            string rw = c.Field("rw", n => $"private readonly ReaderWriterLockSlim {n} = new(LockRecursionPolicy.NoRecursion);");
            string byKey = c.Field("byKey", n => $"private readonly Dictionary<string, {f.E}> {n} = new(StringComparer.OrdinalIgnoreCase);");
            return $$"""
                public {{f.E}}? {{c.Unique("FindBy" + f.S)}}(string value)
                {
                    {{rw}}.EnterReadLock();
                    try
                    {
                        return {{byKey}}.TryGetValue(value, out var found) ? found : null;
                    }
                    finally
                    {
                        {{rw}}.ExitReadLock();
                    }
                }

                public void {{c.Unique("Index")}}({{f.E}} item)
                {
                    {{rw}}.EnterWriteLock();
                    try
                    {
                        {{byKey}}[item.{{f.S}}] = item;
                    }
                    finally
                    {
                        {{rw}}.ExitWriteLock();
                    }
                }
                """;
        }),
        new("AsyncMutex", 1, null, (f, c) =>
        {
            string mutex = c.Field("mutex", n => $"private readonly SemaphoreSlim {n} = new(1, 1);");
            string sequence = Sequence(c);
            return $$"""
                public async Task<int> {{c.Unique("AppendAsync")}}({{f.E}} item, CancellationToken {{f.Ct}})
                {
                    await {{mutex}}.WaitAsync({{f.Ct}}){{f.CA}};
                    try
                    {
                        await SimulatedIo.WriteAsync($"{{f.Camel}}-ledger/{item.Id}", Encoding.UTF8.GetBytes(item.{{f.S}}), {{f.Ct}}){{f.CA}};
                        return ++{{sequence}};
                    }
                    finally
                    {
                        {{mutex}}.Release();
                    }
                }
                """;
        }),
        new("WaitPulse", 0.8, null, (f, c) =>
        {
            string buffer = c.Field("buffer", n => $"private readonly Queue<{f.E}> {n} = new();");
            int capacity = f.Random.Next(8, 129);
            return $$"""
                public void {{c.Unique("Put")}}({{f.E}} item)
                {
                    lock ({{First(c)}})
                    {
                        while ({{buffer}}.Count >= {{capacity}})
                        {
                            Monitor.Wait({{First(c)}});
                        }

                        {{buffer}}.Enqueue(item);
                        Monitor.PulseAll({{First(c)}});
                    }
                }

                public {{f.E}} {{c.Unique("Take")}}()
                {
                    lock ({{First(c)}})
                    {
                        while ({{buffer}}.Count == 0)
                        {
                            Monitor.Wait({{First(c)}});
                        }

                        var item = {{buffer}}.Dequeue();
                        Monitor.PulseAll({{First(c)}});
                        return item;
                    }
                }
                """;
        }),
        new("DoubleCheckedLazy", 0.8, null, (f, c) =>
        {
            string lookup = c.Field("lookup", n => $"private volatile Dictionary<string, {f.E}>? {n};");
            string build = c.Unique("BuildLookup");
            return $$"""
                public IReadOnlyDictionary<string, {{f.E}}> {{c.Unique("Lookup")}}
                {
                    get
                    {
                        var current = {{lookup}};
                        if (current is not null)
                        {
                            return current;
                        }

                        lock ({{First(c)}})
                        {
                            return {{lookup}} ??= {{build}}();
                        }
                    }
                }

                private Dictionary<string, {{f.E}}> {{build}}() =>
                    {{Entries(f, c)}}.Values
                        .GroupBy(x => x.{{f.S}}, StringComparer.Ordinal)
                        .ToDictionary(g => g.Key, g => g.OrderByDescending(x => x.{{f.D}}).First(), StringComparer.Ordinal);
                """;
        }),
        new("ThreadingLock", 0.6, null, (f, c) =>
        {
            string fastLock = c.Field("fastLock", n => $"private readonly Lock {n} = new();");
            string total = c.Field("total", n => $"private long {n};");
            return $$"""
                public long {{c.Unique("AddUnits")}}(int units)
                {
                    using ({{fastLock}}.EnterScope())
                    {
                        {{total}} += units;
                        return {{total}};
                    }
                }
                """;
        }),
        new("CasMax", 0.8, null, (f, c) =>
        {
            string max = c.Field("max", n => $"private int {n};");
            return $$"""
                public void {{c.Unique("ObserveMax")}}(int value)
                {
                    int current;
                    do
                    {
                        current = Volatile.Read(ref {{max}});
                        if (value <= current)
                        {
                            return;
                        }
                    }
                    while (Interlocked.CompareExchange(ref {{max}}, value, current) != current);
                }
                """;
        }),
        new("Version", 0.6, null, (f, c) => $$"""
            public int {{c.Unique("Version")}} => Volatile.Read(ref {{Sequence(c)}});
            """),
    };

    public static readonly IReadOnlyList<MemberTemplate> Pitfalls = new MemberTemplate[]
    {
        // History lock, then entries lock: the reverse of RecordBoth.
        new("LockOrderInversion", 3, "Deadlock", (f, c) =>
        {
            c.Ensure("RecordBoth", () => RecordBoth(f, c));
            return $$"""
                public int {{c.Unique("Audit")}}()
                {
                    lock ({{Second(c)}})
                    {
                        {{History(c)}}.Add($"audit at {DateTime.UtcNow:O}");
                        lock ({{First(c)}})
                        {
                            return {{Entries(f, c)}}.Count;
                        }
                    }
                }
                """;
        }),
        new("LockOrderInversionThroughCall", 2, "Deadlock", (f, c) =>
        {
            c.Ensure("RecordBoth", () => RecordBoth(f, c));
            string prune = c.Unique("PruneEntries");
            return $$"""
                public void {{c.Unique("Rotate")}}(int keep)
                {
                    lock ({{Second(c)}})
                    {
                        {{History(c)}}.Clear();
                        {{prune}}(keep);
                    }
                }

                private void {{prune}}(int keep)
                {
                    lock ({{First(c)}})
                    {
                        foreach (var staleId in {{Entries(f, c)}}.Keys.OrderBy(k => k).SkipLast(keep).ToList())
                        {
                            {{Entries(f, c)}}.Remove(staleId);
                        }
                    }
                }
                """;
        }),
        new("SleepUnderLock", 2, "LockUsage", (f, c) => $$"""
            public void {{c.Unique("Flush")}}()
            {
                lock ({{First(c)}})
                {
                    // Let in-flight writers finish before clearing.
                    Thread.Sleep({{f.Ms()}});
                    {{Entries(f, c)}}.Clear();
                }
            }
            """),
        new("LockThis", 2, "LockUsage", (f, c) => $$"""
            public void {{c.Unique("Reset")}}()
            {
                lock (this)
                {
                    {{Entries(f, c)}}.Clear();
                }
            }
            """),
        new("MonitorWithoutFinally", 2, "LockUsage", (f, c) => $$"""
            public void {{c.Unique("Touch")}}(int {{f.Id}})
            {
                Monitor.Enter({{First(c)}});
                {{Entries(f, c)}}.Remove({{f.Id}});
                Monitor.Exit({{First(c)}});
            }
            """),
        new("LazyInitRace", 2, "DataRace", (f, c) =>
        {
            string lookup = c.Field("byKey", n => $"private readonly Dictionary<string, {f.E}> {n} = new(StringComparer.OrdinalIgnoreCase);");
            string cache = c.Field("templateCache", n => $"private string[]? {n};");
            return $$"""
                [RunsConcurrently]
                public string[] {{c.Unique("Known" + f.SPlural)}}()
                {
                    if ({{cache}} == null)
                    {
                        {{cache}} = {{lookup}}.Keys.OrderBy(k => k, StringComparer.Ordinal).ToArray();
                    }

                    return {{cache}};
                }
                """;
        }),
    };

    private static string RecordBoth(FileContext f, ClassContext c)
    {
        string name = c.Unique(f.Random.Pick(new[] { "Record", "Post", "Register", "Add" }));
        return $$"""
            public void {{name}}({{f.E}} item)
            {
                lock ({{First(c)}})
                {
                    {{Entries(f, c)}}[item.Id] = item;
                    lock ({{Second(c)}})
                    {
                        {{History(c)}}.Add($"{{name.ToLowerInvariant()}} {item.Id}");
                    }
                }
            }
            """;
    }

    private static string First(ClassContext c) => c.Field("firstGate", n => $"private readonly object {n} = new();");

    private static string Second(ClassContext c) => c.Field("secondGate", n => $"private readonly object {n} = new();");

    private static string Entries(FileContext f, ClassContext c) =>
        c.Field("rows", n => $"private readonly Dictionary<int, {f.E}> {n} = new();");

    private static string History(ClassContext c) => c.Field("history", n => $"private readonly List<string> {n} = new();");

    private static string Sequence(ClassContext c) => c.Field("sequence", n => $"private int {n};");
}
