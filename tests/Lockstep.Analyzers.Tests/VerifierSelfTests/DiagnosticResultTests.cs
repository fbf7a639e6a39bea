using System;
using Lockstep.Analyzers.Tests.VerifierSelfTests.TestAnalyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Lockstep.Analyzers.Tests.VerifierSelfTests;

public sealed class DiagnosticResultTests
{
    [Fact]
    public void With_methods_return_copies_and_leave_the_original_unchanged()
    {
        var original = new DiagnosticResult(TestDescriptors.FortyTwo);

        var located = original.WithSpan(1, 2, 3, 4).WithArguments("a").WithSeverity(DiagnosticSeverity.Error);

        Assert.False(original.HasLocation);
        Assert.Null(original.MessageArguments);
        Assert.Equal(DiagnosticSeverity.Warning, original.Severity);
        Assert.True(located.HasLocation);
        Assert.Equal(DiagnosticSeverity.Error, located.Severity);
    }

    [Fact]
    public void Spans_are_one_based_outside_and_zero_based_inside()
    {
        var result = new DiagnosticResult("X1", DiagnosticSeverity.Warning).WithSpan(3, 5, 3, 21);

        var span = Assert.Single(result.Spans).Span;
        Assert.Equal(new LinePositionSpan(new LinePosition(2, 4), new LinePosition(2, 20)), span.Span);
        Assert.Equal(string.Empty, span.Path);
    }

    [Fact]
    public void Second_location_is_an_additional_location()
    {
        var result = new DiagnosticResult("X1", DiagnosticSeverity.Warning).WithLocation(1, 1).WithSpan("/0/Test1.cs", 2, 1, 2, 5).WithLocation(7);

        Assert.Equal(3, result.Spans.Length);
        Assert.Equal(DiagnosticLocationOptions.IgnoreLength, result.Spans[0].Options);
        Assert.Equal("/0/Test1.cs", result.Spans[1].Span.Path);
        Assert.Equal(DiagnosticLocationOptions.InterpretAsMarkupKey, result.Spans[2].Options);
    }

    [Fact]
    public void WithNoLocation_removes_every_location()
    {
        var result = new DiagnosticResult("X1", DiagnosticSeverity.Warning).WithLocation(1, 1).WithNoLocation();

        Assert.False(result.HasLocation);
    }

    [Fact]
    public void Default_result_reads_as_having_no_location()
    {
        Assert.Empty(default(DiagnosticResult).Spans);
    }

    [Fact]
    public void Compiler_results_carry_their_severity()
    {
        Assert.Equal(DiagnosticSeverity.Error, DiagnosticResult.CompilerError("CS0103").Severity);
        Assert.Equal(DiagnosticSeverity.Warning, DiagnosticResult.CompilerWarning("CS0168").Severity);
        Assert.Empty(DiagnosticResult.EmptyDiagnosticResults);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 0)]
    public void Lines_and_columns_below_one_are_rejected(int line, int column)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DiagnosticResult("X1", DiagnosticSeverity.Warning).WithLocation(line, column));
    }

    [Fact]
    public void ToString_is_the_CSharp_that_builds_the_result()
    {
        var result = new DiagnosticResult(TestDescriptors.FortyTwo)
            .WithSpan(1, 19, 1, 21)
            .WithLocation("/0/Test1.cs", 2, 3)
            .WithLocation(0)
            .WithArguments("42", 7, "say \"hi\"");

        Assert.Equal(
            "Verify.Diagnostic(\"TST001\").WithSpan(1, 19, 1, 21).WithLocation(\"/0/Test1.cs\", 2, 3).WithLocation(0).WithArguments(\"42\", 7, \"say \\\"hi\\\"\")",
            result.ToString());
        Assert.Equal("DiagnosticResult.CompilerError(\"CS0103\").WithMessage(\"m\")", DiagnosticResult.CompilerError("CS0103").WithMessage("m").ToString());
    }
}
