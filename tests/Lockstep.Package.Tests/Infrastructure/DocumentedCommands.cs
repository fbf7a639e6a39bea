using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace Lockstep.Package.Tests.Infrastructure;

/// <summary>
/// The fenced blocks of docs/getting-started.md marked <c>&lt;!-- tested: name --&gt;</c>. The package tests run these very
/// commands (with the documented placeholders pointed at the test's folders), so the page cannot drift from what works.
/// </summary>
internal static class DocumentedCommands
{
    public static string PagePath => Path.Combine(Repository.Root, "docs", "getting-started.md");

    /// <summary>The lines of the block marked <paramref name="name"/>, without blank lines unless <paramref name="keepBlankLines"/> (source code).</summary>
    public static IReadOnlyList<string> Block(string name, bool keepBlankLines = false)
    {
        string page = File.ReadAllText(PagePath).Replace("\r\n", "\n", StringComparison.Ordinal);
        var match = Regex.Match(page, @"<!-- tested: " + Regex.Escape(name) + @" -->\n```[a-z]*\n(?<body>.*?)\n```", RegexOptions.Singleline);
        if (!match.Success)
            throw new InvalidOperationException($"docs/getting-started.md has no block marked '<!-- tested: {name} -->'.");
        return match.Groups["body"].Value.Split('\n').Where(line => keepBlankLines || line.Trim().Length > 0).ToList();
    }

    /// <summary>A documented <c>dotnet …</c> command line split into arguments (the docs use no quoting).</summary>
    public static string[] DotNetArguments(string line)
    {
        string[] words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0 || words[0] != "dotnet")
            throw new InvalidOperationException($"Not a dotnet command: {line}");
        return words.Skip(1).ToArray();
    }
}
