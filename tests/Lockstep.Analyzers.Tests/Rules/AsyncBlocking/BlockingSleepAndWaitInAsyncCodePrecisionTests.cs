using System.Threading.Tasks;
using Xunit;
using SleepVerify = Lockstep.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    Lockstep.Analyzers.Rules.AsyncBlocking.BlockingSleepInAsyncCodeAnalyzer,
    Lockstep.Analyzers.Rules.AsyncBlocking.BlockingSleepInAsyncCodeFixer>;
using WaitVerify = Lockstep.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    Lockstep.Analyzers.Rules.AsyncBlocking.SynchronousWaitInAsyncCodeAnalyzer,
    Lockstep.Analyzers.Rules.AsyncBlocking.SynchronousWaitInAsyncCodeFixer>;

namespace Lockstep.Analyzers.Tests.Rules.AsyncBlocking;

/// <summary>
/// LS3001 and LS3002 on the shapes real libraries use: correct code a careful engineer writes, in our own words, with
/// the meaning of patterns the real-code panel reported falsely, next to the true findings that must stay.
/// </summary>
public sealed class BlockingSleepAndWaitInAsyncCodePrecisionTests
{
    private const string Usings = """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        """;

    [Fact]
    public Task The_sync_half_of_an_async_dual_method_may_sleep() => SleepVerify.VerifyAnalyzerAsync(
        Usings + """
        class Backoff
        {
            // Sync callers pass false and want the thread to wait; async callers pass true.
            async ValueTask Pause(bool async, int ms)
            {
                if (async)
                    await Task.Delay(ms);
                else
                    Thread.Sleep(ms);
            }

            async Task Wrong() { [|Thread.Sleep(10)|]; await Task.Yield(); }
        }
        """);

    [Fact]
    public Task A_zero_sleep_only_yields_the_time_slice() => SleepVerify.VerifyAnalyzerAsync(
        Usings + "class C { async Task M() { Thread.Sleep(0); Thread.Sleep(TimeSpan.Zero); await Task.Yield(); } }");

    [Fact]
    public Task The_sync_half_of_an_async_dual_method_may_wait() => WaitVerify.VerifyAnalyzerAsync(
        Usings + """
        class Reader
        {
            private readonly SemaphoreSlim _gate = new(1);

            async ValueTask<int> Read(bool async, Task<int> pending) => async ? await pending : pending.Result;

            async ValueTask Enter(bool async)
            {
                if (!async)
                {
                    _gate.Wait();
                    return;
                }

                await _gate.WaitAsync();
            }

            async Task<int> Wrong(Task<int> pending) { await Task.Yield(); return [|pending.Result|]; }
        }
        """);

    [Fact]
    public Task A_wait_with_a_zero_timeout_in_async_code_only_tests() => WaitVerify.VerifyAnalyzerAsync(
        Usings + """
        class Signals
        {
            private readonly SemaphoreSlim _changed = new(0);
            private readonly ManualResetEventSlim _stopped = new();
            async Task Loop()
            {
                while (_changed.Wait(0)) { } // drop stale signals
                if (_stopped.Wait(TimeSpan.Zero))
                    return;
                await _changed.WaitAsync();
            }
        }
        """);

    [Fact]
    public Task The_task_an_awaited_WhenAny_returned_is_complete_also_in_a_loop() => WaitVerify.VerifyAnalyzerAsync(
        Usings + """
        class Reader
        {
            async Task Drain(Task<bool>[] reads, CancellationToken ct)
            {
                Task<bool> ready;
                do
                {
                    ready = await Task.WhenAny(reads);
                }
                while (ready.Result && !ct.IsCancellationRequested);
            }
        }
        """);
}
