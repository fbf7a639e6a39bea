using System;
using System.Threading.Tasks;
using Lockstep.Analyzers.Tests.VerifierSelfTests.TestAnalyzers;
using Xunit.Abstractions;
using Verify = Lockstep.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    Lockstep.Analyzers.Tests.VerifierSelfTests.TestAnalyzers.FortyTwoAnalyzer,
    Lockstep.Analyzers.Tests.VerifierSelfTests.TestAnalyzers.FortyTwoFixer>;

namespace Lockstep.Analyzers.Tests.VerifierSelfTests;

/// <summary>Code-fix verification with the TST001 fixer (42 → 41, or 0 as its second action; -42 is left alone).</summary>
public sealed class CodeFixVerificationTests
{
    private readonly ITestOutputHelper _output;

    public CodeFixVerificationTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public Task Fixes_one_at_a_time_and_with_Fix_All_give_the_fixed_code() =>
        Verify.VerifyCodeFixAsync(
            """
            class C
            {
                int x = [|42|];
                int M() => [|42|] + 1;
            }
            """,
            """
            class C
            {
                int x = 41;
                int M() => 41 + 1;
            }
            """);

    [Fact]
    public Task Fix_with_explicit_expected_diagnostic() =>
        Verify.VerifyCodeFixAsync(
            "class C { int x = 42; }",
            Verify.Diagnostic().WithSpan(1, 19, 1, 21).WithArguments("42", "x"),
            "class C { int x = 41; }");

    [Fact]
    public Task Fixes_in_several_files() =>
        new Verify.Test
        {
            TestState = { Sources = { "class A { int x = [|42|]; }", "class B { int y = [|42|]; }", "class D { }" } },
            FixedState = { Sources = { "class A { int x = 41; }", "class B { int y = 41; }", "class D { }" } },
        }.RunAsync();

    [Fact]
    public Task Fix_All_in_document_scope_takes_one_pass_per_document() =>
        new Verify.Test
        {
            TestState = { Sources = { "class A { int x = [|42|]; int y = [|42|]; }", "class B { int z = [|42|]; }" } },
            FixedState = { Sources = { "class A { int x = 41; int y = 41; }", "class B { int z = 41; }" } },
            NumberOfIncrementalIterations = 3,
            NumberOfFixAllInDocumentIterations = 2,
            NumberOfFixAllIterations = 1,
        }.RunAsync();

    [Fact]
    public async Task Wrong_fixed_code_fails_with_a_diff()
    {
        var message = await VerifierAssert.FailsAsync(
            () => Verify.VerifyCodeFixAsync(
                "class C\n{\n    int x = [|42|];\n}\n",
                "class C\n{\n    int x = 40;\n}\n"),
            _output);

        Assert.Contains("Code fix (one diagnostic at a time): the fixed text of /0/Test0.cs differs from FixedState.", message, StringComparison.Ordinal);
        Assert.Contains("-   3      |     int x = 40;\n+        3 |     int x = 41;", message, StringComparison.Ordinal);
        Assert.Contains("Applied:\n  1. 'Replace with 41' (equivalence key 'TST001.Replace41') for TST001 at /0/Test0.cs(3,13)", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BatchFixedCode_is_what_Fix_All_is_compared_with()
    {
        var message = await VerifierAssert.FailsAsync(
            () => new Verify.Test
            {
                TestCode = "class C { int x = [|42|]; }",
                FixedCode = "class C { int x = 41; }",
                BatchFixedCode = "class C { int x = 40; }",
            }.RunAsync(),
            _output);

        Assert.Contains("Fix All (Document scope): the fixed text of /0/Test0.cs differs from BatchFixedState.", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fixer_that_produces_code_that_does_not_compile_fails()
    {
        var message = await VerifierAssert.FailsAsync(
            () => CSharpCodeFixVerifier<FortyTwoAnalyzer, NonCompilingFortyTwoFixer>.VerifyCodeFixAsync(
                "class C { int x = [|42|]; }",
                "class C { int x = undefinedName; }"),
            _output);

        Assert.Contains("Code fix (one diagnostic at a time): after iteration 1 the code does not compile", message, StringComparison.Ordinal);
        Assert.Contains("^^^^^^^^^^^^^ CS0103: The name 'undefinedName' does not exist in the current context", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fixer_without_a_Fix_All_provider_fails()
    {
        var message = await VerifierAssert.FailsAsync(
            () => CSharpCodeFixVerifier<FortyTwoAnalyzer, FortyTwoFixerWithoutFixAll>.VerifyCodeFixAsync(
                "class C { int x = [|42|]; }",
                "class C { int x = 41; }"),
            _output);

        Assert.Contains("Fix All (Document scope): FortyTwoFixerWithoutFixAll.GetFixAllProvider() returned null.", message, StringComparison.Ordinal);
    }

    [Fact]
    public Task Fix_All_check_can_be_skipped() =>
        new CSharpCodeFixVerifier<FortyTwoAnalyzer, FortyTwoFixerWithoutFixAll>.Test
        {
            TestCode = "class C { int x = [|42|]; }",
            FixedCode = "class C { int x = 41; }",
            CodeFixTestBehaviors = CodeFixTestBehaviors.SkipFixAllCheck,
        }.RunAsync();

    [Fact]
    public Task Equivalence_key_selects_the_action_for_both_kinds_of_fix() =>
        new Verify.Test
        {
            TestCode = "class C { int x = [|42|]; int y = [|42|]; }",
            FixedCode = "class C { int x = 0; int y = 0; }",
            CodeActionEquivalenceKey = FortyTwoFixes.Replace0Key,
        }.RunAsync();

    [Fact]
    public Task Action_index_selects_the_action() =>
        new Verify.Test
        {
            TestCode = "class C { int x = [|42|]; }",
            FixedCode = "class C { int x = 0; }",
            CodeActionIndex = 1,
        }.RunAsync();

    [Fact]
    public async Task Action_index_and_equivalence_key_that_disagree_fail()
    {
        var message = await VerifierAssert.FailsAsync(
            () => new Verify.Test
            {
                TestCode = "class C { int x = [|42|]; }",
                FixedCode = "class C { int x = 0; }",
                CodeActionIndex = 1,
                CodeActionEquivalenceKey = FortyTwoFixes.Replace41Key,
            }.RunAsync(),
            _output);

        Assert.Contains("the action at CodeActionIndex 1 has equivalence key 'TST001.Replace0', not CodeActionEquivalenceKey 'TST001.Replace41'", message, StringComparison.Ordinal);
    }

    [Fact]
    public Task Diagnostics_left_by_the_fix_are_written_as_markup_in_FixedCode() =>
        Verify.VerifyCodeFixAsync(
            "class C { int x = [|42|]; int y = -[|42|]; }",
            "class C { int x = 41; int y = -[|42|]; }");

    [Fact]
    public async Task Diagnostics_left_by_the_fix_must_be_expected()
    {
        var message = await VerifierAssert.FailsAsync(
            () => Verify.VerifyCodeFixAsync(
                "class C { int x = [|42|]; int y = -[|42|]; }",
                "class C { int x = 41; int y = -42; }"),
            _output);

        Assert.Contains("Code fix (one diagnostic at a time), diagnostics after the fix (FixedState): the reported diagnostics differ", message, StringComparison.Ordinal);
        Assert.Contains("Verify.Diagnostic(\"TST001\").WithSpan(1, 32, 1, 34).WithArguments(\"42\", \"y\"),", message, StringComparison.Ordinal);
    }

    [Fact]
    public Task Source_without_an_offered_fix_stays_as_it_is() =>
        Verify.VerifyCodeFixAsync("class C { int y = -[|42|]; }", "class C { int y = -[|42|]; }");

    [Fact]
    public Task Explicit_iteration_count_that_matches_passes() =>
        new Verify.Test
        {
            TestCode = "class C { int x = [|42|]; int y = [|42|]; }",
            FixedCode = "class C { int x = 41; int y = 41; }",
            NumberOfIncrementalIterations = 2,
            NumberOfFixAllIterations = 1,
            NumberOfFixAllInDocumentIterations = 1,
        }.RunAsync();

    [Fact]
    public async Task Too_few_allowed_iterations_fail()
    {
        var message = await VerifierAssert.FailsAsync(
            () => new Verify.Test
            {
                TestCode = "class C { int x = [|42|]; int y = [|42|]; }",
                FixedCode = "class C { int x = 41; int y = 41; }",
                NumberOfIncrementalIterations = 1,
            }.RunAsync(),
            _output);

        Assert.Contains("Code fix (one diagnostic at a time): still fixable after 1 iteration(s)", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task More_iterations_than_needed_fail()
    {
        var message = await VerifierAssert.FailsAsync(
            () => new Verify.Test
            {
                TestCode = "class C { int x = [|42|]; }",
                FixedCode = "class C { int x = 41; }",
                NumberOfIncrementalIterations = 3,
            }.RunAsync(),
            _output);

        Assert.Contains("expected 3 iteration(s) but the fixes were done after 1", message, StringComparison.Ordinal);
    }

    [Fact]
    public Task Negative_iteration_count_is_an_upper_bound() =>
        new Verify.Test
        {
            TestCode = "class C { int x = [|42|]; }",
            FixedCode = "class C { int x = 41; }",
            NumberOfIncrementalIterations = -5,
        }.RunAsync();

    [Fact]
    public Task Expected_compiler_error_may_stay_in_the_fixed_code() =>
        Verify.VerifyCodeFixAsync(
            "class C { int x = [|42|]; int y = {|CS0103:z|}; }",
            "class C { int x = 41; int y = {|CS0103:z|}; }");

    [Fact]
    public Task Broken_test_code_is_allowed_with_CompilerDiagnostics_None() =>
        new Verify.Test
        {
            TestCode = "class C { int x = [|42|]; int y = z; }",
            FixedCode = "class C { int x = 41; int y = z; }",
            CompilerDiagnostics = CompilerDiagnostics.None,
        }.RunAsync();

    [Fact]
    public async Task BatchFixedCode_without_FixedCode_is_refused()
    {
        var message = await VerifierAssert.FailsAsync(
            () => new Verify.Test { TestCode = "class C { int x = [|42|]; }", BatchFixedCode = "class C { int x = 41; }" }.RunAsync(),
            _output);

        Assert.Contains("BatchFixedCode is set but FixedCode is not", message, StringComparison.Ordinal);
    }
}
