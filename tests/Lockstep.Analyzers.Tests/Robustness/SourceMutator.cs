using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Lockstep.Analyzers.Tests.Robustness;

/// <summary>
/// Makes the broken code an IDE shows mid-typing from a valid program: truncations, deleted, duplicated, swapped and
/// replaced tokens. Deterministic for a given seed, so a failure reproduces.
/// </summary>
internal static class SourceMutator
{
    private static readonly string[] Replacements =
    {
        "{", "}", "(", ")", ";", ",", ".", "=", "await", "async", "lock", "null", "default", "new", "static", "=>", "?", "!", "ref", "yield",
    };

    public static IEnumerable<string> Mutate(string source, Random random, int count)
    {
        var tokens = CSharpSyntaxTree.ParseText(source).GetRoot().DescendantTokens().Where(t => t.Span.Length > 0).ToList();
        if (tokens.Count == 0)
            yield break;

        for (int i = 0; i < count; i++)
        {
            var token = tokens[random.Next(tokens.Count)];
            var span = token.Span;
            yield return (i % 5) switch
            {
                0 => source.Substring(0, random.Next(source.Length)),
                1 => source.Remove(span.Start, span.Length),
                2 => source.Insert(span.Start, token.Text + " "),
                3 => source.Remove(span.Start, span.Length).Insert(span.Start, Replacements[random.Next(Replacements.Length)]),
                _ => SwapWithNext(source, tokens, tokens.IndexOf(token)),
            };
        }
    }

    private static string SwapWithNext(string source, List<SyntaxToken> tokens, int index)
    {
        if (index + 1 >= tokens.Count)
            return source;

        var first = tokens[index];
        var second = tokens[index + 1];
        return source.Substring(0, first.SpanStart) + second.Text + source.Substring(first.Span.End, second.SpanStart - first.Span.End) + first.Text + source.Substring(second.Span.End);
    }
}
