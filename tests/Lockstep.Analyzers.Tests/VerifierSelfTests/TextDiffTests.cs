using System;

namespace Lockstep.Analyzers.Tests.VerifierSelfTests;

public sealed class TextDiffTests
{
    [Fact]
    public void Changed_line_is_shown_as_removed_then_added_with_both_line_numbers()
    {
        var diff = TextDiff.Unified("a\nb\nc", "a\nB\nc", "/0/Test0.cs");

        Assert.Equal(
            "--- expected /0/Test0.cs\n+++ actual   /0/Test0.cs\n@@ -1,3 +1,3 @@\n"
            + "    1    1 | a\n-   2      | b\n+        2 | B\n    3    3 | c\n",
            diff.Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Fact]
    public void Distant_changes_get_separate_hunks_with_three_lines_of_context()
    {
        var expected = string.Join("\n", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12");
        var actual = expected.Replace("2\n", "two\n", StringComparison.Ordinal).Replace("11", "eleven", StringComparison.Ordinal);

        var diff = TextDiff.Unified(expected, actual, "f");

        Assert.Contains("@@ -1,5 +1,5 @@", diff, StringComparison.Ordinal);
        Assert.Contains("@@ -8,5 +8,5 @@", diff, StringComparison.Ordinal);
        Assert.DoesNotContain("    6    6 |", diff, StringComparison.Ordinal);
    }

    [Fact]
    public void Whitespace_only_differences_are_made_visible()
    {
        var diff = TextDiff.Unified("a\nb", "a  \nb", "f");

        Assert.Contains("+        1 | a··", diff, StringComparison.Ordinal);
        Assert.Contains("differ only in trailing whitespace", diff, StringComparison.Ordinal);
    }
}
