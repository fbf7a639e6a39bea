using System;
using System.Collections.Generic;
using System.Globalization;

namespace Lockstep.Benchmarks.Corpus;

/// <summary>
/// The vocabulary of one generated file: its entity, the verbs and parameter names its authors favour, the model's
/// property names, and the classes it contains. Choosing these once per file makes every file read like the work of
/// one team while the corpus as a whole is not one template repeated.
/// </summary>
internal sealed class FileContext
{
    private static readonly string[][] FieldNameChoices =
    {
        new[] { "gate", "_gate", "_sync", "_lock", "_padlock", "_syncRoot" },
        new[] { "secondGate", "_auditLock", "_historyLock", "_journalLock", "_statsLock" },
        new[] { "firstGate", "_entriesLock", "_balanceLock", "_indexLock", "_stateLock" },
        new[] { "rows", "_rows", "_byId", "_entries", "_items", "_records" },
        new[] { "cache", "_cache", "_recent", "_hot", "_memo" },
        new[] { "throttle", "_throttle", "_concurrency", "_slots", "_limiter" },
        new[] { "io", "_io", "_ioSlots", "_connections", "_channelSlots" },
        new[] { "processed", "_processed", "_handled", "_completed", "_done" },
        new[] { "failed", "_failed", "_errors", "_faults", "_rejected" },
        new[] { "reads", "_reads", "_readCount", "_lookups" },
        new[] { "writes", "_writes", "_writeCount", "_updates" },
        new[] { "queue", "_queue", "_pending", "_inbox", "_backlog" },
        new[] { "threads", "_threads", "_workers", "_pumps" },
        new[] { "cts", "_cts", "_shutdown", "_stopping" },
        new[] { "totals", "_totals", "_sums", "_aggregates" },
        new[] { "history", "_history", "_journal", "_auditTrail", "_log" },
        new[] { "buffer", "_buffer", "_ring", "_slotsQueue" },
        new[] { "mutex", "_mutex", "_writeLock", "_asyncGate" },
        new[] { "rw", "_rw", "_rwLock", "_tableLock" },
        new[] { "byKey", "_byKey", "_index", "_lookupTable" },
        new[] { "lookup", "_lookup", "_lazyIndex", "_snapshot" },
        new[] { "sequence", "_sequence", "_version", "_generation" },
        new[] { "max", "_max", "_peak", "_highWater" },
        new[] { "timer", "_timer", "_heartbeat", "_ticker" },
        new[] { "lastBeat", "_lastBeat", "_lastTick", "_lastSeen" },
        new[] { "urgent", "_urgent", "_hotCount", "_flagged" },
        new[] { "recentQueue", "_recentQueue", "_tail", "_window" },
        new[] { "fastLock", "_fastLock", "_counterLock", "_tally" },
        new[] { "total", "_total", "_running", "_accumulated" },
        new[] { "nameIndex", "_nameIndex", "_keyIndex", "_seen" },
        new[] { "templateCache", "_templateCache", "_formatCache", "_compiled" },
        new[] { "store", "_store", "_repository", "_source", "_backend" },
    };

    private readonly Dictionary<string, string> _fieldNames = new(StringComparer.Ordinal);

    public FileContext(DeterministicRandom random, string domain, string entity, string plural)
    {
        Random = random;
        Domain = domain;
        E = entity;
        Es = plural;
        Camel = char.ToLowerInvariant(entity[0]) + entity[1..];
        Id = random.Pick(new[] { "id", Camel + "Id", "key" });
        Ct = random.Pick(new[] { "ct", "cancellationToken", "token" });

        Load = random.Pick(new[] { "Load", "Fetch", "Get", "Read", "Find" });
        Save = random.Pick(new[] { "Save", "Store", "Persist", "Write", "Put" });
        List = random.Pick(new[] { "List", "LoadAll", "GetAll", "Query", "Snapshot" });
        Stream = random.Pick(new[] { "Stream", "Scan", "Enumerate", "Page" });
        Process = random.Pick(new[] { "Process", "Handle", "Apply", "Execute", "Dispatch" });
        Refresh = random.Pick(new[] { "Refresh", "Reload", "Sync", "Rebuild", "Warm" });
        Compute = random.Pick(new[] { "Compute", "Calculate", "Estimate", "Score", "Tally" });

        S = random.Pick(new[] { "Name", "Title", "Owner", "Region", "Customer", "Label", "Sku", "Category", "Source" });
        N = random.Pick(new[] { "Amount", "Price", "Total", "Balance", "Weight", "Score", "Cost", "Volume" });
        NT = random.Chance(0.6) ? "decimal" : "double";
        I = random.Pick(new[] { "Quantity", "Priority", "Attempts", "Count", "Level", "Rank", "Units" });
        D = random.Pick(new[] { "CreatedAt", "UpdatedAt", "DueAt", "ReceivedAt", "ScheduledAt", "SeenAt" });
        ModelIsRecord = random.Chance(0.6);
        UsesConfigureAwait = random.Chance(0.7);

        StoreType = E + random.Pick(new[] { "Store", "Repository", "Gateway", "Client" });
        ServiceType = E + random.Pick(new[] { "Service", "Manager", "Coordinator", "Facade" });
        WorkerType = E + random.Pick(new[] { "Worker", "Processor", "Pump", "Dispatcher" });
        LedgerType = E + random.Pick(new[] { "Ledger", "Registry", "Tracker", "Book", "Board" });
        HelpersType = E + random.Pick(new[] { "Helpers", "Extensions", "Rules", "Formatting" });
        SummaryType = E + random.Pick(new[] { "Summary", "Rollup", "Digest" });
    }

    public DeterministicRandom Random { get; }

    public string Domain { get; }

    /// <summary>Entity type name, e.g. <c>Invoice</c>; plural <see cref="Es"/>, camel case <see cref="Camel"/>.</summary>
    public string E { get; }

    public string Es { get; }

    public string Camel { get; }

    /// <summary>Name of the id parameter and of the cancellation token parameter.</summary>
    public string Id { get; }

    public string Ct { get; }

    public string Load { get; }

    public string Save { get; }

    public string List { get; }

    public string Stream { get; }

    public string Process { get; }

    public string Refresh { get; }

    public string Compute { get; }

    /// <summary>Model properties besides <c>Id</c>: a string, a number of type <see cref="NT"/>, an int and a DateTime.</summary>
    public string S { get; }

    public string N { get; }

    public string NT { get; }

    /// <summary>Plural of <see cref="S"/> for member names (<c>Categories</c>, <c>Labels</c>).</summary>
    public string SPlural => S.EndsWith('y') ? S[..^1] + "ies" : S + "s";

    public string I { get; }

    public string D { get; }

    public bool ModelIsRecord { get; }

    public bool UsesConfigureAwait { get; }

    public string StoreType { get; }

    public string IStoreType => "I" + StoreType;

    public string ServiceType { get; }

    public string WorkerType { get; }

    public string LedgerType { get; }

    public string HelpersType { get; }

    public string SummaryType { get; }

    /// <summary>The static helpers class; other classes ask it for the sync helpers they call.</summary>
    public ClassContext Helpers { get; set; } = null!;

    /// <summary><c>.ConfigureAwait(false)</c> or nothing, as this file's authors write it.</summary>
    public string CA => UsesConfigureAwait ? ".ConfigureAwait(false)" : "";

    public string FieldName(string key)
    {
        if (_fieldNames.TryGetValue(key, out string? name))
        {
            return name;
        }

        foreach (string[] choices in FieldNameChoices)
        {
            if (choices[0] == key)
            {
                name = choices[1 + Random.Next(choices.Length - 1)];
                _fieldNames[key] = name;
                return name;
            }
        }

        throw new ArgumentException($"No field names for '{key}'.", nameof(key));
    }

    /// <summary>A numeric literal of the model's number type.</summary>
    public string Num(double value)
    {
        string text = value.ToString("0.0##", CultureInfo.InvariantCulture);
        return NT == "decimal" ? text + "m" : text;
    }

    /// <summary>An expression constructing the model (records and classes share the positional constructor).</summary>
    public string NewModel(string id, string name, string number, string count) =>
        $"new {E}({id}, {name}, {number}, {count}, DateTime.UtcNow)";

    /// <summary>An updated copy of <paramref name="item"/>: a <c>with</c> expression for records.</summary>
    public string Touched(string item) => ModelIsRecord
        ? $"{item} with {{ {I} = {item}.{I} + 1, {D} = DateTime.UtcNow }}"
        : $"new {E}({item}.Id, {item}.{S}, {item}.{N}, {item}.{I} + 1, DateTime.UtcNow)";

    public int Ms() => Random.Pick(new[] { 5, 10, 20, 25, 50, 100, 200, 250 });

    public int Small() => Random.Next(2, 9);
}
