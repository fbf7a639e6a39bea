using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace Lockstep.Analyzers.Tests.Verifiers;

/// <summary>
/// Renders diagnostics for failure messages: as C# a test author can paste into the expected list, and as the
/// source with carets under each span.
/// </summary>
internal static class DiagnosticFormatter
{
    /// <summary>Files longer than this are listed only around the reported lines.</summary>
    private const int FullListingLineLimit = 80;
    private const int ListingContextLines = 2;

    // Roslyn keeps a diagnostic's message arguments internal (Diagnostic.Arguments). Reading them is the only way
    // to print WithArguments(...) lines that compare like the real ones; if a later Roslyn renames the property the
    // lines simply lose their arguments.
    private static readonly PropertyInfo? s_argumentsProperty =
        typeof(Diagnostic).GetProperty("Arguments", BindingFlags.Instance | BindingFlags.NonPublic);

    /// <summary>An expected result as C#; locations in <paramref name="defaultPath"/> are written without a path.</summary>
    public static string FormatExpected(DiagnosticResult result, string? defaultPath = null)
    {
        var text = new StringBuilder();
        if (result.MessageFormat is not null)
            text.Append("Verify.Diagnostic(").Append(Literal(result.Id)).Append(')');
        else if (result.Severity == DiagnosticSeverity.Error)
            text.Append("DiagnosticResult.CompilerError(").Append(Literal(result.Id)).Append(')');
        else if (result.Severity == DiagnosticSeverity.Warning)
            text.Append("DiagnosticResult.CompilerWarning(").Append(Literal(result.Id)).Append(')');
        else if (result.Severity is { } severity)
            text.Append("new DiagnosticResult(").Append(Literal(result.Id)).Append(", DiagnosticSeverity.").Append(severity).Append(')');
        else
            text.Append("{|").Append(result.Id).Append(":…|} (any severity)");

        foreach (var location in result.Spans)
        {
            if (location.IsMarkupKey)
            {
                text.Append(".WithLocation(").Append(location.MarkupKey).Append(')');
                continue;
            }

            var span = location.Span;
            var path = span.Path.Length == 0 || span.Path == defaultPath ? string.Empty : Literal(span.Path) + ", ";
            var start = span.StartLinePosition;
            var end = span.EndLinePosition;
            if (location.IgnoresLength)
                text.Append($".WithLocation({path}{start.Line + 1}, {start.Character + 1})");
            else
                text.Append($".WithSpan({path}{start.Line + 1}, {start.Character + 1}, {end.Line + 1}, {end.Character + 1})");
        }

        if (result.MessageArguments is { } arguments)
            text.Append(".WithArguments(").Append(string.Join(", ", arguments.Select(Literal))).Append(')');
        if (result.Message is { } message)
            text.Append(".WithMessage(").Append(Literal(message)).Append(')');
        return text.ToString();
    }

    /// <summary>
    /// An actual diagnostic as the C# that expects it. Diagnostics of the analyzers under test become
    /// <c>Verify.Diagnostic("ID")</c> with their arguments; compiler diagnostics become
    /// <c>DiagnosticResult.CompilerError("CS…")</c> without arguments (their messages are the compiler's business).
    /// </summary>
    public static string FormatActual(Diagnostic diagnostic, IReadOnlyDictionary<string, DiagnosticDescriptor> analyzerDiagnostics, string defaultPath)
    {
        var text = new StringBuilder();
        var fromAnalyzer = analyzerDiagnostics.TryGetValue(diagnostic.Id, out var descriptor);
        if (fromAnalyzer)
        {
            text.Append("Verify.Diagnostic(").Append(Literal(diagnostic.Id)).Append(')');
        }
        else
        {
            text.Append(diagnostic.Severity switch
            {
                DiagnosticSeverity.Error => $"DiagnosticResult.CompilerError({Literal(diagnostic.Id)})",
                DiagnosticSeverity.Warning => $"DiagnosticResult.CompilerWarning({Literal(diagnostic.Id)})",
                _ => $"new DiagnosticResult({Literal(diagnostic.Id)}, DiagnosticSeverity.{diagnostic.Severity})",
            });
        }

        foreach (var location in new[] { diagnostic.Location }.Concat(diagnostic.AdditionalLocations))
        {
            if (location.Kind == LocationKind.None)
                continue;
            var span = location.GetLineSpan();
            var path = span.Path == defaultPath ? string.Empty : Literal(span.Path) + ", ";
            text.Append($".WithSpan({path}{span.StartLinePosition.Line + 1}, {span.StartLinePosition.Character + 1}, "
                + $"{span.EndLinePosition.Line + 1}, {span.EndLinePosition.Character + 1})");
        }

        if (fromAnalyzer && diagnostic.Severity != descriptor!.DefaultSeverity)
            text.Append(".WithSeverity(DiagnosticSeverity.").Append(diagnostic.Severity).Append(')');
        if (fromAnalyzer && GetArguments(diagnostic) is { Count: > 0 } arguments)
            text.Append(".WithArguments(").Append(string.Join(", ", arguments.Select(Literal))).Append(')');
        return text.ToString();
    }

    /// <summary>
    /// The files that have diagnostics, each reported line followed by carets under the span and the message:
    /// <code>
    ///    3 |         Thread.Sleep(10);
    ///      |         ^^^^^^^^^^^^^^^^ LS3001: 'Thread.Sleep' blocks …
    /// </code>
    /// </summary>
    public static string FormatListing(IEnumerable<Diagnostic> diagnostics, Func<string, SourceText?> getText)
    {
        var text = new StringBuilder();
        var list = DiagnosticOrder.Sort(diagnostics).ToList();
        foreach (var diagnostic in list.Where(d => d.Location.Kind == LocationKind.None))
            text.Append("(no location) ").Append(diagnostic.Id).Append(": ").AppendLine(diagnostic.GetMessage(CultureInfo.InvariantCulture));

        foreach (var file in list.Where(d => d.Location.Kind != LocationKind.None).GroupBy(d => d.Location.GetLineSpan().Path))
        {
            text.AppendLine(file.Key);
            // A source location carries its tree, whose text is always at hand; documents a fix just produced may
            // not have materialized text yet. Additional files have no tree, so ask the caller.
            var source = file.First().Location.SourceTree?.GetText() ?? getText(file.Key);
            if (source is null)
            {
                foreach (var diagnostic in file)
                    text.Append("  ").Append(diagnostic.Location.GetLineSpan().Span).Append(' ').Append(diagnostic.Id).Append(": ").AppendLine(diagnostic.GetMessage(CultureInfo.InvariantCulture));
                continue;
            }

            AppendListing(text, source, file.ToList());
        }

        return text.ToString();
    }

    public static IReadOnlyList<object?>? GetArguments(Diagnostic diagnostic) =>
        s_argumentsProperty?.GetValue(diagnostic) as IReadOnlyList<object?>;

    /// <summary>A value as a C# literal: primitives as themselves, everything else as the string it formats to.</summary>
    public static string Literal(object? value) => value switch
    {
        null => "null",
        string s => SymbolDisplay.FormatLiteral(s, quote: true),
        _ => SymbolDisplay.FormatPrimitive(value, quoteStrings: true, useHexadecimalNumbers: false)
             ?? SymbolDisplay.FormatLiteral(Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty, quote: true),
    };

    private static void AppendListing(StringBuilder text, SourceText source, IReadOnlyList<Diagnostic> diagnostics)
    {
        var byLine = diagnostics.ToLookup(d => d.Location.GetLineSpan().StartLinePosition.Line);
        var lineCount = source.Lines.Count;
        var shown = new bool[lineCount];
        for (var line = 0; line < lineCount; line++)
        {
            if (lineCount <= FullListingLineLimit)
            {
                shown[line] = true;
            }
            else if (byLine.Contains(line))
            {
                for (var near = Math.Max(0, line - ListingContextLines); near <= Math.Min(lineCount - 1, line + ListingContextLines); near++)
                    shown[near] = true;
            }
        }

        var width = lineCount.ToString(CultureInfo.InvariantCulture).Length;
        var skipping = false;
        for (var line = 0; line < lineCount; line++)
        {
            if (!shown[line])
            {
                if (!skipping)
                    text.Append(' ', width + 1).AppendLine("…");
                skipping = true;
                continue;
            }

            skipping = false;
            // Tabs would shift the carets; one space keeps columns aligned with the one-based column numbers.
            var lineText = source.Lines[line].ToString().Replace('\t', ' ');
            text.Append((line + 1).ToString(CultureInfo.InvariantCulture).PadLeft(width)).Append(" | ").AppendLine(lineText);
            foreach (var diagnostic in byLine[line].OrderBy(d => d.Location.SourceSpan.Start))
            {
                var span = diagnostic.Location.GetLineSpan();
                var startColumn = span.StartLinePosition.Character;
                var endColumn = span.EndLinePosition.Line == line ? span.EndLinePosition.Character : Math.Max(lineText.Length, startColumn + 1);
                var note = span.Span.Start == span.Span.End ? " (empty span)"
                    : span.EndLinePosition.Line != line ? $" (span ends at line {span.EndLinePosition.Line + 1}, column {span.EndLinePosition.Character + 1})"
                    : string.Empty;
                text.Append(' ', width).Append(" | ").Append(' ', startColumn).Append('^', Math.Max(1, endColumn - startColumn))
                    .Append(' ').Append(diagnostic.Id).Append(": ").Append(diagnostic.GetMessage(CultureInfo.InvariantCulture)).AppendLine(note);
            }
        }
    }
}
