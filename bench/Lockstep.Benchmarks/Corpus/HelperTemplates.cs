using System.Collections.Generic;

namespace Lockstep.Benchmarks.Corpus;

/// <summary>The static helpers: validation, parsing, formatting, extension methods, and the odd blocking helper.</summary>
internal static class HelperTemplates
{
    public static string EnsureValidate(FileContext f) => f.Helpers.Ensure("Validate", () => $$"""
        public static void Validate({{f.E}} item)
        {
            ArgumentNullException.ThrowIfNull(item);
            if (item.Id <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(item), item.Id, "Id must be positive");
            }

            if (string.IsNullOrWhiteSpace(item.{{f.S}}))
            {
                throw new ArgumentException("{{f.S}} is required", nameof(item));
            }
        }
        """);

    public static string EnsureTryParse(FileContext f) => f.Helpers.Ensure("TryParse", () => $$"""
        public static bool TryParse(string line, [NotNullWhen(true)] out {{f.E}}? item)
        {
            item = null;
            var parts = line.Split({{f.Random.Pick(new[] { "','", "';'", "'|'", "'\\t'" })}}, StringSplitOptions.TrimEntries);
            if (parts.Length < 4 || !int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsedId))
            {
                return false;
            }

            if (!{{f.NT}}.TryParse(parts[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                return false;
            }

            var units = int.TryParse(parts[3], NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;
            item = {{f.NewModel("parsedId", "parts[1]", "value", "units")}};
            return true;
        }
        """);

    /// <summary>A sync helper that sleeps: blocking when async code calls it.</summary>
    public static string EnsureSleepyThrottle(FileContext f) => f.Helpers.Ensure("WaitForQuota", () => $$"""
        public static void WaitForQuota(int permits)
        {
            // Crude rate limiting: upstream allows about {{f.Random.Next(5, 40)}} calls per second.
            Thread.Sleep(Math.Clamp(permits, 1, 10) * {{f.Ms()}});
        }
        """);

    /// <summary>Two sync helpers deep, then a blocking read in the shared infrastructure (another file).</summary>
    public static string EnsureBlockingChain(FileContext f)
    {
        f.Helpers.Ensure("NormalizeTemplate", () => """
            private static string NormalizeTemplate(string raw) => raw.Trim().Replace("\r\n", "\n", StringComparison.Ordinal);
            """);
        f.Helpers.Ensure("ReadTemplate", () => """
            private static string ReadTemplate(string name) => SimulatedIo.ReadBlocking("templates/" + name);
            """);
        return f.Helpers.Ensure("LoadTemplate", () => $$"""
            public static string LoadTemplate(string name)
            {
                lock (TemplateGate)
                {
                    if (Templates.TryGetValue(name, out var cached))
                    {
                        return cached;
                    }
                }

                var loaded = NormalizeTemplate(ReadTemplate(name));
                lock (TemplateGate)
                {
                    Templates[name] = loaded;
                }

                return loaded;
            }

            private static readonly object TemplateGate = new();

            private static readonly Dictionary<string, string> Templates = new(StringComparer.Ordinal);
            """);
    }

    public static readonly IReadOnlyList<MemberTemplate> Optional = new MemberTemplate[]
    {
        new("Validate", 1, null, (f, c) => Ensured(() => EnsureValidate(f))),
        new("TryParse", 1, null, (f, c) => Ensured(() => EnsureTryParse(f))),
        new("TotalExtension", 1, null, (f, c) => $$"""
            public static {{f.NT}} {{c.Unique("Total" + f.N)}}(this IEnumerable<{{f.E}}> items) => items.Sum(x => x.{{f.N}});
            """),
        new("Describe", 1, null, (f, c) => $$"""
            public static string {{c.Unique("Describe")}}(IReadOnlyCollection<{{f.E}}> items)
            {
                var text = new StringBuilder();
                text.Append(items.Count).Append(" {{f.Es.ToLowerInvariant()}}");
                foreach (var day in items.GroupBy(x => x.{{f.D}}.Date).OrderBy(g => g.Key))
                {
                    text.AppendLine()
                        .Append(day.Key.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))
                        .Append(": ")
                        .Append(day.Count())
                        .Append(" (")
                        .Append(day.Sum(x => x.{{f.N}}).ToString("N2", CultureInfo.InvariantCulture))
                        .Append(')');
                }

                return text.ToString();
            }
            """),
        new("Batches", 1, null, (f, c) => $$"""
            public static IEnumerable<{{f.E}}[]> {{c.Unique("InBatches")}}(this IEnumerable<{{f.E}}> items, int size)
            {
                if (size <= 0)
                {
                    throw new ArgumentOutOfRangeException(nameof(size), size, "Batch size must be positive");
                }

                return items.Chunk(size);
            }
            """),
        new("Fingerprint", 1, null, (f, c) => $$"""
            public static uint {{c.Unique("Fingerprint")}}({{f.E}} item)
            {
                const uint offset = 2166136261;
                const uint prime = 16777619;
                var hash = offset;
                foreach (var ch in item.{{f.S}})
                {
                    hash = (hash ^ ch) * prime;
                }

                hash = (hash ^ (uint)item.Id) * prime;
                return (hash ^ (uint)item.{{f.I}}) * prime;
            }
            """),
        new("Backoff", 0.8, null, (f, c) => $$"""
            public static TimeSpan {{c.Unique("Backoff")}}(int attempt) =>
                TimeSpan.FromMilliseconds(Math.Min({{f.Random.Next(2, 30) * 1000}}, {{f.Ms()}} * Math.Pow(2, Math.Max(0, attempt - 1))));
            """),
        new("Partition", 1, null, (f, c) => $$"""
            public static (List<{{f.E}}> Urgent, List<{{f.E}}> Routine) {{c.Unique("Partition")}}(this IEnumerable<{{f.E}}> items, int threshold)
            {
                var urgent = new List<{{f.E}}>();
                var routine = new List<{{f.E}}>();
                foreach (var item in items)
                {
                    (item.{{f.I}} >= threshold ? urgent : routine).Add(item);
                }

                return (urgent, routine);
            }
            """),
        new("Newest", 1, null, (f, c) => $$"""
            public static {{f.E}}? {{c.Unique("Newest")}}(this IEnumerable<{{f.E}}> items, Func<{{f.E}}, bool>? filter = null) =>
                items.Where(x => filter is null || filter(x)).MaxBy(x => x.{{f.D}});
            """),
        new("SpinUntilReady", 0.5, null, (f, c) => $$"""
            // Called from the startup thread only, before any async work begins.
            public static bool {{c.Unique("WaitUntilReady")}}(Func<bool> ready, TimeSpan timeout) => SpinWait.SpinUntil(ready, timeout);
            """),
    };

    public static readonly IReadOnlyList<MemberTemplate> Pitfalls = new MemberTemplate[0];

    // Ensure has already added the member; the template itself contributes nothing more.
    private static string Ensured(System.Action ensure)
    {
        ensure();
        return "";
    }
}
