using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Lockstep.Analyzers.Tests.Verifiers;

/// <summary>Turns a <see cref="SolutionState"/> into a <see cref="PreparedState"/>: parses markup and resolves expectations.</summary>
internal static class StatePreparer
{
    public static PreparedState Prepare(
        string name,
        SolutionState state,
        DiagnosticDescriptor? defaultDiagnostic,
        ImmutableArray<DiagnosticDescriptor> supportedDiagnostics)
    {
        if (state.Sources.Count == 0)
            throw new VerifierException($"{name} has no source: set TestCode (or FixedCode) or add to {name}.Sources.");

        var sources = state.Sources.Select(Parse).ToImmutableArray();
        var additionalFiles = state.AdditionalFiles.Select(Parse).ToImmutableArray();
        var configFiles = state.AnalyzerConfigFiles.Select(f => (f.filename, LineEndings.Normalize(f.content))).ToImmutableArray();

        var duplicate = sources.Concat(additionalFiles).GroupBy(f => f.Path).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new VerifierException($"{name} has two files named '{duplicate.Key}'.");

        var defaultPath = sources[0].Path;
        var keyedLocations = new Dictionary<int, FileLinePositionSpan>();
        var expected = ImmutableArray.CreateBuilder<DiagnosticResult>();
        foreach (var file in sources.Concat(additionalFiles))
        {
            foreach (var markup in file.Markup)
            {
                var span = new FileLinePositionSpan(file.Path, file.SourceText.Lines.GetLinePositionSpan(markup.Span));
                switch (markup.Kind)
                {
                    case MarkupKind.LocationKey:
                        if (!keyedLocations.TryAdd(markup.LocationKey, span))
                            throw new VerifierException($"{name}: location markup {{|#{markup.LocationKey}:…|}} is used more than once.");
                        break;
                    case MarkupKind.DefaultDiagnostic:
                        var descriptor = defaultDiagnostic ?? throw new VerifierException(
                            $"{name}: '[|…|]' markup needs an analyzer with a single diagnostic, but it supports "
                            + $"{string.Join(", ", supportedDiagnostics.Select(d => d.Id).Distinct())}; write {{|ID:…|}} instead.");
                        expected.Add(new DiagnosticResult(descriptor).WithSpan(span));
                        break;
                    default:
                        var known = supportedDiagnostics.FirstOrDefault(d => d.Id == markup.DiagnosticId);
                        // A compiler ID (CS0103) has no descriptor here, so its severity is not compared.
                        var result = known is null ? DiagnosticResult.WithAnySeverity(markup.DiagnosticId!) : new DiagnosticResult(known);
                        expected.Add(result.WithSpan(span));
                        break;
                }
            }
        }

        var claimedKeys = new HashSet<int>();
        foreach (var result in state.ExpectedDiagnostics)
        {
            if (result.Id is null)
                throw new VerifierException($"{name}.ExpectedDiagnostics contains default(DiagnosticResult); create results with Verify.Diagnostic(…).");
            expected.Add(Resolve(name, result, defaultPath, keyedLocations, claimedKeys));
        }

        var unclaimed = keyedLocations.Keys.Where(k => !claimedKeys.Contains(k)).OrderBy(k => k).ToList();
        if (unclaimed.Count > 0)
        {
            // An unclaimed location is almost always a typo in WithLocation(n); failing here beats a confusing mismatch.
            throw new VerifierException(
                $"{name}: location markup {string.Join(", ", unclaimed.Select(k => $"{{|#{k}:…|}}"))} is not claimed by any expected diagnostic's WithLocation({unclaimed[0]}).");
        }

        return new PreparedState(name, sources, additionalFiles, configFiles, expected.ToImmutable());
    }

    private static PreparedFile Parse((string filename, string content) file)
    {
        var parsed = MarkupParser.Parse(LineEndings.Normalize(file.content), file.filename);
        return new PreparedFile(file.filename, parsed.Text, parsed.Spans);
    }

    private static DiagnosticResult Resolve(
        string name,
        DiagnosticResult result,
        string defaultPath,
        IReadOnlyDictionary<int, FileLinePositionSpan> keyedLocations,
        HashSet<int> claimedKeys)
    {
        var spans = ImmutableArray.CreateBuilder<DiagnosticLocation>(result.Spans.Length);
        foreach (var location in result.Spans)
        {
            if (location.IsMarkupKey)
            {
                if (!keyedLocations.TryGetValue(location.MarkupKey, out var marked))
                    throw new VerifierException($"{name}: {result} refers to location {location.MarkupKey}, but no source marks {{|#{location.MarkupKey}:…|}}.");
                claimedKeys.Add(location.MarkupKey);
                spans.Add(new DiagnosticLocation(marked, DiagnosticLocationOptions.None));
            }
            else
            {
                spans.Add(location.Span.Path.Length == 0 ? location.WithPath(defaultPath) : location);
            }
        }

        return result.WithSpans(spans.MoveToImmutable());
    }
}
