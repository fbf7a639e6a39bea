using System.Threading.Tasks;
using Xunit;
using Verify = Lockstep.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    Lockstep.Analyzers.Rules.AsyncBlocking.SynchronousWaitInAsyncCodeAnalyzer,
    Lockstep.Analyzers.Rules.AsyncBlocking.SynchronousWaitInAsyncCodeFixer>;

namespace Lockstep.Analyzers.Tests.Rules.AsyncBlocking;

public sealed class SynchronousWaitInAsyncCodeTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;

        """;

    private static Task VerifyMember(string member) => Verify.VerifyAnalyzerAsync(Usings + "class C\n{\n" + member + "\n}\n");

    private static Task VerifyMemberFix(string member, string fixedMember) =>
        Verify.VerifyCodeFixAsync(Usings + "class C\n{\n" + member + "\n}\n", Usings + "class C\n{\n" + fixedMember + "\n}\n");

    [Fact]
    public Task Wait_is_replaced_by_await() => VerifyMemberFix(
        "    async Task M(Task work) { [|work.Wait()|]; await Task.Yield(); }",
        "    async Task M(Task work) { await work; await Task.Yield(); }");

    [Fact]
    public Task Delay_Wait_is_replaced_by_awaiting_the_delay() => VerifyMemberFix(
        "    async Task M() { [|Task.Delay(10).Wait()|]; await Task.Yield(); }",
        "    async Task M() { await Task.Delay(10); await Task.Yield(); }");

    [Fact]
    public Task Result_is_replaced_by_await_without_parentheses_where_none_are_needed() => VerifyMemberFix(
        "    async Task<int> M(Task<int> a, Task<int> b, Task<int> c) { var n = [|a.Result|]; Console.WriteLine([|b.Result|]); await Task.Yield(); return n + [|c.Result|]; }",
        "    async Task<int> M(Task<int> a, Task<int> b, Task<int> c) { var n = await a; Console.WriteLine(await b); await Task.Yield(); return n + await c; }");

    [Fact]
    public Task Only_the_first_blocking_read_of_a_task_is_reported() => VerifyMemberFix(
        // After the first read the task has completed, so the later reads return at once; fixing the first is enough.
        "    async Task<int> M(Task<int> count, Task work) { var n = [|count.Result|]; [|work.Wait()|]; work.Wait(); await Task.Yield(); return n + count.Result + count.GetAwaiter().GetResult(); }",
        "    async Task<int> M(Task<int> count, Task work) { var n = await count; await work; work.Wait(); await Task.Yield(); return n + count.Result + count.GetAwaiter().GetResult(); }");

    [Fact]
    public Task Reads_after_WaitAll_are_not_reported_but_reads_after_a_timed_wait_are() => VerifyMember(
        """
            async Task<int> M(Task<int> a, Task<int> b)
            {
                [|Task.WaitAll(a)|];
                [|b.Wait(100)|];
                [|Task.WaitAll(new Task[] { b }, 100)|];
                await Task.Yield();
                return a.Result + [|b.Result|] - b.Result;
            }
        """);

    [Fact]
    public Task Message_names_the_wait_the_context_and_the_way_out() => Verify.VerifyAnalyzerAsync(
        Usings + "class C { async Task M(Task<int> t) { var x = {|#0:t.Result|}; await Task.Yield(); } }",
        Verify.Diagnostic().WithLocation(0).WithArguments("Task.Result", "async method 'M'", "await it"));

    [Fact]
    public Task GetAwaiter_GetResult_is_replaced_by_await() => VerifyMemberFix(
        "    async Task M(Task<int> t, Task u) { Console.WriteLine([|t.GetAwaiter().GetResult()|]); [|u.GetAwaiter().GetResult()|]; await Task.Yield(); }",
        "    async Task M(Task<int> t, Task u) { Console.WriteLine(await t); await u; await Task.Yield(); }");

    [Fact]
    public Task ConfigureAwait_GetAwaiter_GetResult_keeps_the_configuration() => VerifyMemberFix(
        "    async Task<int> M(Task<int> t) { await Task.Yield(); return [|t.ConfigureAwait(false).GetAwaiter().GetResult()|]; }",
        "    async Task<int> M(Task<int> t) { await Task.Yield(); return await t.ConfigureAwait(false); }");

    [Fact]
    public Task ValueTask_Result_and_GetResult_are_reported() => VerifyMemberFix(
        "    async ValueTask<int> M(ValueTask<int> a, ValueTask<int> b) { await Task.Yield(); return [|a.Result|] + [|b.GetAwaiter().GetResult()|]; }",
        "    async ValueTask<int> M(ValueTask<int> a, ValueTask<int> b) { await Task.Yield(); return await a + await b; }");

    [Fact]
    public Task WaitAll_is_replaced_by_await_WhenAll() => VerifyMemberFix(
        "    async Task M(Task a, Task b) { [|Task.WaitAll(a, b)|]; await Task.Yield(); }",
        "    async Task M(Task a, Task b) { await Task.WhenAll(a, b); await Task.Yield(); }");

    [Fact]
    public Task WaitAll_over_a_list_is_replaced_while_no_token_is_passed() => VerifyMemberFix(
        "    async Task M(List<Task> work) { [|Task.WaitAll(work)|]; await Task.Yield(); }",
        "    async Task M(List<Task> work) { await Task.WhenAll(work); await Task.Yield(); }");

    [Fact]
    public Task WaitAny_as_a_statement_is_replaced_by_await_WhenAny() => VerifyMemberFix(
        "    async Task M(Task a, Task b) { [|Task.WaitAny(a, b)|]; await Task.Yield(); }",
        "    async Task M(Task a, Task b) { await Task.WhenAny(a, b); await Task.Yield(); }");

    [Fact]
    public Task WaitAny_whose_index_is_used_runs_on_the_thread_pool() => VerifyMemberFix(
        "    async Task<int> M(Task a, Task b) { await Task.Yield(); return [|Task.WaitAny(a, b)|]; }",
        "    async Task<int> M(Task a, Task b) { await Task.Yield(); return await Task.Run(() => Task.WaitAny(a, b)); }");

    [Fact]
    public Task SemaphoreSlim_Wait_is_replaced_by_await_WaitAsync_with_the_token_in_scope() => VerifyMemberFix(
        """
            private readonly SemaphoreSlim _gate = new(1, 1);
            async Task M(CancellationToken ct)
            {
                [|_gate.Wait()|];
                try { await Task.Yield(); } finally { _gate.Release(); }
                if (![|_gate.Wait(100)|]) return;
                [|_gate.Wait(5, ct)|];
            }
        """,
        """
            private readonly SemaphoreSlim _gate = new(1, 1);
            async Task M(CancellationToken ct)
            {
                await _gate.WaitAsync(ct);
                try { await Task.Yield(); } finally { _gate.Release(); }
                if (!await _gate.WaitAsync(100, ct)) return;
                await _gate.WaitAsync(5, ct);
            }
        """);

    [Fact]
    public Task Nested_waits_are_all_fixed_by_Fix_All() => VerifyMemberFix(
        "    async Task<int> M(Task<Task<int>> t) { await Task.Yield(); return {|LS3002:[|t.Result|].Result|}; }",
        "    async Task<int> M(Task<Task<int>> t) { await Task.Yield(); return await await t; }");

    // No awaitable form means the same (a timeout, a token, an event, a join): the wait runs on a pool thread and the
    // async code awaits it, with the same result and the same exceptions.
    [Theory]
    [InlineData("async Task M(Task t) { [|t.Wait(100)|]; await Task.Yield(); }", "async Task M(Task t) { await Task.Run(() => t.Wait(100)); await Task.Yield(); }")]
    [InlineData("async Task M(Task t, CancellationToken ct) { [|t.Wait(ct)|]; await Task.Yield(); }", "async Task M(Task t, CancellationToken ct) { await Task.Run(() => t.Wait(ct)); await Task.Yield(); }")]
    [InlineData("async Task M(Task t) { [|t.Wait(TimeSpan.FromSeconds(1))|]; await Task.Yield(); }", "async Task M(Task t) { await Task.Run(() => t.Wait(TimeSpan.FromSeconds(1))); await Task.Yield(); }")]
    [InlineData("async Task M(ManualResetEventSlim ready) { [|ready.Wait()|]; await Task.Yield(); }", "async Task M(ManualResetEventSlim ready) { await Task.Run(() => ready.Wait()); await Task.Yield(); }")]
    [InlineData("async Task M(Thread worker) { [|worker.Join()|]; await Task.Yield(); }", "async Task M(Thread worker) { await Task.Run(() => worker.Join()); await Task.Yield(); }")]
    [InlineData("async Task M(CountdownEvent done) { [|done.Wait()|]; await Task.Yield(); }", "async Task M(CountdownEvent done) { await Task.Run(() => done.Wait()); await Task.Yield(); }")]
    [InlineData("async Task M(Barrier barrier) { [|barrier.SignalAndWait()|]; await Task.Yield(); }", "async Task M(Barrier barrier) { await Task.Run(() => barrier.SignalAndWait()); await Task.Yield(); }")]
    [InlineData("async Task M(AutoResetEvent signal) { [|signal.WaitOne()|]; await Task.Yield(); }", "async Task M(AutoResetEvent signal) { await Task.Run(() => signal.WaitOne()); await Task.Yield(); }")]
    [InlineData("async Task M(Task a, Task b) { [|Task.WaitAll(new[] { a, b }, 100)|]; await Task.Yield(); }", "async Task M(Task a, Task b) { await Task.Run(() => Task.WaitAll(new[] { a, b }, 100)); await Task.Yield(); }")]
    [InlineData("async Task<bool> M(Task t) { await Task.Yield(); return [|t.Wait(100)|]; }", "async Task<bool> M(Task t) { await Task.Yield(); return await Task.Run(() => t.Wait(100)); }")]
    public Task Waits_without_an_awaitable_equivalent_run_on_the_thread_pool_and_are_awaited(string member, string fixedMember) =>
        VerifyMemberFix("    " + member, "    " + fixedMember);

    // Not offered: a mutex belongs to the thread that takes it (the async code's thread would not own it); WaitHandle's
    // static waits may include a mutex; no await can be written in unsafe code.
    [Theory]
    [InlineData("async Task M(Mutex mutex) { [|mutex.WaitOne(10)|]; await Task.Yield(); }")]
    [InlineData("async Task M(WaitHandle[] handles) { [|WaitHandle.WaitAll(handles)|]; await Task.Yield(); }")]
    [InlineData("async Task M(Task t) { unsafe { [|t.Wait(100)|]; } await Task.Yield(); }")]
    public Task Waits_that_cannot_move_to_another_thread_have_no_fix(string member) => VerifyMemberFix("    " + member, "    " + member);

    [Theory]
    [InlineData("Func<Task> F => async () => { [|Task.Delay(1).Wait()|]; await Task.Yield(); };")]
    [InlineData("void M() => Task.Run(async () => { [|Task.Delay(1).Wait()|]; await Task.Yield(); });")]
    [InlineData("void M() { _ = L(); async Task L() { [|Task.Delay(1).Wait()|]; await Task.Yield(); } }")]
    [InlineData("async void OnTick(object sender, EventArgs e) { [|Task.Delay(1).Wait()|]; }")]
    [InlineData("static async ValueTask M() { [|Task.Delay(1).Wait()|]; await Task.Yield(); }")]
    [InlineData("async IAsyncEnumerable<int> M(Task<int> t) { yield return [|t.Result|]; await Task.Yield(); }")]
    [InlineData("Func<Task<int>> P { get { return async () => { await Task.Yield(); return [|Task.Run(() => 1).Result|]; }; } }")]
    public Task Every_async_form_is_reported(string member) => VerifyMember("    " + member);

    [Fact]
    public Task Result_after_await_of_the_same_task_is_not_reported() => VerifyMember(
        "    async Task<int> M(Task<int> t) { await t; return t.Result + t.GetAwaiter().GetResult(); }");

    [Fact]
    public Task Result_after_awaiting_it_with_ConfigureAwait_is_not_reported() => VerifyMember(
        "    async Task<int> M(Task<int> t) { await t.ConfigureAwait(false); return t.Result; }");

    [Fact]
    public Task Results_after_await_Task_WhenAll_of_the_tasks_are_not_reported() => VerifyMember(
        """
            async Task<int> M(Task<int> a, Task<int> b)
            {
                await Task.WhenAll(a, b);
                return a.Result + b.Result;
            }
        """);

    [Fact]
    public Task Results_after_WhenAll_with_ConfigureAwait_and_mixed_task_types_are_not_reported() => VerifyMember(
        // From C# 13 on, WhenAll(a, b) binds to the params ReadOnlySpan<Task> overload; before, to params Task[].
        """
            async Task<int> M(Task<int> a, Task<string> b, Task c)
            {
                await Task.WhenAll(a, b, c).ConfigureAwait(false);
                return a.Result + b.Result.Length + b.GetAwaiter().GetResult().Length;
            }
        """);

#if CURRENT_ROSLYN
    [Fact]
    public Task Results_after_WhenAll_of_a_collection_expression_are_not_reported() => VerifyMember(
        // C# 12 collection expressions, spreads included: the floor's C# 11 cannot parse them.
        """
            async Task<int> M(Task<int> a, Task<int> b, List<Task<int>> more)
            {
                await Task.WhenAll([a, b]);
                await Task.WhenAll([.. more, a]);
                return a.Result + b.Result + more[0].Result;
            }
        """);

    [Fact]
    public Task A_task_missing_from_the_collection_expression_is_still_reported() => VerifyMember(
        """
            async Task<int> M(Task<int> a, Task<int> b)
            {
                await Task.WhenAll([a]);
                return a.Result + [|b.Result|];
            }
        """);
#endif

    [Fact]
    public Task Results_after_WhenAll_of_a_collection_are_not_reported() => VerifyMember(
        """
            async Task<int> M(Func<int, Task<int>> start)
            {
                var first = start(1);
                var tasks = new List<Task<int>> { first };
                var second = start(2);
                tasks.Add(second);
                var array = new[] { start(3), start(4) };
                await Task.WhenAll(tasks);
                await Task.WhenAll(array);
                int sum = first.Result + second.Result + array[0].Result + tasks[1].Result;
                foreach (var task in tasks)
                    sum += task.Result;
                return sum;
            }
        """);

    [Fact]
    public Task Awaiting_each_element_in_a_loop_completes_the_collection() => VerifyMember(
        """
            async Task<int> M(Task<int>[] tasks)
            {
                foreach (var task in tasks)
                    await task;
                return tasks[0].Result;
            }
        """);

    [Fact]
    public Task The_task_returned_by_await_WhenAny_is_complete() => VerifyMember(
        """
            async Task<int> M(Task<int> work, Task<int> fallback)
            {
                var winner = await Task.WhenAny(work, fallback);
                if (await Task.WhenAny(work, Task.Delay(100)) == work)
                    return work.Result;
                return winner.Result;
            }
        """);

    [Fact]
    public Task The_WhenAny_winner_compared_through_a_local_is_complete() => VerifyMember(
        """
            async Task<bool> M(Task<string> load, CancellationToken ct)
            {
                var delay = Task.Delay(100, ct);
                var first = await Task.WhenAny(load, delay).ConfigureAwait(false);
                if (first != load)
                {
                    return false;
                }

                var item = load.Result;
                return item is not null;
            }
        """);

    [Fact]
    public Task Results_under_completion_guards_are_not_reported() => VerifyMember(
        """
            async Task<int> M(Task<int> t)
            {
                await Task.Yield();
                if (t.IsCompleted) { return t.Result; }
                if (t.IsCompletedSuccessfully && t.Result > 0) return 1;
                if (t.Status == TaskStatus.RanToCompletion) return t.GetAwaiter().GetResult();
                var x = t.IsCompleted ? t.Result : 0;
                if (!t.IsCompleted) return -1;
                return t.Result + x;
            }
        """);

    [Fact]
    public Task Polling_until_complete_then_reading_is_not_reported() => VerifyMember(
        """
            async Task<int> M(Task<int> t)
            {
                while (!t.IsCompleted)
                    await Task.Delay(10);
                return t.Result;
            }
        """);

    [Fact]
    public Task ContinueWith_antecedent_and_completed_tasks_are_not_reported() => VerifyMember(
        """
            async Task M(Task<int> t)
            {
                await t.ContinueWith(async previous => { Console.WriteLine(previous.Result); await Task.Yield(); });
                Console.WriteLine(Task.FromResult(1).Result);
                Task.CompletedTask.Wait();
            }
        """);

    [Fact]
    public Task Waits_in_synchronous_code_are_not_reported() => VerifyMember(
        """
            int M(Task<int> t) { t.Wait(); return t.Result; }
            static void Main(Task a, Task b) => Task.WaitAll(a, b);
            int P => Task.Run(() => 1).Result;
        """);

    [Fact]
    public Task Sync_lambdas_offloaded_from_async_code_are_not_reported() => VerifyMember(
        """
            async Task M(Task<int> t, SemaphoreSlim gate)
            {
                await Task.Run(() => t.Wait());
                await Task.Run(() => gate.Wait());
                var values = new List<Task<int>> { t }.ConvertAll(x => x.Result);
            }
        """);

    [Fact]
    public Task Waits_inside_a_lock_body_are_left_to_the_lock_rules() => VerifyMember(
        """
            private readonly object _sync = new();
            async Task M(Task t)
            {
                lock (_sync) { t.Wait(); }
                await Task.Yield();
            }
        """);

    [Fact]
    public Task Nameof_Result_is_not_a_wait() => VerifyMember(
        "    async Task<string> M(Task<int> t) { await Task.Yield(); return nameof(t.Result); }");

    [Fact]
    public Task Fix_All_converts_every_fixable_wait_in_the_document() => VerifyMemberFix(
        """
            async Task<int> M(Task<int> a, Task b, SemaphoreSlim gate)
            {
                [|b.Wait()|];
                [|gate.Wait()|];
                [|Task.WaitAny(b)|];
                return [|a.Result|] * 2;
            }
        """,
        """
            async Task<int> M(Task<int> a, Task b, SemaphoreSlim gate)
            {
                await b;
                await gate.WaitAsync();
                await Task.WhenAny(b);
                return await a * 2;
            }
        """);
}
