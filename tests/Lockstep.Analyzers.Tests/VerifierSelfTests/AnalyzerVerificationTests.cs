using System;
using System.Globalization;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Xunit.Abstractions;
using Verify = Lockstep.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<
    Lockstep.Analyzers.Tests.VerifierSelfTests.TestAnalyzers.FortyTwoAnalyzer>;

namespace Lockstep.Analyzers.Tests.VerifierSelfTests;

/// <summary>How the verifier compares diagnostics, using the well-behaved TST001 analyzer (42 is not allowed).</summary>
public sealed class AnalyzerVerificationTests
{
    private readonly ITestOutputHelper _output;

    public AnalyzerVerificationTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public Task Default_markup_expects_the_analyzers_only_diagnostic() =>
        Verify.VerifyAnalyzerAsync("class C { int x = [|42|]; }");

    [Fact]
    public Task Source_without_diagnostics_passes_with_no_expectation() =>
        Verify.VerifyAnalyzerAsync("class C { int x = 41; }");

    [Fact]
    public Task Explicit_span_and_arguments_are_compared() =>
        Verify.VerifyAnalyzerAsync(
            "class C { int x = 42; }",
            Verify.Diagnostic().WithSpan(1, 19, 1, 21).WithArguments("42", "x"));

    [Fact]
    public Task Location_without_length_matches_on_the_start() =>
        Verify.VerifyAnalyzerAsync("class C { int x = 42; }", Verify.Diagnostic().WithLocation(1, 19));

    [Fact]
    public Task Markup_location_is_claimed_by_WithLocation() =>
        Verify.VerifyAnalyzerAsync(
            """
            class C
            {
                void M() { var y = {|#0:42|}; }
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithArguments("42", "M"));

    [Fact]
    public Task WithMessage_compares_the_whole_message() =>
        Verify.VerifyAnalyzerAsync(
            "class C { int x = {|#0:42|}; }",
            Verify.Diagnostic().WithLocation(0).WithMessage("Literal '42' is not allowed in 'x'"));

    [Fact]
    public Task Crlf_line_endings_give_the_same_positions() =>
        Verify.VerifyAnalyzerAsync("class C\r\n{\r\n    int x = 42;\r\n}\r\n", Verify.Diagnostic().WithSpan(3, 13, 3, 15));

    [Fact]
    public async Task Diagnostic_on_another_line_fails_with_paste_ready_lines_and_a_source_listing()
    {
        var message = await VerifierAssert.FailsAsync(
            () => Verify.VerifyAnalyzerAsync(
                """
                class C
                {
                    int x = [|41|];
                    int y = 42;
                }
                """),
            _output);

        Assert.Contains("TestState: the reported diagnostics differ from the expected ones.", message, StringComparison.Ordinal);
        Assert.Contains("Expected but not reported:\n    Verify.Diagnostic(\"TST001\").WithSpan(3, 13, 3, 15)\n", message, StringComparison.Ordinal);
        Assert.Contains("Reported but not expected:\n    Verify.Diagnostic(\"TST001\").WithSpan(4, 13, 4, 15)", message, StringComparison.Ordinal);
        Assert.Contains("Actual diagnostics, ready to paste:\n    Verify.Diagnostic(\"TST001\").WithSpan(4, 13, 4, 15).WithArguments(\"42\", \"y\"),", message, StringComparison.Ordinal);
        Assert.Contains("4 |     int y = 42;\n  |             ^^ TST001: Literal '42' is not allowed in 'y'\n5 | }", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diagnostic_at_another_column_of_the_expected_line_is_shown_as_a_location_difference()
    {
        var message = await VerifierAssert.FailsAsync(
            () => Verify.VerifyAnalyzerAsync("class C { int x = [|41|]; int y = 42; }"), _output);

        Assert.Contains("Reported, but different from the expectation:", message, StringComparison.Ordinal);
        Assert.Contains("location(s): expected /0/Test0.cs(1,19)-(1,21), actual /0/Test0.cs(1,31)-(1,33)", message, StringComparison.Ordinal);
        Assert.Contains("1 | class C { int x = 41; int y = 42; }\n  |                               ^^ TST001: Literal '42' is not allowed in 'y'", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Expected_diagnostic_that_is_not_reported_fails()
    {
        var message = await VerifierAssert.FailsAsync(
            () => Verify.VerifyAnalyzerAsync("class C { int x = 41; }", Verify.Diagnostic().WithSpan(1, 19, 1, 21)), _output);

        Assert.Contains("Expected but not reported:\n    Verify.Diagnostic(\"TST001\").WithSpan(1, 19, 1, 21)", message, StringComparison.Ordinal);
        Assert.Contains("Actual diagnostics: none.", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unexpected_diagnostic_fails()
    {
        var message = await VerifierAssert.FailsAsync(() => Verify.VerifyAnalyzerAsync("class C { int x = 42; }"), _output);

        Assert.Contains("Reported but not expected:\n    Verify.Diagnostic(\"TST001\").WithSpan(1, 19, 1, 21).WithArguments(\"42\", \"x\")", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_arguments_fail_and_show_both_messages()
    {
        var message = await VerifierAssert.FailsAsync(
            () => Verify.VerifyAnalyzerAsync("class C { int x = {|#0:42|}; }", Verify.Diagnostic().WithLocation(0).WithArguments("42", "y")), _output);

        Assert.Contains("Reported, but different from the expectation:", message, StringComparison.Ordinal);
        Assert.Contains("message: expected \"Literal '42' is not allowed in 'y'\", actual \"Literal '42' is not allowed in 'x'\"", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_span_end_fails()
    {
        var message = await VerifierAssert.FailsAsync(
            () => Verify.VerifyAnalyzerAsync("class C { int x = 42; }", Verify.Diagnostic().WithSpan(1, 19, 1, 20)), _output);

        Assert.Contains("location(s): expected /0/Test0.cs(1,19)-(1,20), actual /0/Test0.cs(1,19)-(1,21)", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_severity_fails()
    {
        var message = await VerifierAssert.FailsAsync(
            () => Verify.VerifyAnalyzerAsync("class C { int x = 42; }", Verify.Diagnostic().WithSpan(1, 19, 1, 21).WithSeverity(DiagnosticSeverity.Error)), _output);

        Assert.Contains("severity: expected Error, actual Warning", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Result_without_location_does_not_match_a_diagnostic_in_source()
    {
        var message = await VerifierAssert.FailsAsync(() => Verify.VerifyAnalyzerAsync("class C { int x = 42; }", Verify.Diagnostic()), _output);

        Assert.Contains("Expected but not reported:\n    Verify.Diagnostic(\"TST001\")\n", message, StringComparison.Ordinal);
        Assert.Contains("Reported but not expected:\n    Verify.Diagnostic(\"TST001\").WithSpan(1, 19, 1, 21)", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compiler_error_in_test_code_fails()
    {
        var message = await VerifierAssert.FailsAsync(() => Verify.VerifyAnalyzerAsync("class C { int x = y; }"), _output);

        Assert.Contains("DiagnosticResult.CompilerError(\"CS0103\").WithSpan(1, 19, 1, 20),", message, StringComparison.Ordinal);
        Assert.Contains("^ CS0103: The name 'y' does not exist in the current context", message, StringComparison.Ordinal);
    }

    [Fact]
    public Task Expected_compiler_error_passes() =>
        Verify.VerifyAnalyzerAsync("class C { int x = y; }", DiagnosticResult.CompilerError("CS0103").WithSpan(1, 19, 1, 20).WithArguments("y"));

    [Fact]
    public Task Compiler_error_can_be_expected_with_markup() =>
        Verify.VerifyAnalyzerAsync("class C { int x = {|CS0103:y|}; int z = [|42|]; }");

    [Fact]
    public Task Compiler_errors_are_ignored_when_CompilerDiagnostics_is_None() =>
        new Verify.Test
        {
            TestCode = "class C { int x = y; int z = [|42|]; }",
            CompilerDiagnostics = CompilerDiagnostics.None,
        }.RunAsync();

    [Fact]
    public Task Compiler_warnings_are_ignored_by_default() =>
        Verify.VerifyAnalyzerAsync("class C { void M() { int unused; } }");

    [Fact]
    public async Task Compiler_warnings_fail_when_CompilerDiagnostics_is_Warnings()
    {
        var message = await VerifierAssert.FailsAsync(
            () => new Verify.Test { TestCode = "class C { void M() { int unused; } }", CompilerDiagnostics = CompilerDiagnostics.Warnings }.RunAsync(),
            _output);

        Assert.Contains("DiagnosticResult.CompilerWarning(\"CS0168\").WithSpan(1, 26, 1, 32),", message, StringComparison.Ordinal);
    }

    [Fact]
    public Task Expected_compiler_warning_is_compared_at_the_default_level() =>
        Verify.VerifyAnalyzerAsync("class C { void M() { int unused; } }", DiagnosticResult.CompilerWarning("CS0168").WithSpan(1, 26, 1, 32));

    [Fact]
    public Task Test_code_has_nullable_reference_types_enabled() =>
        new Verify.Test
        {
            TestCode = "class C { public string S = {|CS8625:null|}; }",
            CompilerDiagnostics = CompilerDiagnostics.Warnings,
        }.RunAsync();

    [Fact]
    public Task Test_code_may_be_unsafe() => Verify.VerifyAnalyzerAsync("unsafe class C { int* p; }");

    [Fact]
    public Task Test_code_can_use_the_runtime_library() =>
        Verify.VerifyAnalyzerAsync("using Lockstep; class C { [RunsConcurrently] void M() { } }");

    [Fact]
    public async Task Runtime_library_can_be_left_out()
    {
        var message = await VerifierAssert.FailsAsync(
            () => new Verify.Test { TestCode = "using Lockstep; class C { }", ReferenceRuntimeLibrary = false }.RunAsync(), _output);

        Assert.Contains("CS0246", message, StringComparison.Ordinal);
    }

    [Fact]
    public Task Top_level_statements_need_a_console_application() =>
        new Verify.Test
        {
            TestCode = "System.Console.WriteLine([|42|]);",
            OutputKind = OutputKind.ConsoleApplication,
        }.RunAsync();

    [Fact]
    public Task Several_sources_are_named_Test0_Test1() =>
        new Verify.Test
        {
            TestState =
            {
                Sources = { "class A { int x = [|42|]; }", "class B { int y = 42; }" },
                ExpectedDiagnostics = { Verify.Diagnostic().WithSpan("/0/Test1.cs", 1, 19, 1, 21).WithArguments("42", "y") },
            },
        }.RunAsync();

    [Fact]
    public Task Sources_can_have_their_own_names() =>
        new Verify.Test
        {
            TestState =
            {
                Sources = { ("/src/Named.cs", "class A { int x = [|42|]; }") },
            },
        }.RunAsync();

    [Fact]
    public async Task Diagnostics_in_a_second_file_are_printed_with_its_path()
    {
        var message = await VerifierAssert.FailsAsync(
            () => new Verify.Test { TestState = { Sources = { "class A { }", "class B { int y = 42; }" } } }.RunAsync(), _output);

        Assert.Contains("Verify.Diagnostic(\"TST001\").WithSpan(\"/0/Test1.cs\", 1, 19, 1, 21)", message, StringComparison.Ordinal);
        Assert.Contains("/0/Test1.cs\n1 | class B { int y = 42; }", message, StringComparison.Ordinal);
    }

    [Fact]
    public Task Editorconfig_can_change_the_severity() =>
        new Verify.Test
        {
            TestState =
            {
                Sources = { "class C { int x = {|#0:42|}; }" },
                AnalyzerConfigFiles = { ("/.editorconfig", "root = true\n[*.cs]\ndotnet_diagnostic.TST001.severity = error") },
                ExpectedDiagnostics = { Verify.Diagnostic().WithLocation(0).WithSeverity(DiagnosticSeverity.Error) },
            },
        }.RunAsync();

    [Fact]
    public Task DisabledDiagnostics_turns_a_rule_off() =>
        new Verify.Test { TestCode = "class C { int x = 42; }", DisabledDiagnostics = { "TST001" } }.RunAsync();

    [Fact]
    public async Task Unclaimed_markup_location_fails()
    {
        var message = await VerifierAssert.FailsAsync(() => Verify.VerifyAnalyzerAsync("class C { int x = {|#0:42|}; }"), _output);

        Assert.Contains("{|#0:…|} is not claimed", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Markup_location_that_no_source_marks_fails()
    {
        var message = await VerifierAssert.FailsAsync(
            () => Verify.VerifyAnalyzerAsync("class C { int x = 42; }", Verify.Diagnostic().WithLocation(3)), _output);

        Assert.Contains("no source marks {|#3:…|}", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Diagnostic_with_an_unknown_id_is_rejected()
    {
        var exception = await Assert.ThrowsAsync<VerifierException>(() => Task.FromResult(Verify.Diagnostic("TST999")));

        Assert.Contains("does not support TST999; it supports TST001", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Culture_is_invariant_during_the_run_and_restored_afterwards()
    {
        var original = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
        try
        {
            await Verify.VerifyAnalyzerAsync("class C { int x = [|42|]; }");

            Assert.Equal("de-DE", CultureInfo.CurrentCulture.Name);
        }
        finally
        {
            CultureInfo.CurrentCulture = original;
        }
    }
}
