using System.Collections.Generic;
using System.IO;
using System.Linq;
using Lockstep.Analyzers.Tests.Conventions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Lockstep.Analyzers.Tests.Robustness;

/// <summary>
/// Collects the C# programs embedded in the rule tests (every string literal that parses as a compilation unit with a
/// type or statement in it) and the samples, so the robustness test covers every rule added later without extra work.
/// </summary>
internal static class TestSourceHarvester
{
    public static IReadOnlyList<string> Harvest()
    {
        var sources = new SortedSet<string>(System.StringComparer.Ordinal);
        foreach (string file in Directory.EnumerateFiles(RepositoryPaths.Combine("tests", "Lockstep.Analyzers.Tests", "Rules"), "*.cs", SearchOption.AllDirectories))
        {
            var root = CSharpSyntaxTree.ParseText(File.ReadAllText(file)).GetRoot();
            foreach (var literal in root.DescendantNodes().OfType<LiteralExpressionSyntax>().Where(l => l.IsKind(SyntaxKind.StringLiteralExpression)))
                AddIfProgram(sources, StripMarkup(literal.Token.ValueText));

            // Interpolated raw strings ($$"""…{{member}}…""") keep their text parts; the holes become empty.
            foreach (var interpolated in root.DescendantNodes().OfType<InterpolatedStringExpressionSyntax>())
                AddIfProgram(sources, StripMarkup(string.Concat(interpolated.Contents.OfType<InterpolatedStringTextSyntax>().Select(t => t.TextToken.ValueText))));
        }

        foreach (string file in Directory.EnumerateFiles(RepositoryPaths.Combine("samples"), "*.cs", SearchOption.AllDirectories))
        {
            if (!file.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar))
                sources.Add(File.ReadAllText(file));
        }

        return sources.ToList();
    }

    private static void AddIfProgram(SortedSet<string> sources, string text)
    {
        if (text.Length < 20 || !(text.Contains("class ") || text.Contains("struct ") || text.Contains("await ")))
            return;

        sources.Add(text);
    }

    /// <summary>Removes <c>[|</c>, <c>|]</c> and <c>{|ID:</c> / <c>|}</c> markers; the text in between stays.</summary>
    internal static string StripMarkup(string text)
    {
        var builder = new System.Text.StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '[' && i + 1 < text.Length && text[i + 1] == '|') { i++; continue; }
            if (text[i] == '|' && i + 1 < text.Length && (text[i + 1] == ']' || text[i + 1] == '}')) { i++; continue; }
            if (text[i] == '{' && i + 1 < text.Length && text[i + 1] == '|')
            {
                int colon = text.IndexOf(':', i + 2);
                if (colon > 0) { i = colon; continue; }
            }

            builder.Append(text[i]);
        }

        return builder.ToString();
    }
}
