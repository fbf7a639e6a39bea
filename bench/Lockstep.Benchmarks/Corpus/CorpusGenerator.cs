using System;
using System.Collections.Generic;
using System.Linq;

namespace Lockstep.Benchmarks.Corpus;

/// <summary>One generated source file.</summary>
public sealed record CorpusFile(string Path, string Text, int LineCount);

/// <summary>Where a seeded pitfall is: the 1-based line span of the member(s) the template wrote.</summary>
public sealed record SeededPitfall(string Path, int StartLine, int EndLine, string Family, string Template)
{
    public bool Contains(string path, int line) => Path == path && line >= StartLine && line <= EndLine;
}

/// <summary>The generated corpus: files, total line count, and the pitfalls seeded per family.</summary>
public sealed class GeneratedCorpus
{
    internal GeneratedCorpus(IReadOnlyList<CorpusFile> files, IReadOnlyList<SeededPitfall> pitfalls, ulong seed)
    {
        Files = files;
        Pitfalls = pitfalls;
        SeededPitfalls = Count(pitfalls.Select(p => p.Family));
        SeededPitfallTemplates = Count(pitfalls.Select(p => p.Family + "/" + p.Template));
        Seed = seed;
        LineCount = files.Sum(f => f.LineCount);
    }

    public IReadOnlyList<CorpusFile> Files { get; }

    /// <summary>Physical lines in all files, blank lines and comments included (what "per 1,000 lines" divides by).</summary>
    public int LineCount { get; }

    /// <summary>Every seeded pitfall with its location, to tell expected findings from unexpected ones.</summary>
    public IReadOnlyList<SeededPitfall> Pitfalls { get; }

    /// <summary>Seeded pitfalls by family name (<c>AsyncBlocking</c>, <c>DataRace</c>, …).</summary>
    public IReadOnlyDictionary<string, int> SeededPitfalls { get; }

    /// <summary>Seeded pitfalls by <c>Family/Template</c>, e.g. <c>AsyncBlocking/SleepInAsync</c>.</summary>
    public IReadOnlyDictionary<string, int> SeededPitfallTemplates { get; }

    public ulong Seed { get; }

    private static IReadOnlyDictionary<string, int> Count(IEnumerable<string> keys) =>
        new SortedDictionary<string, int>(keys.GroupBy(k => k).ToDictionary(g => g.Key, g => g.Count()), StringComparer.Ordinal);
}

/// <summary>
/// Deterministic generator of realistic C# async and threading code: per file, one entity with a model, an async
/// store, a service, and (usually) a worker, a ledger and static helpers, filled from member templates with
/// per-file vocabulary. Correct code dominates. Pitfalls are planned, not drawn: every pitfall template is seeded
/// a fixed number of times (its weight) into randomly chosen files, so every form the rules look for is present
/// and the expected number of findings is known.
/// </summary>
public static class CorpusGenerator
{
    public const ulong DefaultSeed = 0x10C4_57E9;
    public const int DefaultFileCount = 48;

    private static readonly string[] Domains =
    {
        "Billing", "Shipping", "Inventory", "Catalog", "Payments", "Telemetry", "Scheduling", "Messaging",
        "Identity", "Reporting", "Search", "Pricing", "Fulfillment", "Analytics", "Notifications", "Storage",
        "Media", "Support", "Compliance", "Routing",
    };

    private static readonly (string Singular, string Plural)[] Entities =
    {
        ("Invoice", "Invoices"), ("Shipment", "Shipments"), ("Parcel", "Parcels"), ("StockItem", "StockItems"),
        ("Product", "Products"), ("Payment", "Payments"), ("Refund", "Refunds"), ("Reading", "Readings"),
        ("Sample", "Samples"), ("Appointment", "Appointments"), ("Slot", "Slots"), ("Message", "Messages"),
        ("Envelope", "Envelopes"), ("Account", "Accounts"), ("AccessToken", "AccessTokens"), ("Report", "Reports"),
        ("SavedQuery", "SavedQueries"), ("Quote", "Quotes"), ("Order", "Orders"), ("Picklist", "Picklists"),
        ("Gauge", "Gauges"), ("DomainEvent", "DomainEvents"), ("Alert", "Alerts"), ("Subscription", "Subscriptions"),
        ("Blob", "Blobs"), ("Asset", "Assets"), ("Thumbnail", "Thumbnails"), ("Ticket", "Tickets"),
        ("SupportCase", "SupportCases"), ("AuditEntry", "AuditEntries"), ("Policy", "Policies"), ("Route", "Routes"),
        ("Leg", "Legs"), ("Vehicle", "Vehicles"), ("Courier", "Couriers"), ("Warehouse", "Warehouses"),
        ("Bin", "Bins"), ("UserSession", "UserSessions"), ("Invitation", "Invitations"), ("Coupon", "Coupons"),
        ("Voucher", "Vouchers"), ("ImportBatch", "ImportBatches"), ("Job", "Jobs"), ("Snapshot", "Snapshots"),
        ("TraceSpan", "TraceSpans"), ("Device", "Devices"), ("Firmware", "Firmwares"), ("Tenant", "Tenants"),
        ("Contract", "Contracts"), ("Claim", "Claims"), ("Listing", "Listings"), ("Bid", "Bids"),
        ("Playlist", "Playlists"), ("Track", "Tracks"), ("Episode", "Episodes"), ("Lesson", "Lessons"),
        ("Enrollment", "Enrollments"), ("Prescription", "Prescriptions"), ("Visit", "Visits"), ("Meter", "Meters"),
        ("Tariff", "Tariffs"), ("Forecast", "Forecasts"), ("Campaign", "Campaigns"), ("Lead", "Leads"),
    };

    private const string Usings = """
        using System;
        using System.Collections.Concurrent;
        using System.Collections.Generic;
        using System.Diagnostics;
        using System.Diagnostics.CodeAnalysis;
        using System.Globalization;
        using System.IO;
        using System.Linq;
        using System.Runtime.CompilerServices;
        using System.Text;
        using System.Threading;
        using System.Threading.Channels;
        using System.Threading.Tasks;
        using Corpus.Shared;
        using Lockstep;
        """;

    public static GeneratedCorpus Generate(ulong seed = DefaultSeed, int fileCount = DefaultFileCount)
    {
        if (fileCount < 1 || fileCount > Entities.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(fileCount), fileCount, $"Between 1 and {Entities.Length} files.");
        }

        var random = new DeterministicRandom(seed);
        var entities = Entities.ToList();
        random.Shuffle(entities);

        var files = new List<CorpusFile>
        {
            Shared("Shared/Infrastructure.cs", SharedSources.Infrastructure),
            Shared("Shared/Concurrency.cs", SharedSources.Concurrency),
        };

        var plan = new List<(ClassRole Role, MemberTemplate Template)>[fileCount];
        for (int i = 0; i < fileCount; i++)
        {
            plan[i] = new List<(ClassRole, MemberTemplate)>();
        }

        foreach (var (role, template) in PitfallTemplates())
        {
            for (int copy = 0; copy < (int)template.Weight; copy++)
            {
                plan[random.Next(fileCount)].Add((role, template));
            }
        }

        var pitfalls = new List<SeededPitfall>();
        for (int i = 0; i < fileCount; i++)
        {
            var (singular, plural) = entities[i];
            string domain = random.Pick(Domains);
            string path = $"{domain}/{singular}.cs";
            // Each file draws from its own stream, so changing one template does not reshuffle every later file.
            var fileRandom = new DeterministicRandom(random.NextUInt64());
            var context = new FileContext(fileRandom, domain, singular, plural);
            string text = GenerateFile(context, path, fileRandom.Next(330, 571), plan[i], seed, pitfalls);
            files.Add(new CorpusFile(path, text, SourceWriter.CountLines(text) - 1));
        }

        return new GeneratedCorpus(files, pitfalls, seed);
    }

    private static IEnumerable<(ClassRole Role, MemberTemplate Template)> PitfallTemplates() =>
        StoreTemplates.Pitfalls.Select(t => (ClassRole.Store, t))
            .Concat(ServiceTemplates.Pitfalls.Select(t => (ClassRole.Service, t)))
            .Concat(WorkerTemplates.Pitfalls.Select(t => (ClassRole.Worker, t)))
            .Concat(LedgerTemplates.Pitfalls.Select(t => (ClassRole.Ledger, t)))
            .Concat(HelperTemplates.Pitfalls.Select(t => (ClassRole.Helpers, t)));

    private static CorpusFile Shared(string path, string text)
    {
        text = text.Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";
        return new CorpusFile(path, text, SourceWriter.CountLines(text) - 1);
    }

    private static string GenerateFile(
        FileContext f,
        string path,
        int targetLines,
        List<(ClassRole Role, MemberTemplate Template)> plannedPitfalls,
        ulong seed,
        List<SeededPitfall> pitfalls)
    {
        var store = new ClassContext(f, ClassRole.Store, f.StoreType, $"public sealed class {f.StoreType} : {f.IStoreType}");
        var service = new ClassContext(f, ClassRole.Service, f.ServiceType, $"public sealed class {f.ServiceType}");
        var helpers = new ClassContext(f, ClassRole.Helpers, f.HelpersType, $"public static class {f.HelpersType}");
        f.Helpers = helpers;
        StoreTemplates.AddMandatory(f, store);
        ServiceTemplates.AddMandatory(f, service);
        AddMember(f, helpers);
        AddMember(f, helpers);

        // Weighted choice of the class that gets the next member; the service carries most of the async code.
        var classes = new List<(ClassContext Class, double Weight)> { (store, 0.07), (service, 0.38), (helpers, 0.12) };
        if (f.Random.Chance(0.8) || plannedPitfalls.Any(p => p.Role == ClassRole.Worker))
        {
            var worker = new ClassContext(f, ClassRole.Worker, f.WorkerType, $"public sealed class {f.WorkerType}");
            WorkerTemplates.AddMandatory(f, worker);
            classes.Add((worker, 0.25));
        }

        if (f.Random.Chance(0.75) || plannedPitfalls.Any(p => p.Role == ClassRole.Ledger))
        {
            // Not sealed: a ledger may be subclassed, which is what makes 'lock (this)' risky.
            var ledger = new ClassContext(f, ClassRole.Ledger, f.LedgerType, $"public class {f.LedgerType}");
            LedgerTemplates.AddMandatory(f, ledger);
            classes.Add((ledger, 0.22));
        }

        // Each planned pitfall goes in after a random number of ordinary members, not always at the top of a class.
        var pending = plannedPitfalls
            .Select(p => (p.Role, p.Template, Due: f.Random.Next(0, 16)))
            .OrderBy(p => p.Due)
            .ToList();

        string model = Model(f);
        string header = Header(f, seed);
        int fixedLines = SourceWriter.CountLines(header) + SourceWriter.CountLines(model) + SourceWriter.CountLines(StoreTemplates.Interface(f)) + 4;
        for (int step = 0; step < 500 && (pending.Count > 0 || fixedLines + classes.Sum(c => c.Class.EstimatedLines) < targetLines); step++)
        {
            if (pending.Count > 0 && (pending[0].Due <= step || fixedLines + classes.Sum(c => c.Class.EstimatedLines) >= targetLines))
            {
                var (role, template, _) = pending[0];
                pending.RemoveAt(0);
                AddMember(f, classes.First(c => c.Class.Role == role).Class, template);
                continue;
            }

            ClassContext target = PickWeighted(f.Random, classes);
            AddMember(f, target);
        }

        var writer = new SourceWriter();
        writer.Block(header);
        writer.Line();
        writer.Block(model);
        writer.Line();
        writer.Block(StoreTemplates.Interface(f));
        foreach (var (cls, _) in classes.OrderBy(c => c.Class.Role))
        {
            writer.Line();
            WriteClass(writer, cls, path, pitfalls);
        }

        return writer.ToString();
    }

    private static void AddMember(FileContext f, ClassContext c, MemberTemplate? template = null)
    {
        var optional = c.Role switch
        {
            ClassRole.Store => StoreTemplates.Optional,
            ClassRole.Service => ServiceTemplates.Optional,
            ClassRole.Worker => WorkerTemplates.Optional,
            ClassRole.Ledger => LedgerTemplates.Optional,
            _ => HelperTemplates.Optional,
        };

        template ??= PickWeighted(f.Random, optional.Select(t => (t, t.Weight)).ToList());
        string member = template.Build(f, c);
        if (!string.IsNullOrWhiteSpace(member))
        {
            c.Members.Add(member);
            if (template.PitfallFamily is { } family)
            {
                c.PitfallMembers[c.Members.Count - 1] = family + "/" + template.Name;
            }
        }
    }

    private static T PickWeighted<T>(DeterministicRandom random, IReadOnlyList<(T Item, double Weight)> choices)
    {
        double total = choices.Sum(c => c.Weight);
        double roll = random.NextDouble() * total;
        foreach (var (item, weight) in choices)
        {
            roll -= weight;
            if (roll < 0)
            {
                return item;
            }
        }

        return choices[^1].Item;
    }

    private static string Header(FileContext f, ulong seed) =>
        $"// Lockstep analyzer benchmark corpus (seed 0x{seed:x}): {f.Domain} / {f.Es}. Generated; do not edit.\n" +
        Usings + "\n\n" +
        $"namespace Corpus.{f.Domain};";

    private static string Model(FileContext f)
    {
        string state = f.Random.Chance(0.4)
            ? $"\n\npublic enum {f.E}State\n{{\n    Pending,\n    Active,\n    Completed,\n    Failed,\n}}"
            : "";
        string summary = $"public sealed record {f.SummaryType}(string Key, {f.NT} Total, int Count);";
        if (f.ModelIsRecord)
        {
            return $"public sealed record {f.E}(int Id, string {f.S}, {f.NT} {f.N}, int {f.I}, DateTime {f.D});\n\n{summary}{state}";
        }

        string camelS = char.ToLowerInvariant(f.S[0]) + f.S[1..];
        string camelN = char.ToLowerInvariant(f.N[0]) + f.N[1..];
        string camelI = char.ToLowerInvariant(f.I[0]) + f.I[1..];
        string camelD = char.ToLowerInvariant(f.D[0]) + f.D[1..];
        return $$"""
            public sealed class {{f.E}}
            {
                public {{f.E}}(int id, string {{camelS}}, {{f.NT}} {{camelN}}, int {{camelI}}, DateTime {{camelD}})
                {
                    Id = id;
                    {{f.S}} = {{camelS}};
                    {{f.N}} = {{camelN}};
                    {{f.I}} = {{camelI}};
                    {{f.D}} = {{camelD}};
                }

                public int Id { get; }

                public string {{f.S}} { get; }

                public {{f.NT}} {{f.N}} { get; }

                public int {{f.I}} { get; }

                public DateTime {{f.D}} { get; }

                public override string ToString() => $"{{f.E}} #{Id} ({{{f.S}}})";
            }

            {{summary}}{{state}}
            """;
    }

    private static void WriteClass(SourceWriter writer, ClassContext c, string path, List<SeededPitfall> pitfalls)
    {
        writer.Open(c.Header);
        foreach (string field in c.FieldDeclarations)
        {
            writer.Line(field);
        }

        bool first = c.FieldDeclarations.Count == 0;
        if (c.Constructor is not null)
        {
            if (!first)
            {
                writer.Line();
            }

            writer.Block(c.Constructor);
            first = false;
        }

        for (int i = 0; i < c.Members.Count; i++)
        {
            if (!first)
            {
                writer.Line();
            }

            int start = writer.LineCount + 1;
            writer.Block(c.Members[i]);
            first = false;
            if (c.PitfallMembers.TryGetValue(i, out string? tag))
            {
                int slash = tag.IndexOf('/', StringComparison.Ordinal);
                pitfalls.Add(new SeededPitfall(path, start, writer.LineCount, tag[..slash], tag[(slash + 1)..]));
            }
        }

        writer.Close();
    }
}
