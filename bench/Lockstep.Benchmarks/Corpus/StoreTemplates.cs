using System.Collections.Generic;

namespace Lockstep.Benchmarks.Corpus;

/// <summary>The store: an async, I/O-like API over an in-memory table guarded by a lock and an I/O semaphore.</summary>
internal static class StoreTemplates
{
    public static string Interface(FileContext f) => $$"""
        public interface {{f.IStoreType}}
        {
            Task<{{f.E}}?> {{f.Load}}Async(int {{f.Id}}, CancellationToken {{f.Ct}} = default);

            Task {{f.Save}}Async({{f.E}} item, CancellationToken {{f.Ct}} = default);

            Task<IReadOnlyList<{{f.E}}>> {{f.List}}Async(CancellationToken {{f.Ct}} = default);

            IAsyncEnumerable<{{f.E}}> {{f.Stream}}Async(CancellationToken {{f.Ct}} = default);
        }
        """;

    public static void AddMandatory(FileContext f, ClassContext c)
    {
        string gate = Gate(c);
        string rows = Rows(f, c);
        string io = c.Field("io", n => $"private readonly SemaphoreSlim {n} = new({f.Small()}, {f.Random.Next(9, 17)});");
        string reads = c.Field("reads", n => $"private int {n};");
        string writes = c.Field("writes", n => $"private int {n};");
        c.Unique(f.Load + "Async");
        c.Unique(f.Save + "Async");
        c.Unique(f.List + "Async");
        c.Unique(f.Stream + "Async");

        string latency = f.Random.Chance(0.5)
            ? $"await Task.Delay({f.Ms()}, {f.Ct}){f.CA};"
            : $"_ = await SimulatedIo.ReadAsync($\"{f.Camel}/{{{f.Id}}}\", {f.Ct}){f.CA};";
        c.Members.Add($$"""
            public async Task<{{f.E}}?> {{f.Load}}Async(int {{f.Id}}, CancellationToken {{f.Ct}} = default)
            {
                await {{io}}.WaitAsync({{f.Ct}}){{f.CA}};
                try
                {
                    {{latency}}
                    Interlocked.Increment(ref {{reads}});
                    lock ({{gate}})
                    {
                        return {{rows}}.TryGetValue({{f.Id}}, out var row) ? row : null;
                    }
                }
                finally
                {
                    {{io}}.Release();
                }
            }
            """);

        c.Members.Add($$"""
            public async Task {{f.Save}}Async({{f.E}} item, CancellationToken {{f.Ct}} = default)
            {
                ArgumentNullException.ThrowIfNull(item);
                var payload = Encoding.UTF8.GetBytes(item.ToString());
                await using (var buffer = new MemoryStream())
                {
                    await buffer.WriteAsync(payload, {{f.Ct}}){{f.CA}};
                }

                lock ({{gate}})
                {
                    {{rows}}[item.Id] = item;
                    {{writes}}++;
                }
            }
            """);

        string order = f.Random.Pick(new[] { "x.Id", $"x.{f.D}", $"x.{f.S}" });
        c.Members.Add($$"""
            public async Task<IReadOnlyList<{{f.E}}>> {{f.List}}Async(CancellationToken {{f.Ct}} = default)
            {
                await Task.Yield();
                {{f.Ct}}.ThrowIfCancellationRequested();
                lock ({{gate}})
                {
                    return {{rows}}.Values.OrderBy(x => {{order}}).ToList();
                }
            }
            """);

        c.Members.Add($$"""
            public async IAsyncEnumerable<{{f.E}}> {{f.Stream}}Async([EnumeratorCancellation] CancellationToken {{f.Ct}} = default)
            {
                {{f.E}}[] snapshot;
                lock ({{gate}})
                {
                    snapshot = {{rows}}.Values.ToArray();
                }

                foreach (var row in snapshot)
                {
                    await Task.Delay(1, {{f.Ct}}){{f.CA}};
                    yield return row;
                }
            }
            """);
    }

    public static readonly IReadOnlyList<MemberTemplate> Optional = new MemberTemplate[]
    {
        new("Count", 1, null, (f, c) => $$"""
            public int {{c.Unique("Count")}}
            {
                get
                {
                    lock ({{Gate(c)}})
                    {
                        return {{Rows(f, c)}}.Count;
                    }
                }
            }
            """),
        new("Remove", 1, null, (f, c) => $$"""
            public bool {{c.Unique("Remove")}}(int {{f.Id}})
            {
                lock ({{Gate(c)}})
                {
                    return {{Rows(f, c)}}.Remove({{f.Id}});
                }
            }
            """),
        new("Seed", 1, null, (f, c) => $$"""
            public void {{c.Unique("Seed")}}(int count)
            {
                lock ({{Gate(c)}})
                {
                    for (var i = 1; i <= count; i++)
                    {
                        {{Rows(f, c)}}[i] = {{f.NewModel("i", $"$\"{f.S.ToLowerInvariant()}-{{i % {f.Small()}}}\"", $"{f.Num(1.5)} * i", "i % 10")}};
                    }
                }
            }
            """),
        new("Exists", 1, null, (f, c) => $$"""
            public async ValueTask<bool> {{c.Unique("ExistsAsync")}}(int {{f.Id}}, CancellationToken {{f.Ct}} = default)
            {
                var row = await {{f.Load}}Async({{f.Id}}, {{f.Ct}}){{f.CA}};
                return row is not null;
            }
            """),
        new("Compact", 0.7, null, (f, c) => $$"""
            public int {{c.Unique("Compact")}}(DateTime olderThan)
            {
                lock ({{Gate(c)}})
                {
                    var stale = {{Rows(f, c)}}.Values.Where(x => x.{{f.D}} < olderThan).Select(x => x.Id).ToList();
                    foreach (var staleId in stale)
                    {
                        {{Rows(f, c)}}.Remove(staleId);
                    }

                    return stale.Count;
                }
            }
            """),
    };

    public static readonly IReadOnlyList<MemberTemplate> Pitfalls = new MemberTemplate[]
    {
        // Reads a counter that is written under the lock without taking it (inconsistent locking).
        new("StatsWithoutLock", 2, "DataRace", (f, c) => $$"""
            public (int Reads, int Writes) {{c.Unique("Stats")}} => (Volatile.Read(ref {{c.Field("reads", n => $"private int {n};")}}), {{c.Field("writes", n => $"private int {n};")}});
            """),
    };

    internal static string Gate(ClassContext c) => c.Field("gate", n => $"private readonly object {n} = new();");

    private static string Rows(FileContext f, ClassContext c) =>
        c.Field("rows", n => $"private readonly Dictionary<int, {f.E}> {n} = new();");
}
