using System;
using System.Linq;
using Microsoft.CodeAnalysis.Text;

namespace Lockstep.Analyzers.Tests.VerifierSelfTests;

public sealed class MarkupParserTests
{
    [Fact]
    public void Text_without_markup_is_returned_unchanged()
    {
        var result = MarkupParser.Parse("class C { int[] a = { 1 }; bool b = true || false; }");

        Assert.Equal("class C { int[] a = { 1 }; bool b = true || false; }", result.Text);
        Assert.Empty(result.Spans);
    }

    [Fact]
    public void Default_markup_marks_the_enclosed_text()
    {
        var result = MarkupParser.Parse("int x = [|42|];");

        Assert.Equal("int x = 42;", result.Text);
        var span = Assert.Single(result.Spans);
        Assert.Equal(new MarkupSpan(MarkupKind.DefaultDiagnostic, new TextSpan(8, 2)), span);
    }

    [Fact]
    public void Id_markup_records_the_diagnostic_id()
    {
        var result = MarkupParser.Parse("int x = {|CS0103:y|};");

        Assert.Equal("int x = y;", result.Text);
        Assert.Equal(new MarkupSpan(MarkupKind.DiagnosticId, new TextSpan(8, 1), DiagnosticId: "CS0103"), Assert.Single(result.Spans));
    }

    [Fact]
    public void Location_markup_records_the_key()
    {
        var result = MarkupParser.Parse("void {|#12:M|}() { }");

        Assert.Equal("void M() { }", result.Text);
        Assert.Equal(new MarkupSpan(MarkupKind.LocationKey, new TextSpan(5, 1), LocationKey: 12), Assert.Single(result.Spans));
    }

    [Fact]
    public void Nested_markup_gives_an_outer_and_an_inner_span()
    {
        var result = MarkupParser.Parse("x = {|#0:Call([|42|], {|LS2001:y|})|};");

        Assert.Equal("x = Call(42, y);", result.Text);
        Assert.Equal(
            new[]
            {
                new MarkupSpan(MarkupKind.LocationKey, TextSpan.FromBounds(4, 15), LocationKey: 0),
                new MarkupSpan(MarkupKind.DefaultDiagnostic, new TextSpan(9, 2)),
                new MarkupSpan(MarkupKind.DiagnosticId, new TextSpan(13, 1), DiagnosticId: "LS2001"),
            },
            result.Spans);
    }

    [Fact]
    public void Empty_markup_gives_an_empty_span()
    {
        var result = MarkupParser.Parse("class C {[||] }");

        Assert.Equal("class C { }", result.Text);
        Assert.Equal(new TextSpan(9, 0), Assert.Single(result.Spans).Span);
    }

    [Fact]
    public void Markup_may_span_lines()
    {
        var result = MarkupParser.Parse("a\n[|b\nc|]\nd");

        Assert.Equal("a\nb\nc\nd", result.Text);
        Assert.Equal(TextSpan.FromBounds(2, 5), Assert.Single(result.Spans).Span);
    }

    [Theory]
    [InlineData("int x = [|42;", "line 1, column 9", "never closed")]
    [InlineData("int x = 42|];", "line 1, column 11", "closes no open markup")]
    [InlineData("a\nint x = [|42|};", "line 2, column 13", "does not match")]
    [InlineData("int x = {|42|};", "line 1, column 9", "must be followed by a diagnostic ID")]
    [InlineData("int x = {|#a:42|};", "line 1, column 9", "needs a number")]
    public void Malformed_markup_is_reported_with_its_position(string markup, string position, string reason)
    {
        var exception = Assert.Throws<VerifierException>(() => MarkupParser.Parse(markup, "/0/Test0.cs"));

        Assert.Contains("/0/Test0.cs", exception.Message, StringComparison.Ordinal);
        Assert.Contains(position, exception.Message, StringComparison.Ordinal);
        Assert.Contains(reason, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Spans_are_ordered_by_start_then_end()
    {
        var result = MarkupParser.Parse("[|a|] {|X:b|} [|{|#0:c|}d|]");

        Assert.Equal(new[] { 0, 2, 4, 4 }, result.Spans.Select(s => s.Span.Start));
        Assert.Equal(new[] { 1, 3, 5, 6 }, result.Spans.Select(s => s.Span.End));
    }
}
