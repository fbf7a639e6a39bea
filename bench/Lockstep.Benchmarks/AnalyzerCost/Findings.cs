using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Lockstep.Benchmarks.Corpus;
using Microsoft.CodeAnalysis;

namespace Lockstep.Benchmarks.AnalyzerCost;

/// <summary>
/// A family's diagnostics on the corpus, set against the pitfalls the generator seeded for that family: how many
/// seeded pitfalls got at least one finding, and how many findings fall outside every seeded pitfall (either a
/// false positive or a real problem in code the generator meant to be correct; worth a look either way). A diagnostic
/// with additional locations (one lock-order cycle spans several methods) finds every seeded pitfall one of its
/// locations falls in, and is outside only when none of them falls in one.
/// </summary>
internal sealed record Findings(int Diagnostics, int Seeded, int SeededFound, int Outside)
{
    public static Findings Of(GeneratedCorpus corpus, string family, ISet<string> ids, IEnumerable<Diagnostic> diagnostics)
    {
        var located = diagnostics.Where(d => ids.Contains(d.Id)).Select(LocateAll).ToList();
        var seeded = corpus.Pitfalls.Where(p => p.Family == family).ToList();
        int found = seeded.Count(p => located.Any(d => d.Any(l => p.Contains(l.Path, l.Line))));
        int outside = located.Count(d => !seeded.Any(p => d.Any(l => p.Contains(l.Path, l.Line))));
        return new Findings(located.Count, seeded.Count, found, outside);
    }

    /// <summary>The primary and the additional locations of a diagnostic.</summary>
    public static List<(string Path, int Line)> LocateAll(Diagnostic diagnostic) =>
        new[] { diagnostic.Location }.Concat(diagnostic.AdditionalLocations)
            .Where(l => l.IsInSource)
            .Select(l => l.GetLineSpan())
            .Select(span => (span.Path, span.StartLinePosition.Line + 1))
            .ToList();

    public static (string Path, int Line, int Column) Locate(Diagnostic diagnostic)
    {
        var span = diagnostic.Location.GetLineSpan();
        return (span.Path, span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1);
    }

    /// <summary><c>--corpus-diagnostics [prefix]</c>: every finding with its source line, then the seeded pitfalls no rule reported.</summary>
    public static int List(AnalyzerCostWorkload workload, string idPrefix, TextWriter output)
    {
        var catalog = workload.Catalog;
        var corpus = workload.Corpus;
        if (catalog.All.IsEmpty)
        {
            output.WriteLine("No Lockstep analyzers found.");
            return 0;
        }

        var diagnostics = workload.AnalyzeWithTelemetry(catalog.All).GetAllDiagnostics()
            .Where(d => d.Id.StartsWith(idPrefix, StringComparison.OrdinalIgnoreCase) && catalog.DiagnosticIds.Contains(d.Id))
            .OrderBy(d => d.Location.SourceTree?.FilePath, StringComparer.Ordinal)
            .ThenBy(d => d.Location.SourceSpan.Start)
            .ToList();
        var familyOf = catalog.Families.SelectMany(f => f.DiagnosticIds.Select(id => (id, f.Name))).ToDictionary(x => x.id, x => x.Name);
        var texts = corpus.Files.ToDictionary(f => f.Path, f => f.Text.Split('\n'));

        foreach (var family in catalog.Families)
        {
            var findings = Of(corpus, family.Name, family.DiagnosticIds.Where(id => id.StartsWith(idPrefix, StringComparison.OrdinalIgnoreCase)).ToHashSet(), diagnostics);
            output.WriteLine($"{family.Name}: {findings.Diagnostics} diagnostics; {findings.SeededFound} of {findings.Seeded} seeded pitfalls reported; {findings.Outside} outside seeded pitfalls");
        }

        output.WriteLine();
        foreach (var diagnostic in diagnostics)
        {
            var (path, line, column) = Locate(diagnostic);
            var pitfall = corpus.Pitfalls.FirstOrDefault(p => p.Family == familyOf[diagnostic.Id] && p.Contains(path, line))
                ?? corpus.Pitfalls.FirstOrDefault(p => p.Family == familyOf[diagnostic.Id] && LocateAll(diagnostic).Any(l => p.Contains(l.Path, l.Line)));
            string tag = pitfall is null ? "OUTSIDE" : "seeded " + pitfall.Template;
            output.WriteLine($"[{tag}] {path}({line},{column}): {diagnostic.Id}: {diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}");
            output.WriteLine("    " + texts[path][line - 1].Trim());
        }

        var reportedFamilies = catalog.Families.Select(f => f.Name).ToHashSet();
        var missed = corpus.Pitfalls
            .Where(p => reportedFamilies.Contains(p.Family))
            .Where(p => !diagnostics.Any(d => familyOf[d.Id] == p.Family && LocateAll(d).Any(l => p.Contains(l.Path, l.Line))))
            .ToList();
        if (missed.Count > 0 && idPrefix.Length == 0)
        {
            output.WriteLine();
            foreach (var p in missed)
            {
                output.WriteLine($"[MISSED {p.Family}/{p.Template}] {p.Path}({p.StartLine}-{p.EndLine})");
            }
        }

        return 0;
    }
}
