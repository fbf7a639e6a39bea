using System.Threading.Tasks;
using Xunit;
using Verify = Lockstep.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    Lockstep.Analyzers.Rules.AsyncBlocking.BlockingCallChainInAsyncCodeAnalyzer,
    Lockstep.Analyzers.Rules.AsyncBlocking.BlockingCallChainInAsyncCodeFixer>;

namespace Lockstep.Analyzers.Tests.Rules.AsyncBlocking;

public sealed class BlockingCallChainInAsyncCodeTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;

        """;

    private static Task VerifyClass(string body, params DiagnosticResult[] expected) =>
        Verify.VerifyAnalyzerAsync(Usings + "class C\n{\n" + body + "\n}\n", expected);

    [Fact]
    public Task Call_to_a_sleeping_helper_names_the_chain() => VerifyClass(
        """
            static void Pause(int ms) => Thread.Sleep(ms);
            static async Task RunAsync() { {|#0:Pause(200)|}; await Task.Yield(); }
        """,
        Verify.Diagnostic().WithLocation(0).WithArguments("Pause", "async method 'RunAsync'", "Pause → Thread.Sleep"));

    [Fact]
    public Task Deep_chains_through_several_methods_and_types_are_followed() => Verify.VerifyAnalyzerAsync(
        Usings + """
        class Repository
        {
            public string Load() => Read();
            private string Read() => Fetch().Result;
            private static Task<string> Fetch() => Task.FromResult("x").ContinueWith(t => t.Result);
        }

        class Service
        {
            private readonly Repository _repository = new();
            public async Task<int> CountAsync() { await Task.Yield(); return {|#0:_repository.Load()|}.Length; }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithArguments("Load", "async method 'CountAsync'", "Load → Read → Task.Result"));

    [Fact]
    public Task The_shortest_chain_is_reported() => VerifyClass(
        """
            void A() { B(); Nap(); }
            void B() { D(); }
            void Nap() { Thread.Sleep(1); }
            void D() { new ManualResetEventSlim().Wait(); }
            async Task M() { {|#0:A()|}; await Task.Yield(); }
        """,
        Verify.Diagnostic().WithLocation(0).WithArguments("A", "async method 'M'", "A → Nap → Thread.Sleep"));

    [Fact]
    public Task Chains_across_files_are_followed() => new Verify.Test
    {
        TestState =
        {
            Sources =
            {
                Usings + "static class Clock { public static void Wait(Task t) => t.Wait(); }",
                Usings + "class C { async Task M(Task t) { [|Clock.Wait(t)|]; await Task.Yield(); } }",
            },
        },
    }.RunAsync();

    [Theory]
    [InlineData("int Value { get { Thread.Sleep(1); return 1; } } async Task M() { var v = [|Value|]; await Task.Yield(); }")]
    [InlineData("int Value { set { Thread.Sleep(value); } } async Task M() { [|Value|] = 3; await Task.Yield(); }")]
    [InlineData("static int Value => Task.Run(() => 1).Result; async Task M() { var v = [|Value|]; await Task.Yield(); }")]
    [InlineData("C() { } C(int ms) { Thread.Sleep(ms); } async Task M() { var c = [|new C(5)|]; await Task.Yield(); }")]
    [InlineData("async Task M() { [|Local()|]; await Task.Yield(); void Local() => Thread.Sleep(1); }")]
    [InlineData("void Helper() => Thread.Sleep(1); Func<Task> F => async () => { [|Helper()|]; await Task.Yield(); };")]
    [InlineData("void Helper() => Thread.Sleep(1); async void OnClick(object s, EventArgs e) { [|Helper()|]; }")]
    [InlineData("void Helper() => Thread.Sleep(1); async ValueTask M() { [|this.Helper()|]; await Task.Yield(); }")]
    [InlineData("static void Helper(SemaphoreSlim s) => s.Wait(); static async Task M(SemaphoreSlim s) { [|Helper(s)|]; await Task.Yield(); }")]
    [InlineData("public static C operator +(C a, C b) { Thread.Sleep(1); return a; } async Task M(C x) { var y = [|x + x|]; await Task.Yield(); }")]
    [InlineData("public static C operator !(C a) { Thread.Sleep(1); return a; } async Task M(C x) { var y = [|!x|]; await Task.Yield(); }")]
    [InlineData("public static implicit operator int(C a) { Thread.Sleep(1); return 0; } async Task M(C x) { int y = [|x|]; await Task.Yield(); }")]
    [InlineData("class Base { public virtual void Block() { } } sealed class Inner : Base { public override void Block() => Thread.Sleep(1); } async Task M() { [|new Inner().Block()|]; await Task.Yield(); }")]
    public Task Every_callee_form_is_followed(string body) => VerifyClass("    " + body);

    [Fact]
    public Task Extension_methods_are_followed() => Verify.VerifyAnalyzerAsync(
        Usings + """
        static class TaskExtensions { public static T Block<T>(this Task<T> task) => task.Result; }
        class C { async Task<int> M(Task<int> t) { await Task.Yield(); return [|t.Block()|]; } }
        """);

    [Fact]
    public Task Pause_is_replaced_by_its_async_twin() => Verify.VerifyCodeFixAsync(
        Usings + """
        class C
        {
            static void Pause(int ms) => Thread.Sleep(ms);
            static Task PauseAsync(int ms) => Task.Delay(ms);
            static async Task RunAsync() { [|Pause(200)|]; await Task.Yield(); }
        }
        """,
        Usings + """
        class C
        {
            static void Pause(int ms) => Thread.Sleep(ms);
            static Task PauseAsync(int ms) => Task.Delay(ms);
            static async Task RunAsync() { await PauseAsync(200); await Task.Yield(); }
        }
        """);

    [Fact]
    public Task The_twin_gets_the_token_in_scope_and_the_result_is_awaited() => Verify.VerifyCodeFixAsync(
        Usings + """
        class Store
        {
            public string Read(string key) { Thread.Sleep(1); return key; }
            public Task<string> ReadAsync(string key, CancellationToken cancellationToken = default) => Task.FromResult(key);
        }

        class C
        {
            async Task<int> M(Store store, CancellationToken ct)
            {
                var value = [|store.Read("a")|];
                return [|store.Read("b")|].Length + value.Length;
            }
        }
        """,
        Usings + """
        class Store
        {
            public string Read(string key) { Thread.Sleep(1); return key; }
            public Task<string> ReadAsync(string key, CancellationToken cancellationToken = default) => Task.FromResult(key);
        }

        class C
        {
            async Task<int> M(Store store, CancellationToken ct)
            {
                var value = await store.ReadAsync("a", ct);
                return (await store.ReadAsync("b", ct)).Length + value.Length;
            }
        }
        """);

    [Fact]
    public Task Without_an_async_twin_the_call_runs_on_the_thread_pool() => Verify.VerifyCodeFixAsync(
        Usings + """
        class C
        {
            static void Pause(int ms) => Thread.Sleep(ms);
            static Task PauseAsync(TimeSpan delay) => Task.Delay(delay);
            static async Task RunAsync() { [|Pause(200)|]; await Task.Yield(); }
        }
        """,
        Usings + """
        class C
        {
            static void Pause(int ms) => Thread.Sleep(ms);
            static Task PauseAsync(TimeSpan delay) => Task.Delay(delay);
            static async Task RunAsync() { await Task.Run(() => Pause(200)); await Task.Yield(); }
        }
        """);

    [Theory]
    [InlineData("int Value { get { Thread.Sleep(1); return 1; } } async Task<int> M() { var v = [|Value|]; await Task.Yield(); return v; }",
                "int Value { get { Thread.Sleep(1); return 1; } } async Task<int> M() { var v = await Task.Run(() => Value); await Task.Yield(); return v; }")]
    [InlineData("static C Make() { Thread.Sleep(1); return new C(); } async Task<int> M() { await Task.Yield(); return [|Make()|].GetHashCode(); }",
                "static C Make() { Thread.Sleep(1); return new C(); } async Task<int> M() { await Task.Yield(); return (await Task.Run(() => Make())).GetHashCode(); }")]
    [InlineData("public static C operator +(C a, C b) { Thread.Sleep(1); return a; } async Task M(C x) { var y = [|x + x|]; await Task.Yield(); }",
                "public static C operator +(C a, C b) { Thread.Sleep(1); return a; } async Task M(C x) { var y = await Task.Run(() => x + x); await Task.Yield(); }")]
    public Task Calls_properties_and_operators_without_a_twin_run_on_the_thread_pool(string member, string fixedMember) => Verify.VerifyCodeFixAsync(
        Usings + "class C\n{\n    " + member + "\n}\n",
        Usings + "class C\n{\n    " + fixedMember + "\n}\n");

    // Not offered: the blocking callee uses the type's state without a lock (on a single-threaded context, such as an event
    // loop, that state was only ever used from one thread); an implicit conversion (its operator would still run on the
    // caller's thread); a callee whose result is a task (Task.Run would wait for that task too).
    [Theory]
    [InlineData("int _count; void Count() { _count++; Thread.Sleep(1); } async Task M() { [|Count()|]; await Task.Yield(); }")]
    [InlineData("public static implicit operator int(C a) { Thread.Sleep(1); return 0; } async Task M(C x) { int y = [|x|]; await Task.Yield(); }")]
    [InlineData("Task Start() { Thread.Sleep(1); return Task.CompletedTask; } async Task M() { _ = [|Start()|]; await Task.Yield(); }")]
    public Task Calls_that_cannot_move_to_another_thread_have_no_fix(string member) => Verify.VerifyCodeFixAsync(
        Usings + "class C\n{\n    " + member + "\n}\n",
        Usings + "class C\n{\n    " + member + "\n}\n");

    [Fact]
    public Task Calls_from_synchronous_code_and_offloaded_lambdas_are_not_reported() => VerifyClass(
        """
            static void Pause() => Thread.Sleep(10);
            static void Sync() => Pause();
            static async Task M()
            {
                await Task.Run(() => Pause());
                await Task.Run(Pause);
                var t = new Thread(Pause);
            }
        """);

    [Fact]
    public Task Async_callees_are_not_followed_because_they_report_their_own_blocking() => VerifyClass(
        """
            static async Task Inner() { await Task.Yield(); }
            static async Task M() { await Inner(); }
        """);

    [Fact]
    public Task Virtual_and_interface_calls_follow_the_one_implementation_in_the_compilation() => Verify.VerifyAnalyzerAsync(
        Usings + """
        interface IClock { void Wait(); }
        class SleepyClock : IClock { public void Wait() => Thread.Sleep(1); }
        abstract class Step { public abstract void Run(); }
        sealed class SlowStep : Step { public override void Run() => Thread.Sleep(1); }
        class Base { public virtual void Pause() => Thread.Sleep(1); }
        class C
        {
            async Task M(IClock clock, Step step, Base b) { {|#0:clock.Wait()|}; {|#1:step.Run()|}; {|#2:b.Pause()|}; await Task.Yield(); }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithArguments("Wait", "async method 'M'", "Wait → Thread.Sleep"),
        Verify.Diagnostic().WithLocation(1).WithArguments("Run", "async method 'M'", "Run → Thread.Sleep"),
        Verify.Diagnostic().WithLocation(2).WithArguments("Pause", "async method 'M'", "Pause → Thread.Sleep"));

    [Fact]
    public Task Calls_that_may_run_one_of_several_implementations_are_not_followed() => Verify.VerifyAnalyzerAsync(
        // Which implementation runs is decided by the object at run time: a scheduler interface with an immediate and a
        // sleeping implementation says nothing about the caller that is handed the immediate one. Blaming the caller
        // for "some implementation blocks" was the largest source of false reports on real code; it is a deliberate miss.
        Usings + """
        interface IClock { void Wait(); }
        class FastClock : IClock { public void Wait() { } }
        class SleepyClock : IClock { public void Wait() => Thread.Sleep(1); }
        class Base { public virtual void Step() { } }
        class Slow : Base { public override void Step() => Thread.Sleep(1); }
        class C
        {
            async Task M(IClock clock, Base b) { clock.Wait(); b.Step(); await Task.Yield(); }
        }
        """);

    [Fact]
    public Task Calls_of_library_virtuals_and_interfaces_are_not_followed_into_the_compilation() => Verify.VerifyAnalyzerAsync(
        // IDisposable.Dispose or object.ToString could reach every implementation in the program: only methods declared
        // in the compilation dispatch to its implementations.
        Usings + """
        class Slow : IDisposable { public void Dispose() => Thread.Sleep(1); public override string ToString() { Thread.Sleep(1); return ""; } }
        class C
        {
            async Task M(IDisposable resource, object value) { resource.Dispose(); _ = value.ToString(); await Task.Yield(); }
        }
        """);

    [Fact]
    public Task Blocking_only_inside_a_deferred_lambda_or_iterator_is_not_followed() => VerifyClass(
        """
            static Task StartWorker() => Task.Run(() => Thread.Sleep(10));
            static IEnumerable<int> Numbers() { Thread.Sleep(1); yield return 1; }
            static Action Later() => () => Thread.Sleep(1);
            static async Task M()
            {
                await StartWorker();
                var numbers = Numbers();
                var later = Later();
            }
        """);

    [Fact]
    public Task Callees_that_read_completed_tasks_are_not_blocking() => VerifyClass(
        """
            static int Sum(Task<int> a) => a.IsCompleted ? a.Result : 0;
            static int Cached() => Task.FromResult(1).Result;
            static async Task<int> M(Task<int> a) { await Task.Yield(); return Sum(a) + Cached(); }
        """);

    [Fact]
    public Task Recursive_callees_without_blocking_terminate_and_are_not_reported() => VerifyClass(
        """
            static int Even(int n) => n == 0 ? 1 : Odd(n - 1);
            static int Odd(int n) => n == 0 ? 0 : Even(n - 1);
            static async Task<int> M() { await Task.Yield(); return Even(10); }
        """);

    [Fact]
    public Task Calls_inside_a_lock_body_are_left_to_the_lock_rules() => VerifyClass(
        """
            private readonly object _sync = new();
            static void Pause() => Thread.Sleep(1);
            async Task M() { lock (_sync) { Pause(); } await Task.Yield(); }
        """);

    [Fact]
    public Task Recursion_of_the_async_function_itself_is_not_a_blocking_call() => VerifyClass(
        """
            static async Task M(int n) { if (n > 0) await M(n - 1); }
        """);
}
