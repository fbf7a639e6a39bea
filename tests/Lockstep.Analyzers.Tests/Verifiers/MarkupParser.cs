using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace Lockstep.Analyzers.Tests.Verifiers;

/// <summary>
/// Removes diagnostic markup from a test source and records the spans it marked:
/// <c>[|code|]</c>, <c>{|ID:code|}</c> and <c>{|#0:code|}</c>. Markup may nest and may be empty (<c>[||]</c>);
/// <c>|]</c> closes only <c>[|</c> and <c>|}</c> only <c>{|</c>, so a stray closer is reported instead of silently
/// ending the wrong span.
/// </summary>
internal static class MarkupParser
{
    private const string OpenDefault = "[|";
    private const string CloseDefault = "|]";
    private const string OpenNamed = "{|";
    private const string CloseNamed = "|}";

    public static MarkupParseResult Parse(string markup, string fileName = "source")
    {
        var output = new StringBuilder(markup.Length);
        var open = new Stack<OpenMarkup>();
        var spans = new List<MarkupSpan>();
        var i = 0;
        while (i < markup.Length)
        {
            if (At(markup, i, OpenDefault))
            {
                open.Push(new OpenMarkup(MarkupKind.DefaultDiagnostic, null, -1, output.Length, i));
                i += OpenDefault.Length;
            }
            else if (At(markup, i, OpenNamed))
            {
                var (kind, id, key, length) = ReadName(markup, i, fileName);
                open.Push(new OpenMarkup(kind, id, key, output.Length, i));
                i += length;
            }
            else if (At(markup, i, CloseDefault) || At(markup, i, CloseNamed))
            {
                var closesDefault = markup[i + 1] == ']';
                if (open.Count == 0)
                    throw Error(markup, i, fileName, $"'{markup.Substring(i, 2)}' closes no open markup");
                var top = open.Pop();
                if ((top.Kind == MarkupKind.DefaultDiagnostic) != closesDefault)
                {
                    throw Error(markup, i, fileName,
                        $"'{markup.Substring(i, 2)}' does not match the '{(closesDefault ? OpenNamed : OpenDefault)}' opened at {Position(markup, top.MarkupPosition)}");
                }

                spans.Add(new MarkupSpan(top.Kind, TextSpan.FromBounds(top.Start, output.Length), top.DiagnosticId, top.LocationKey));
                i += 2;
            }
            else
            {
                output.Append(markup[i]);
                i++;
            }
        }

        if (open.Count > 0)
        {
            var unclosed = open.Peek();
            throw Error(markup, unclosed.MarkupPosition, fileName, $"markup '{markup.Substring(unclosed.MarkupPosition, 2)}' is never closed");
        }

        return new MarkupParseResult(
            output.ToString(),
            spans.OrderBy(s => s.Span.Start).ThenBy(s => s.Span.End).ToImmutableArray());
    }

    /// <summary>Reads <c>{|ID:</c> or <c>{|#n:</c> starting at <paramref name="start"/>.</summary>
    private static (MarkupKind Kind, string? Id, int Key, int Length) ReadName(string markup, int start, string fileName)
    {
        var nameStart = start + OpenNamed.Length;
        var colon = nameStart;
        while (colon < markup.Length && IsNameChar(markup[colon]))
            colon++;

        if (colon == nameStart || colon >= markup.Length || markup[colon] != ':')
            throw Error(markup, start, fileName, "'{|' must be followed by a diagnostic ID or '#<number>' and ':', as in {|LS2001:code|} or {|#0:code|}");

        var name = markup.Substring(nameStart, colon - nameStart);
        var length = colon + 1 - start;
        if (name[0] != '#')
            return (MarkupKind.DiagnosticId, name, -1, length);

        if (!int.TryParse(name.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var key))
            throw Error(markup, start, fileName, $"location markup '{{|{name}:' needs a number after '#'");
        return (MarkupKind.LocationKey, null, key, length);
    }

    private static bool IsNameChar(char c) => char.IsLetterOrDigit(c) || c is '_' or '#' or '.' or '-';

    private static bool At(string text, int index, string token) => string.CompareOrdinal(text, index, token, 0, token.Length) == 0;

    private static VerifierException Error(string markup, int position, string fileName, string message) =>
        new($"Invalid markup in {fileName} at {Position(markup, position)}: {message}.");

    private static string Position(string markup, int position)
    {
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < position; i++)
        {
            if (markup[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        return $"line {line}, column {position - lineStart + 1}";
    }

    private readonly record struct OpenMarkup(MarkupKind Kind, string? DiagnosticId, int LocationKey, int Start, int MarkupPosition);
}
