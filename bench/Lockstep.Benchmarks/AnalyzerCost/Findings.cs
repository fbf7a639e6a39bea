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
/// false positive or a real problem in code the generator meant to be correct; worth a look either way).
/// </summary>
internal sealed record Findings(int Diagnostics, int Seeded, int SeededFound, int Outside)
{
    public static Findings Of(GeneratedCorpus corpus, string family, ISet<string> ids, IEnumerable<Diagnostic> diagnostics)
    {
        var located = diagnostics.Where(d => ids.Contains(d.Id)).Select(Locate).ToList();
        var seeded = corpus.Pitfalls.Where(p => p.Family == family).ToList();
        int found = seeded.Count(p => located.Any(d => p.Contains(d.Path, d.Line)));
        int outside = located.Count(d => !seeded.Any(p => p.Contains(d.Path, d.Line)));
        return new Findings(located.Count, seeded.Count, found, outside);
    }

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
            var pitfall = corpus.Pitfalls.FirstOrDefault(p => p.Family == familyOf[diagnostic.Id] && p.Contains(path, line));
            string tag = pitfall is null ? "OUTSIDE" : "seeded " + pitfall.Template;
            output.WriteLine($"[{tag}] {path}({line},{column}): {diagnostic.Id}: {diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}");
            output.WriteLine("    " + texts[path][line - 1].Trim());
        }

        var reportedFamilies = catalog.Families.Select(f => f.Name).ToHashSet();
        var missed = corpus.Pitfalls
            .Where(p => reportedFamilies.Contains(p.Family))
            .Where(p => !diagnostics.Any(d => familyOf[d.Id] == p.Family && p.Contains(Locate(d).Path, Locate(d).Line)))
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
