using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = Lockstep.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    Lockstep.Analyzers.Rules.Analysis.InvalidOptionValueAnalyzer,
    Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace Lockstep.Analyzers.Tests.Rules.Analysis;

public sealed class InvalidOptionValueTests
{
    private const string Source = "class C { }";

    private static Task VerifyConfig(string editorconfig, params DiagnosticResult[] expected)
    {
        var test = new Verify.Test { TestCode = Source };
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n\n[*.cs]\n" + editorconfig));
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public Task A_budget_that_is_not_a_positive_integer_is_reported_with_the_accepted_values() => VerifyConfig(
        "lockstep.call_graph_budget = lots\n",
        Verify.Diagnostic().WithNoLocation().WithArguments(
            "'lockstep.call_graph_budget = lots' is not a positive integer, so the default 5000 applies",
            "a positive integer, such as 5000"));

    [Fact]
    public Task A_negative_loop_bound_is_reported() => VerifyConfig(
        "lockstep.LS4001.max_threads_per_loop = -1\n",
        Verify.Diagnostic().WithNoLocation().WithArguments(
            "'lockstep.LS4001.max_threads_per_loop = -1' is not a non-negative integer, so the default 128 applies",
            "a non-negative integer, such as 128"));

    [Fact]
    public Task An_entry_point_without_a_type_is_reported() => VerifyConfig(
        "lockstep.concurrent_entry_points = Handlers.OnMessage, OnTimer\n",
        Verify.Diagnostic().WithNoLocation().WithArguments(
            "'OnTimer' in lockstep.concurrent_entry_points is not a method name of the form Type.Method, so it matches no method",
            "a comma-separated list of Type.Method or Namespace.Type.Method"));

    [Fact]
    public Task A_misspelt_key_is_reported_with_the_keys_Lockstep_reads() => VerifyConfig(
        "lockstep.call_graph_budjet = 100\n",
        Verify.Diagnostic().WithNoLocation().WithArguments(
            "'lockstep.call_graph_budjet' is not a Lockstep option, so it is ignored",
            "one of lockstep.concurrent_entry_points, lockstep.call_graph_budget, lockstep.LS4001.max_threads_per_loop"));

    [Fact]
    public async Task A_problem_is_reported_once_however_many_files_it_applies_to()
    {
        var test = new Verify.Test();
        test.TestState.Sources.Add("class A { }");
        test.TestState.Sources.Add("class B { }");
        test.TestState.Sources.Add("class C { }");
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n\n[*.cs]\nlockstep.call_graph_budget = 0\n"));
        test.ExpectedDiagnostics.Add(Verify.Diagnostic().WithNoLocation().WithArguments(
            "'lockstep.call_graph_budget = 0' is not a positive integer, so the default 5000 applies", "a positive integer, such as 5000"));
        await test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public Task Valid_values_and_other_tools_keys_are_not_reported() => VerifyConfig(
        "lockstep.call_graph_budget = 200\n"
        + "lockstep.LS4001.max_threads_per_loop = 0\n"
        + "lockstep.concurrent_entry_points = Handlers.OnMessage, My.App.Timers.OnTick\n"
        + "dotnet_diagnostic.LS3001.severity = error\n"
        + "some_tool.lockstep.setting = x\n");
}
