using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = Lockstep.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    Lockstep.Analyzers.Rules.AsyncBlocking.BlockingCallChainInAsyncCodeAnalyzer,
    Lockstep.Analyzers.Rules.AsyncBlocking.BlockingCallChainInAsyncCodeFixer>;

namespace Lockstep.Analyzers.Tests.Rules.AsyncBlocking;

/// <summary>
/// LS3003 on the shapes real libraries use: each negative test is correct code a careful engineer writes, in our own
/// words, with the meaning of a pattern that the real-code panel reported falsely; each positive test keeps the true
/// finding next to it.
/// </summary>
public sealed class BlockingCallChainInAsyncCodePrecisionTests
{
    private const string Usings = """
        using System;
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;

        """;

    private static Task VerifyClass(string body, params DiagnosticResult[] expected) =>
        Verify.VerifyAnalyzerAsync(Usings + "class C\n{\n" + body + "\n}\n", expected);

    [Fact]
    public Task Waits_with_a_zero_timeout_never_block() => VerifyClass(
        """
            private readonly SemaphoreSlim _signal = new(0);
            private readonly ManualResetEventSlim _done = new();
            private readonly object _gate = new();

            // Draining stale permits, and "take it if nobody holds it" helpers, return at once.
            void Drain() { while (_signal.Wait(0)) { } }
            bool TryTakeInstant() => _signal.Wait(TimeSpan.Zero);
            bool IsDone() => _done.Wait(0);
            bool TryEnterNow() { bool taken = false; Monitor.TryEnter(_gate, 0, ref taken); if (taken) Monitor.Exit(_gate); return taken; }
            void YieldSlice() => Thread.Sleep(0);

            async Task RunAsync()
            {
                Drain();
                _ = TryTakeInstant();
                _ = IsDone();
                _ = TryEnterNow();
                YieldSlice();
                await Task.Yield();
            }
        """);

    [Fact]
    public Task Waits_with_a_real_timeout_still_block() => VerifyClass(
        """
            private readonly SemaphoreSlim _signal = new(0);
            bool TryTake() => _signal.Wait(50);
            async Task RunAsync() { _ = {|#0:TryTake()|}; await Task.Yield(); }
        """,
        Verify.Diagnostic().WithLocation(0).WithArguments("TryTake", "async method 'RunAsync'", "TryTake → SemaphoreSlim.Wait"));

    [Fact]
    public Task A_flag_that_selects_the_async_half_is_followed_by_its_constant() => VerifyClass(
        """
            private readonly SemaphoreSlim _gate = new(1);

            // One method for sync and async callers: the flag picks the half.
            Task Enter(bool async)
            {
                if (async)
                    return _gate.WaitAsync();
                _gate.Wait();
                return Task.CompletedTask;
            }

            async Task UseAsync() { await Enter(async: true); _gate.Release(); }
            async Task PassOnAsync(bool async) { await Enter(async); _gate.Release(); }
            async Task WrongAsync() { await {|#0:Enter(async: false)|}; _gate.Release(); }
        """,
        // An async caller that passes false picks the blocking half: that one is real.
        Verify.Diagnostic().WithLocation(0).WithArguments("Enter", "async method 'WrongAsync'", "Enter → SemaphoreSlim.Wait"));

    [Fact]
    public Task A_sync_wrapper_over_the_dual_method_blocks_through_its_sync_half() => VerifyClass(
        """
            private readonly SemaphoreSlim _gate = new(1);

            Task Enter(bool async)
            {
                if (async)
                    return _gate.WaitAsync();
                _gate.Wait();
                return Task.CompletedTask;
            }

            // The wait on Enter(false) itself returns at once (the sync half completes the task); the sync half blocks.
            void EnterSync() => Enter(async: false).GetAwaiter().GetResult();
            Task EnterAsync() => Enter(async: true);

            async Task UseAsync() { await EnterAsync(); {|#0:EnterSync()|}; }
        """,
        Verify.Diagnostic().WithLocation(0).WithArguments("EnterSync", "async method 'UseAsync'", "EnterSync → Enter → SemaphoreSlim.Wait"));

    [Fact]
    public Task A_sync_wrapper_whose_sync_half_does_not_block_is_not_reported() => VerifyClass(
        """
            private int _count;

            // The sync half only counts; the wait on its completed task does not block.
            async ValueTask Add(bool async)
            {
                if (async)
                    await Task.Yield();
                _count++;
            }

            void AddSync() => Add(async: false).GetAwaiter().GetResult();

            async Task UseAsync() { AddSync(); await Task.Yield(); }
        """);

    [Fact]
    public Task The_sync_half_chosen_by_a_property_flag_is_for_sync_callers() => Verify.VerifyAnalyzerAsync(
        Usings + """
        sealed class Context { public bool IsSynchronous { get; init; } }
        static class Delays
        {
            // Sync callers set IsSynchronous and get a blocking delay on purpose; async callers get the awaitable one.
            public static Task Delay(TimeSpan delay, Context context)
            {
                if (context.IsSynchronous)
                {
                    Task.Delay(delay).GetAwaiter().GetResult();
                    return Task.CompletedTask;
                }

                return Task.Delay(delay);
            }

            public static ValueTask Pause(Context context) =>
                context.IsSynchronous ? Sleep() : new ValueTask(Task.Delay(10));

            static ValueTask Sleep() { Thread.Sleep(10); return default; }
        }
        class Retry
        {
            async Task RunAsync(Context context)
            {
                await Delays.Delay(TimeSpan.FromMilliseconds(10), context);
                await Delays.Pause(context);
            }
        }
        """);

    [Fact]
    public Task Blocking_on_the_way_to_a_throw_is_not_followed() => VerifyClass(
        """
            private readonly ManualResetEventSlim _drained = new();

            // Cleanup after a failure waits synchronously; it runs only when the connection is already broken.
            void Cleanup() => _drained.Wait();
            Exception Fail(string message) { Cleanup(); return new InvalidOperationException(message); }

            int Expect(int code)
            {
                if (code != 1)
                    throw Fail("unexpected " + code);
                return code;
            }

            int Check(int code)
            {
                if (code != 1)
                {
                    Cleanup();
                    throw new InvalidOperationException("unexpected " + code);
                }

                return code;
            }

            void Validate(int code)
            {
                try { Expect(code); }
                catch
                {
                    Cleanup();
                    throw;
                }
            }

            async Task RunAsync() { Expect(1); Check(1); Validate(1); await Task.Yield(); }
            async Task CloseAsync() { {|#0:Cleanup()|}; await Task.Yield(); }
        """,
        // Called on the normal path, the same cleanup blocks.
        Verify.Diagnostic().WithLocation(0).WithArguments("Cleanup", "async method 'CloseAsync'", "Cleanup → ManualResetEventSlim.Wait"));

    [Fact]
    public Task A_call_in_the_sync_half_of_an_async_dual_method_is_not_reported() => VerifyClass(
        """
            private readonly SemaphoreSlim _gate = new(1);
            void EnterSync() => _gate.Wait();

            async ValueTask Enter(bool async)
            {
                if (async)
                    await _gate.WaitAsync();
                else
                    EnterSync();
            }
        """);

    [Fact]
    public Task Blocking_before_the_process_ends_is_not_followed() => VerifyClass(
        """
            // The fatal handler gives the loggers a moment, then ends the process: it never returns to the caller.
            static void OnFatal(string reason)
            {
                Console.Error.WriteLine(reason);
                Thread.Sleep(100);
                Environment.FailFast(reason);
            }

            [System.Diagnostics.CodeAnalysis.DoesNotReturn]
            static void Fail(string reason) => throw new InvalidOperationException(reason);

            static void Check(bool ok)
            {
                if (!ok)
                {
                    Thread.Sleep(1);
                    Fail("check failed");
                }
            }

            async Task RunAsync(bool ok)
            {
                if (!ok)
                    OnFatal("state lost");
                Check(ok);
                await Task.Yield();
            }
        """);

    [Fact]
    public Task A_mode_flag_handed_on_to_a_helper_selects_its_sync_half_too() => VerifyClass(
        """
            private readonly SemaphoreSlim _more = new(0);

            // Only the innermost helper tests the flag; the ones above hand it on.
            ValueTask Fill(bool async)
            {
                if (async)
                    return new ValueTask(_more.WaitAsync());
                _more.Wait();
                return default;
            }

            ValueTask<int> ReadMore(bool async) => Load(async);

            async ValueTask<int> Load(bool async)
            {
                await Fill(async);
                return 1;
            }

            int ReadSync() => ReadMore(async: false).GetAwaiter().GetResult();
            ValueTask<int> ReadAsync() => ReadMore(async: true);

            async Task<int> UseAsync() => await ReadAsync() + {|#0:ReadSync()|};
        """,
        // The wait on ReadMore(false) is on a task its sync half completes; the sync half itself blocks in Fill.
        Verify.Diagnostic().WithLocation(0).WithArguments("ReadSync", "async method 'UseAsync'", "ReadSync → ReadMore → Load → Fill → SemaphoreSlim.Wait"));

    [Fact]
    public Task A_sync_step_before_the_shared_async_continuation_is_for_sync_callers() => Verify.VerifyAnalyzerAsync(
        Usings + """
        sealed class Context { public bool IsSynchronous { get; init; } }
        static class Scheduling
        {
            // Sync callers wait here for the scheduled work; async callers get the task to await.
            public static Task Complete(Task task, Context context)
            {
                if (context.IsSynchronous && !task.IsCompleted)
                    task.GetAwaiter().GetResult();
                return task;
            }
        }
        class Breaker
        {
            async Task RunAsync(Task scheduled, Context context) => await Scheduling.Complete(scheduled, context);
        }
        """);

    [Fact]
    public Task A_slow_path_before_an_await_is_still_reported() => VerifyClass(
        """
            static void Pause() => Thread.Sleep(10);

            // An ordinary condition, not a mode switch: the async caller blocks whenever it is true.
            async Task RunAsync(bool slow)
            {
                if (slow)
                    {|#0:Pause()|};
                await Task.Delay(10);
            }
        """,
        Verify.Diagnostic().WithLocation(0).WithArguments("Pause", "async method 'RunAsync'", "Pause → Thread.Sleep"));

    [Fact]
    public Task A_result_the_author_asserts_is_complete_is_not_a_wait() => VerifyClass(
        """
            static int Take(Task<int> task)
            {
                System.Diagnostics.Debug.Assert(task.IsCompleted, "the async path awaits first");
                return task.GetAwaiter().GetResult();
            }

            async Task<int> RunAsync(Task<int> task) { await task; return Take(task); }
        """);

    [Fact]
    public Task Results_read_over_a_collection_awaited_with_WhenAll_are_complete() => VerifyClass(
        """
            static async Task<int[]> Load(int[] ids)
            {
                var all = new System.Collections.Generic.List<Task<int>>();
                foreach (var id in ids)
                    all.Add(Task.FromResult(id));
                await Task.WhenAll(all);
                return System.Linq.Enumerable.ToArray(System.Linq.Enumerable.Select(all, t => t.Result));
            }
        """);

    [Fact]
    public Task A_wait_on_an_abstract_dual_method_run_in_its_declared_sync_mode_is_complete() => Verify.VerifyAnalyzerAsync(
        Usings + """
        abstract class Converter
        {
            // Shared sync/async entry point, one per converter; "async: false" runs it synchronously by contract.
            internal abstract ValueTask<object> Read(bool async, Stream stream);
            public object ReadSync(Stream stream) => Read(async: false, stream).Result;
        }
        sealed class Text : Converter { internal override ValueTask<object> Read(bool async, Stream stream) => new("text"); }
        sealed class Number : Converter { internal override ValueTask<object> Read(bool async, Stream stream) => new(1); }
        class Reader
        {
            async Task<object> GetAsync(Converter converter, Stream stream) { await Task.Yield(); return converter.ReadSync(stream); }
        }
        """);

    [Fact]
    public Task Results_read_after_a_limited_wait_for_all_of_them_are_complete() => VerifyClass(
        """
            static async Task<bool> Transfer(Task<bool>[] all, CancellationToken token)
            {
                try { await Task.WhenAll(all).WaitAsync(token); } catch (OperationCanceledException) { return false; }
                return System.Linq.Enumerable.All(all, t => t.Result);
            }
        """);
}
