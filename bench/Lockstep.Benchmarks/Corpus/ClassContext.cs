using System;
using System.Collections.Generic;

namespace Lockstep.Benchmarks.Corpus;

/// <summary>What the generator knows about one class while it fills it: fields requested so far, member names taken.</summary>
internal sealed class ClassContext
{
    private readonly Dictionary<string, string> _fieldNames = new(StringComparer.Ordinal);
    private readonly HashSet<string> _memberNames = new(StringComparer.Ordinal);
    private readonly HashSet<string> _ensured = new(StringComparer.Ordinal);

    public ClassContext(FileContext file, ClassRole role, string name, string header)
    {
        File = file;
        Role = role;
        Name = name;
        Header = header;
        _memberNames.Add(name);
    }

    public FileContext File { get; }

    public ClassRole Role { get; }

    public string Name { get; }

    /// <summary>Declaration line, for example <c>public sealed class InvoiceStore : IInvoiceStore</c>.</summary>
    public string Header { get; }

    public List<string> FieldDeclarations { get; } = new();

    public string? Constructor { get; set; }

    public List<string> Members { get; } = new();

    /// <summary>Index in <see cref="Members"/> of each seeded pitfall, with its <c>Family/Template</c> tag.</summary>
    public Dictionary<int, string> PitfallMembers { get; } = new();

    public int EstimatedLines
    {
        get
        {
            int lines = 4 + FieldDeclarations.Count;
            if (Constructor is not null)
            {
                lines += SourceWriter.CountLines(Constructor) + 1;
            }

            foreach (string member in Members)
            {
                lines += SourceWriter.CountLines(member) + 1;
            }

            return lines;
        }
    }

    /// <summary>
    /// The name of the field playing <paramref name="key"/> in this class, declaring it on first use. The name is
    /// chosen once per file (<see cref="FileContext.FieldName"/>) so one file reads consistently.
    /// </summary>
    public string Field(string key, Func<string, string> declaration)
    {
        if (_fieldNames.TryGetValue(key, out string? name))
        {
            return name;
        }

        name = File.FieldName(key);
        while (!_memberNames.Add(name))
        {
            name += "2";
        }

        _fieldNames[key] = name;
        FieldDeclarations.Add(declaration(name));
        return name;
    }

    /// <summary>A member name not yet used in this class: <paramref name="preferred"/>, else with a numeric suffix.</summary>
    public string Unique(string preferred)
    {
        if (_memberNames.Add(preferred))
        {
            return preferred;
        }

        string stem = preferred.EndsWith("Async", StringComparison.Ordinal) ? preferred[..^5] : preferred;
        string suffix = preferred.Length == stem.Length ? "" : "Async";
        for (int i = 2; ; i++)
        {
            string candidate = stem + i + suffix;
            if (_memberNames.Add(candidate))
            {
                return candidate;
            }
        }
    }

    /// <summary>Adds a helper member other templates call by a fixed name, once per class.</summary>
    public string Ensure(string name, Func<string> member)
    {
        if (_ensured.Add(name))
        {
            _memberNames.Add(name);
            Members.Add(member());
        }

        return name;
    }

    public bool Has(string name) => _ensured.Contains(name);
}

internal enum ClassRole
{
    Store,
    Service,
    Worker,
    Ledger,
    Helpers,
}
