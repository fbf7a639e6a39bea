using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Xunit;

namespace Lockstep.Analyzers.Tests.Conventions;

/// <summary>IDs, bands, wording, help links, docs pages, release tracking and the rule index stay consistent.</summary>
public sealed class DescriptorConventionTests
{
    public static IEnumerable<object[]> Ids => LockstepComponents.DescriptorCases();

    /// <summary>The rules about code; the notes about the analysis (LS0xxx) have no sample line and no fix.</summary>
    public static IEnumerable<object[]> RuleIds => LockstepComponents.DescriptorCases().Where(c => LockstepComponents.Descriptor((string)c[0]).Category != Categories.Analysis);

    [Fact]
    public void Every_supported_descriptor_is_declared_on_Descriptors_and_IDs_are_unique()
    {
        var declared = LockstepComponents.Descriptors.Select(d => d.Id).ToList();
        Assert.Equal(declared.Count, declared.Distinct().Count());

        var supported = LockstepComponents.Analyzers.SelectMany(a => a.SupportedDiagnostics).ToList();
        Assert.All(supported, d => Assert.Same(LockstepComponents.Descriptor(d.Id), d));
        Assert.Equal(declared.OrderBy(x => x), supported.Select(d => d.Id).Distinct().OrderBy(x => x));
    }

    [Fact]
    public void DiagnosticIds_constants_match_the_descriptors()
    {
        var constants = typeof(DiagnosticIds).GetFields().Select(f => (string)f.GetRawConstantValue()!).OrderBy(x => x);
        Assert.Equal(LockstepComponents.Descriptors.Select(d => d.Id).OrderBy(x => x), constants);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Id_is_in_the_band_of_its_category(string id)
    {
        var descriptor = LockstepComponents.Descriptor(id);
        Assert.Matches(@"^LS\d{4}$", id);

        var bands = File.ReadAllLines(RepositoryPaths.Combine("src", "Lockstep.Analyzers", "DiagnosticCategoryAndIdRanges.txt"))
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => Regex.Match(line, @"^(?<category>[\w.]+): LS(?<from>\d{4})-LS(?<to>\d{4})$"))
            .ToDictionary(m => m.Groups["category"].Value, m => (From: int.Parse(m.Groups["from"].Value), To: int.Parse(m.Groups["to"].Value)));

        Assert.True(bands.TryGetValue(descriptor.Category, out var band), $"category {descriptor.Category} has no band");
        int number = int.Parse(id.Substring(2));
        Assert.InRange(number, band.From, band.To);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Title_message_and_description_follow_the_wording_rules(string id)
    {
        var descriptor = LockstepComponents.Descriptor(id);
        string title = descriptor.Title.ToString();
        string message = descriptor.MessageFormat.ToString();
        string description = descriptor.Description.ToString();

        Assert.True(char.IsUpper(title[0]), "title starts with a capital");
        Assert.False(title.EndsWith('.'), "title has no final period");
        Assert.False(message.EndsWith('.'), "message has no final period");
        Assert.EndsWith(".", description);
        Assert.Contains("{0}", message);
    }

    /// <summary>
    /// The imperatives a message's remedy clause may open with: every message ends with "; " and what to do
    /// ("…; await 'Task.Delay' instead"), so a reader of the build log knows the way out without opening the docs.
    /// </summary>
    internal static readonly string[] RemedyVerbs =
        { "await", "hand", "hold", "lock", "make", "move", "name", "order", "raise", "release", "run", "set", "start", "take", "update", "use" };

    /// <summary>The remedy clause of a message: what follows its last "; ".</summary>
    internal static string? RemedyClause(string message)
    {
        int separator = message.LastIndexOf("; ", System.StringComparison.Ordinal);
        return separator < 0 ? null : message.Substring(separator + 2);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Message_is_one_sentence_that_ends_with_what_to_do(string id)
    {
        string message = LockstepComponents.Descriptor(id).MessageFormat.ToString();

        Assert.DoesNotContain(". ", message);
        Assert.DoesNotContain("\n", message);
        string? remedy = RemedyClause(message);
        Assert.True(remedy is not null, $"{id}: no '; <what to do>' clause in \"{message}\"");
        // A placeholder may carry the remedy when it depends on the call (LS3002: "await it", "await 'WaitAsync'");
        // MessagesInTheSamplesSayWhatToDo checks those as users see them.
        string first = remedy!.Split(' ', ',')[0];
        Assert.True(RemedyVerbs.Contains(first) || Regex.IsMatch(first, @"^\{\d\}$"), $"{id}: the remedy clause \"{remedy}\" does not start with one of {string.Join(", ", RemedyVerbs)}");
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Help_link_points_at_a_docs_page_whose_title_matches(string id)
    {
        var descriptor = LockstepComponents.Descriptor(id);
        Assert.Equal(Descriptors.HelpLinkBase + id + ".md", descriptor.HelpLinkUri);

        // The link is the repository's address (LockstepRepositoryUrl, written once) and a path that exists in it.
        string docsUrl = RepositoryPaths.BuildProperty("LockstepRepositoryUrl") + "/blob/" + RepositoryPaths.BuildProperty("LockstepDocsBranch") + "/";
        Assert.StartsWith(docsUrl, descriptor.HelpLinkUri);
        string relative = descriptor.HelpLinkUri.Substring(docsUrl.Length);
        Assert.Equal("docs/rules/" + id + ".md", relative);
        string page = RepositoryPaths.Combine(relative.Split('/'));
        Assert.True(File.Exists(page), $"{relative}, the help link's page, is missing");

        string[] lines = File.ReadAllLines(page);
        Assert.Equal($"# {id}: {descriptor.Title}", lines[0]);
        string text = string.Join("\n", lines);
        foreach (string section in new[] { "## Cause", "## Why it matters", "## Example", "## Code fix", "## Configuration", "## When to suppress", "## How to suppress", "## Related rules" })
            Assert.Contains(section, text);
        Assert.Contains("Sources:", text);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Release_tracking_lists_the_id_with_its_category_and_severity(string id)
    {
        var descriptor = LockstepComponents.Descriptor(id);
        var rows = new[] { "AnalyzerReleases.Shipped.md", "AnalyzerReleases.Unshipped.md" }
            .SelectMany(file => File.ReadAllLines(RepositoryPaths.Combine("src", "Lockstep.Analyzers", file)))
            .Where(line => line.StartsWith(id + " ", System.StringComparison.Ordinal))
            .Select(line => line.Split('|').Select(cell => cell.Trim()).ToArray())
            .ToList();

        Assert.NotEmpty(rows);
        string expectedSeverity = descriptor.IsEnabledByDefault ? descriptor.DefaultSeverity.ToString() : "Disabled";
        Assert.Contains(rows, row => row[1] == descriptor.Category && row[2] == expectedSeverity);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Docs_page_and_rule_tables_state_the_default_severity(string id)
    {
        // A rule whose default changes (LS1004 became a suggestion on real-code evidence) must say so everywhere a user
        // reads it: its page's header table, the rule index and the README's rules table.
        var descriptor = LockstepComponents.Descriptor(id);
        string expected = descriptor.IsEnabledByDefault ? descriptor.DefaultSeverity.ToString() : "Disabled";
        var page = File.ReadAllLines(RepositoryPaths.Combine("docs", "rules", id + ".md"));
        Assert.Contains(page, line => line.StartsWith("| " + descriptor.Category + " | " + expected + " |", System.StringComparison.Ordinal));

        foreach (var table in new[] { RepositoryPaths.Combine("README.md"), RepositoryPaths.Combine("docs", "rules", "README.md") })
        {
            var row = File.ReadAllLines(table).FirstOrDefault(line => line.StartsWith("| [" + id + "]", System.StringComparison.Ordinal));
            if (row is not null)
                Assert.Contains("| " + descriptor.Category + " | " + expected + " |", row);
        }
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Rule_index_has_a_row_for_the_id(string id)
    {
        var descriptor = LockstepComponents.Descriptor(id);
        string index = File.ReadAllText(RepositoryPaths.Combine("docs", "rules", "README.md"));
        Assert.Contains($"| [{id}]({id}.md) | {descriptor.Title} | {descriptor.Category} |", index);
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void A_sample_line_triggers_the_id(string id)
    {
        string pitfalls = RepositoryPaths.Combine("samples", "Lockstep.Samples", "Pitfalls");
        bool found = Directory.EnumerateFiles(pitfalls, "*.cs", SearchOption.AllDirectories)
            .SelectMany(File.ReadLines)
            .Any(line => Regex.IsMatch(line, @" // (LS\d{4} )*" + id + @"( LS\d{4})*\s*$"));
        Assert.True(found, $"no line in samples/Lockstep.Samples/Pitfalls ends with a comment naming {id}");
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Id_has_a_code_fix_or_says_why_not(string id)
    {
        bool fixedByAFixer = LockstepComponents.Fixers.Any(f => f.FixableDiagnosticIds.Contains(id));
        var analyzer = LockstepComponents.Analyzers.Single(a => a.SupportedDiagnostics.Any(d => d.Id == id));
        bool declaredUnfixable = analyzer.GetType().GetCustomAttributes(typeof(NoCodeFixAttribute), false).Length > 0;
        Assert.True(fixedByAFixer ^ declaredUnfixable, $"{id}: either a fixer or [NoCodeFix(\"reason\")] on {analyzer.GetType().Name}, not both");
    }
}
