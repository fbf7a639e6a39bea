using System.Threading.Tasks;
using Lockstep.Analyzers.Rules.AsyncBlocking;
using Microsoft.CodeAnalysis;
using Xunit;
using Verify = Lockstep.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    Lockstep.Analyzers.Rules.AsyncBlocking.BlockingSleepInAsyncCodeAnalyzer,
    Lockstep.Analyzers.Rules.AsyncBlocking.BlockingSleepInAsyncCodeFixer>;

namespace Lockstep.Analyzers.Tests.Rules.AsyncBlocking;

public sealed class BlockingSleepInAsyncCodeTests
{
    [Fact]
    public Task Sleep_in_async_method_is_replaced_by_await_Task_Delay() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M()
            {
                [|Thread.Sleep(10)|];
                await Task.Yield();
            }
        }
        """,
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M()
            {
                await Task.Delay(10);
                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task Message_names_the_call_and_the_async_method() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task LoadAsync() { {|#0:Thread.Sleep(10)|}; await Task.Yield(); }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithArguments("Thread.Sleep", "async method 'LoadAsync'"));

    [Fact]
    public Task TimeSpan_overload_is_replaced_by_the_TimeSpan_delay() => Verify.VerifyCodeFixAsync(
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M() { [|Thread.Sleep(TimeSpan.FromMilliseconds(5))|]; await Task.Yield(); }
        }
        """,
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M() { await Task.Delay(TimeSpan.FromMilliseconds(5)); await Task.Yield(); }
        }
        """);

    [Fact]
    public Task The_single_cancellation_token_in_scope_is_passed() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M(int delay, CancellationToken cancellationToken)
            {
                [|Thread.Sleep(delay)|];
                await Task.Yield();
            }
        }
        """,
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M(int delay, CancellationToken cancellationToken)
            {
                await Task.Delay(delay, cancellationToken);
                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task A_token_local_declared_before_the_sleep_is_passed() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M(CancellationTokenSource source)
            {
                var token = source.Token;
                [|Thread.Sleep(1)|];
                await Task.Yield();
            }
        }
        """,
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M(CancellationTokenSource source)
            {
                var token = source.Token;
                await Task.Delay(1, token);
                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task With_two_tokens_in_scope_none_is_guessed() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M(CancellationToken first, CancellationToken second) { [|Thread.Sleep(1)|]; await Task.Yield(); }
        }
        """,
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M(CancellationToken first, CancellationToken second) { await Task.Delay(1); await Task.Yield(); }
        }
        """);

    [Fact]
    public Task Named_argument_becomes_positional_because_Task_Delay_names_it_differently() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M() { [|Thread.Sleep(millisecondsTimeout: 3)|]; await Task.Yield(); }
        }
        """,
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M() { await Task.Delay(3); await Task.Yield(); }
        }
        """);

    [Fact]
    public Task Missing_tasks_using_is_added_by_the_fix() => Verify.VerifyCodeFixAsync(
        """
        using System;
        using System.Threading;

        class C
        {
            async void OnClick(object sender, EventArgs e)
            {
                [|Thread.Sleep(10)|];
            }
        }
        """,
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async void OnClick(object sender, EventArgs e)
            {
                await Task.Delay(10);
            }
        }
        """);

    [Fact]
    public Task Async_lambda_passed_to_Task_Run_from_a_sync_method_is_reported() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            void Start() => Task.Run(async () => { [|Thread.Sleep(5)|]; await Task.Yield(); });
        }
        """,
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            void Start() => Task.Run(async () => { await Task.Delay(5); await Task.Yield(); });
        }
        """);

    [Fact]
    public Task Expression_bodied_async_lambda_is_fixed_in_place() => Verify.VerifyCodeFixAsync(
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            Func<Task> Tick => async () => [|Thread.Sleep(5)|];
        }
        """,
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            Func<Task> Tick => async () => await Task.Delay(5);
        }
        """);

    [Fact]
    public Task Async_anonymous_method_is_reported() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            void M()
            {
                Func<Task> f = async delegate { {|#0:Thread.Sleep(5)|}; await Task.Yield(); };
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithArguments("Thread.Sleep", "async anonymous method in 'M'"));

    [Fact]
    public Task Async_local_function_is_reported() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            static void M()
            {
                _ = Tick();
                async Task Tick() { {|#0:Thread.Sleep(5)|}; await Task.Yield(); }
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithArguments("Thread.Sleep", "async local function 'Tick'"));

    [Theory]
    [InlineData("async ValueTask M() { [|Thread.Sleep(1)|]; await Task.Yield(); }")]
    [InlineData("async ValueTask<int> M() { [|Thread.Sleep(1)|]; await Task.Yield(); return 1; }")]
    [InlineData("async Task<int> M() { [|Thread.Sleep(1)|]; await Task.Yield(); return 1; }")]
    [InlineData("static async Task M() { [|Thread.Sleep(1)|]; await Task.Yield(); }")]
    [InlineData("async IAsyncEnumerable<int> M() { [|Thread.Sleep(1)|]; await Task.Yield(); yield return 1; }")]
    [InlineData("async Task M() { try { [|Thread.Sleep(1)|]; } finally { await Task.Yield(); } }")]
    [InlineData("async Task M() { try { await Task.Yield(); } catch { [|Thread.Sleep(1)|]; } }")]
    [InlineData("async Task M() { using var gate = new SemaphoreSlim(1); [|Thread.Sleep(1)|]; await Task.Yield(); }")]
    [InlineData("Func<Task> P { get { return async () => { [|Thread.Sleep(1)|]; await Task.Yield(); }; } }")]
    [InlineData("async Task M() { [|Thread.Sleep(1)|]; }")]
    public Task Every_async_form_is_reported(string member) => Verify.VerifyAnalyzerAsync(
        $$"""
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            {{member}}
        }
        """);

    [Fact]
    public Task SpinWait_SpinUntil_runs_on_the_thread_pool_and_is_awaited() => Verify.VerifyCodeFixAsync(
        // The condition has no awaitable form: the busy wait moves to a pool thread, and the async code's thread is free.
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            volatile bool _ready;
            async Task M() { [|SpinWait.SpinUntil(() => _ready)|]; await Task.Yield(); }
        }
        """,
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            volatile bool _ready;
            async Task M() { await Task.Run(() => SpinWait.SpinUntil(() => _ready)); await Task.Yield(); }
        }
        """);

    [Fact]
    public Task Top_level_statements_with_await_are_async_code() => new Verify.Test
    {
        TestCode = """
            using System.Threading;
            using System.Threading.Tasks;

            [|Thread.Sleep(10)|];
            await Task.Yield();
            """,
        FixedCode = """
            using System.Threading;
            using System.Threading.Tasks;

            await Task.Delay(10);
            await Task.Yield();
            """,
        OutputKind = OutputKind.ConsoleApplication,
    }.RunAsync();

    [Fact]
    public Task Fix_All_fixes_every_sleep_in_the_document() => Verify.VerifyCodeFixAsync(
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task A(CancellationToken ct)
            {
                [|Thread.Sleep(1)|];
                await Task.Yield();
                [|Thread.Sleep(TimeSpan.FromMilliseconds(5))|];
            }

            Func<Task> B => async () => [|Thread.Sleep(2)|];
        }
        """,
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task A(CancellationToken ct)
            {
                await Task.Delay(1, ct);
                await Task.Yield();
                await Task.Delay(TimeSpan.FromMilliseconds(5), ct);
            }

            Func<Task> B => async () => await Task.Delay(2);
        }
        """);

    [Fact]
    public Task Fix_All_in_project_scope_fixes_every_file() => new Verify.Test
    {
        TestState =
        {
            Sources =
            {
                "using System.Threading; using System.Threading.Tasks; class A { async Task M() { [|Thread.Sleep(1)|]; await Task.Yield(); } }",
                "using System.Threading; using System.Threading.Tasks; class B { async Task M() { [|Thread.Sleep(2)|]; await Task.Yield(); } }",
            },
        },
        FixedState =
        {
            Sources =
            {
                "using System.Threading; using System.Threading.Tasks; class A { async Task M() { await Task.Delay(1); await Task.Yield(); } }",
                "using System.Threading; using System.Threading.Tasks; class B { async Task M() { await Task.Delay(2); await Task.Yield(); } }",
            },
        },
    }.RunAsync();

    [Fact]
    public Task Sleep_in_synchronous_method_is_not_reported() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading;

        class C
        {
            void M() => Thread.Sleep(10);
            static int P { get { Thread.Sleep(1); return 1; } }
        }
        """);

    [Fact]
    public Task Sync_lambda_handed_to_Task_Run_or_a_thread_from_async_code_is_not_reported() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M()
            {
                await Task.Run(() => Thread.Sleep(10));
                var worker = new Thread(() => Thread.Sleep(10));
                worker.Start();
                await Task.Factory.StartNew(() => { Thread.Sleep(1); }, TaskCreationOptions.LongRunning);
            }
        }
        """);

    [Fact]
    public Task Sync_local_function_inside_async_method_is_not_reported_by_this_rule() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M()
            {
                await Task.Run(Work);
                static void Work() => Thread.Sleep(10);
            }
        }
        """);

    [Fact]
    public Task Sleep_inside_a_lock_body_is_left_to_the_lock_rules() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            private readonly object _gate = new();

            async Task M()
            {
                lock (_gate)
                {
                    Thread.Sleep(10);
                }

                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task Other_methods_named_Sleep_and_Thread_SpinWait_are_not_reported() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading.Tasks;

        static class Thread { public static void Sleep(int ms) { } }

        class C
        {
            async Task M()
            {
                Thread.Sleep(1);
                System.Threading.Thread.SpinWait(20);
                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task Sleep_in_unsafe_context_is_reported_but_not_fixed() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M()
            {
                await Task.Yield();
                unsafe { [|Thread.Sleep(1)|]; }
            }
        }
        """,
        """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M()
            {
                await Task.Yield();
                unsafe { [|Thread.Sleep(1)|]; }
            }
        }
        """);
}
