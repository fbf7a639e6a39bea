using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Lockstep.Analyzers.Tests.Verifiers;

/// <summary>
/// Compares expected with actual diagnostics. Each expected result must claim a distinct actual diagnostic that
/// matches it (ID; locations when given, otherwise no location; severity when given; message or arguments when
/// given). Claims are made by a maximum bipartite matching, so a loose expectation such as
/// <c>WithLocation(line, column)</c> never steals the diagnostic a stricter one needs, whatever the order.
/// </summary>
internal static class DiagnosticComparer
{
    public static DiagnosticComparison Compare(IReadOnlyList<DiagnosticResult> expected, IReadOnlyList<Diagnostic> actual)
    {
        var candidates = expected.Select(e => Enumerable.Range(0, actual.Count).Where(a => Matches(e, actual[a])).ToArray()).ToArray();
        var claimedBy = Enumerable.Repeat(-1, actual.Count).ToArray();
        for (var e = 0; e < expected.Count; e++)
            TryClaim(e, candidates, claimedBy, new bool[actual.Count]);

        var matchedExpected = new HashSet<int>(claimedBy.Where(e => e >= 0));
        var missing = Enumerable.Range(0, expected.Count).Where(e => !matchedExpected.Contains(e)).Select(e => expected[e]).ToList();
        var unexpected = Enumerable.Range(0, actual.Count).Where(a => claimedBy[a] < 0).Select(a => actual[a]).ToList();

        // Pair what is left when it is plainly the same diagnostic with a detail wrong, so the message can say which detail.
        var mismatched = new List<DiagnosticMismatch>();
        foreach (var result in missing.ToList())
        {
            var close = unexpected.FirstOrDefault(a => a.Id == result.Id && SameStartLine(result, a));
            if (close is null)
                continue;
            missing.Remove(result);
            unexpected.Remove(close);
            mismatched.Add(new DiagnosticMismatch(result, close, Differences(result, close)));
        }

        return new DiagnosticComparison(missing, unexpected, mismatched);
    }

    public static bool Matches(DiagnosticResult expected, Diagnostic actual) =>
        expected.Id == actual.Id
        && (expected.Severity is not { } severity || severity == actual.Severity)
        && LocationsMatch(expected, actual)
        && MessageMatches(expected, actual, out _);

    /// <summary>Kuhn's augmenting path: lets expected result <paramref name="e"/> claim an actual diagnostic, re-seating earlier claims if needed.</summary>
    private static bool TryClaim(int e, int[][] candidates, int[] claimedBy, bool[] visited)
    {
        foreach (var a in candidates[e])
        {
            if (visited[a])
                continue;
            visited[a] = true;
            if (claimedBy[a] < 0 || TryClaim(claimedBy[a], candidates, claimedBy, visited))
            {
                claimedBy[a] = e;
                return true;
            }
        }

        return false;
    }

    private static bool LocationsMatch(DiagnosticResult expected, Diagnostic actual)
    {
        if (!expected.HasLocation)
            return actual.Location.Kind == LocationKind.None;
        if (actual.Location.Kind == LocationKind.None || !LocationMatches(expected.Spans[0], actual.Location))
            return false;
        if (expected.Spans.Length == 1)
            return true; // additional locations are compared only when the expectation lists them

        return actual.AdditionalLocations.Count == expected.Spans.Length - 1
            && actual.AdditionalLocations.Select((location, i) => LocationMatches(expected.Spans[i + 1], location)).All(match => match);
    }

    private static bool LocationMatches(DiagnosticLocation expected, Location actual)
    {
        var span = actual.GetLineSpan();
        return span.Path == expected.Span.Path
            && span.StartLinePosition == expected.Span.StartLinePosition
            && (expected.IgnoresLength || span.EndLinePosition == expected.Span.EndLinePosition);
    }

    private static bool MessageMatches(DiagnosticResult expected, Diagnostic actual, out string? expectedMessage)
    {
        expectedMessage = expected.Message ?? FormatArguments(expected, actual);
        return expectedMessage is null || expectedMessage == actual.GetMessage(CultureInfo.InvariantCulture);
    }

    private static string? FormatArguments(DiagnosticResult expected, Diagnostic actual)
    {
        if (expected.MessageArguments is not { } arguments)
            return null;
        var format = (expected.MessageFormat ?? actual.Descriptor.MessageFormat).ToString(CultureInfo.InvariantCulture);
        try
        {
            return string.Format(CultureInfo.InvariantCulture, format, arguments);
        }
        catch (FormatException)
        {
            return $"<{arguments.Length} argument(s) do not fit the message format \"{format}\">";
        }
    }

    private static bool SameStartLine(DiagnosticResult expected, Diagnostic actual)
    {
        if (!expected.HasLocation || actual.Location.Kind == LocationKind.None)
            return !expected.HasLocation && actual.Location.Kind == LocationKind.None;
        var span = actual.Location.GetLineSpan();
        return span.Path == expected.Spans[0].Span.Path && span.StartLinePosition.Line == expected.Spans[0].Span.StartLinePosition.Line;
    }

    private static IReadOnlyList<string> Differences(DiagnosticResult expected, Diagnostic actual)
    {
        var differences = new List<string>();
        if (expected.Severity is { } severity && severity != actual.Severity)
            differences.Add($"severity: expected {severity}, actual {actual.Severity}");
        if (!LocationsMatch(expected, actual))
        {
            var expectedSpans = string.Join(", ", expected.Spans.Select(s => Describe(s.Span, s.IgnoresLength)));
            var actualSpans = string.Join(", ", new[] { actual.Location }.Concat(actual.AdditionalLocations).Select(l => Describe(l.GetLineSpan(), ignoreLength: false)));
            differences.Add($"location(s): expected {expectedSpans}, actual {actualSpans}");
        }

        if (!MessageMatches(expected, actual, out var expectedMessage))
            differences.Add($"message: expected \"{expectedMessage}\", actual \"{actual.GetMessage(CultureInfo.InvariantCulture)}\"");
        return differences;
    }

    private static string Describe(FileLinePositionSpan span, bool ignoreLength)
    {
        var start = $"({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1})";
        return ignoreLength ? $"{span.Path}{start}" : $"{span.Path}{start}-({span.EndLinePosition.Line + 1},{span.EndLinePosition.Character + 1})";
    }
}
