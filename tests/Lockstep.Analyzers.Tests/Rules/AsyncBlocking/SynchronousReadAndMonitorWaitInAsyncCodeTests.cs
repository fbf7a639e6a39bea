using System.Threading.Tasks;
using Xunit;
using ChainVerify = Lockstep.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    Lockstep.Analyzers.Rules.AsyncBlocking.BlockingCallChainInAsyncCodeAnalyzer,
    Lockstep.Analyzers.Rules.AsyncBlocking.BlockingCallChainInAsyncCodeFixer>;
using LockVerify = Lockstep.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    Lockstep.Analyzers.Rules.LockUsage.BlockingCallUnderLockAnalyzer,
    Lockstep.Analyzers.Rules.LockUsage.BlockingCallUnderLockFixer>;
using Verify = Lockstep.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    Lockstep.Analyzers.Rules.AsyncBlocking.SynchronousWaitInAsyncCodeAnalyzer,
    Lockstep.Analyzers.Rules.AsyncBlocking.SynchronousWaitInAsyncCodeFixer>;

namespace Lockstep.Analyzers.Tests.Rules.AsyncBlocking;

/// <summary>
/// LS3002 for the two waits that are not task waits: <c>Monitor.Wait</c>, which parks the thread until a pulse (and
/// releases its lock meanwhile, so it is reported inside a lock body too), and synchronous reads of streams and text
/// readers that wait for a disk, the network or another process while an awaitable read exists.
/// </summary>
public sealed class SynchronousReadAndMonitorWaitInAsyncCodeTests
{
    private const string Usings = """
        using System;
        using System.Diagnostics;
        using System.IO;
        using System.Net.Sockets;
        using System.Threading;
        using System.Threading.Tasks;

        """;

    private static Task VerifyFix(string source, string fixedSource) => Verify.VerifyCodeFixAsync(Usings + source, Usings + fixedSource);

    // ---- Monitor.Wait ----

    [Fact]
    public Task Monitor_Wait_inside_the_lock_of_an_async_method_is_reported_without_a_fix() => Verify.VerifyAnalyzerAsync(
        Usings + """
        class Gate
        {
            private readonly object _sync = new();
            private bool _open;

            public async Task PassAsync()
            {
                await Task.Yield();
                lock (_sync)
                {
                    while (!_open)
                        {|#0:Monitor.Wait(_sync)|};
                }
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithArguments("Monitor.Wait", "async method 'PassAsync'", "await an asynchronous signal such as a 'TaskCompletionSource' task"));

    [Fact]
    public Task Monitor_Wait_has_no_awaitable_rewrite() => VerifyFix(
        """
        class Gate
        {
            private readonly object _sync = new();

            public async Task PassAsync(TimeSpan limit)
            {
                Monitor.Enter(_sync);
                try { [|Monitor.Wait(_sync, limit)|]; }
                finally { Monitor.Exit(_sync); }
                await Task.Yield();
            }
        }
        """,
        """
        class Gate
        {
            private readonly object _sync = new();

            public async Task PassAsync(TimeSpan limit)
            {
                Monitor.Enter(_sync);
                try { [|Monitor.Wait(_sync, limit)|]; }
                finally { Monitor.Exit(_sync); }
                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task Monitor_Wait_is_reported_in_every_async_shape() => Verify.VerifyAnalyzerAsync(
        Usings + """
        class Shapes
        {
            private static readonly object s_sync = new();
            private readonly object _sync = new();

            public static async Task StaticAsync() { await Task.Yield(); lock (s_sync) [|Monitor.Wait(s_sync)|]; }

            public async Task InstanceAsync() { await Task.Yield(); lock (_sync) [|Monitor.Wait(_sync)|]; }

            public Func<Task> Lambda => async () => { await Task.Yield(); lock (_sync) [|Monitor.Wait(_sync)|]; };

            public Task LocalFunction()
            {
                return Run();

                async Task Run() { await Task.Yield(); lock (_sync) [|Monitor.Wait(_sync)|]; }
            }
        }
        """);

    [Fact]
    public Task Monitor_Wait_where_it_cannot_park_an_async_thread_is_not_reported() => Verify.VerifyAnalyzerAsync(
        Usings + """
        class Quiet
        {
            private readonly object _sync = new();
            private bool _ready;

            // Synchronous code owns its thread: waiting for a pulse is what Monitor.Wait is for.
            public void Consume() { lock (_sync) { while (!_ready) Monitor.Wait(_sync); } }

            // A zero timeout releases and retakes the lock without waiting for a pulse.
            public async Task PollAsync() { await Task.Yield(); lock (_sync) Monitor.Wait(_sync, 0); }

            // Offloaded on purpose: the synchronous lambda runs on a pool thread of its own.
            public async Task OffloadAsync() => await Task.Run(() => { lock (_sync) Monitor.Wait(_sync); });

            // The synchronous half of code that serves sync and async callers: sync callers chose to block.
            public async ValueTask WaitReady(bool async, Task ready)
            {
                if (async)
                    await ready;
                else
                    lock (_sync) Monitor.Wait(_sync);
            }
        }
        """);

    [Fact]
    public Task Monitor_Wait_reached_through_a_call_is_reported_with_the_chain() => ChainVerify.VerifyAnalyzerAsync(
        Usings + """
        class Mailbox
        {
            private readonly object _sync = new();
            private string? _message;

            private string Take()
            {
                lock (_sync)
                {
                    while (_message is null)
                        Monitor.Wait(_sync);
                    return _message;
                }
            }

            public async Task<string> ReceiveAsync()
            {
                await Task.Yield();
                return {|#0:Take()|};
            }
        }
        """,
        ChainVerify.Diagnostic().WithLocation(0).WithArguments("Take", "async method 'ReceiveAsync'", "Take → Monitor.Wait"));

    [Fact]
    public Task Monitor_Wait_reached_through_an_interface_with_one_implementation_is_reported() => ChainVerify.VerifyAnalyzerAsync(
        Usings + """
        interface ISignal { void Await(); }

        sealed class PulseSignal : ISignal
        {
            private readonly object _sync = new();
            private bool _set;

            public void Await() { lock (_sync) { while (!_set) Monitor.Wait(_sync); } }
        }

        class Client
        {
            public async Task RunAsync(ISignal signal)
            {
                await Task.Yield();
                {|#0:signal.Await()|};
            }
        }
        """,
        ChainVerify.Diagnostic().WithLocation(0).WithArguments("Await", "async method 'RunAsync'", "Await → Monitor.Wait"));

    [Fact]
    public Task A_helper_that_waits_on_the_lock_its_caller_holds_blocks_nothing_under_that_lock() => LockVerify.VerifyAnalyzerAsync(
        Usings + """
        class Buffer
        {
            private readonly object _sync = new();
            private int _count;

            // Monitor.Wait releases _sync while it waits, so the caller's lock is not held during the wait (LS5002).
            private void WaitForRoom() { while (_count >= 10) Monitor.Wait(_sync); }

            public void Put()
            {
                lock (_sync)
                {
                    WaitForRoom();
                    _count++;
                }
            }
        }
        """);

    // ---- Synchronous reads ----

    [Fact]
    public Task ReadToEnd_becomes_await_ReadToEndAsync_with_the_token_in_scope() => VerifyFix(
        """
        class Loader
        {
            async Task<string> LoadAsync(TextReader reader) { await Task.Yield(); return [|reader.ReadToEnd()|]; }
            async Task<string> LoadAsync(TextReader reader, CancellationToken cancellationToken) { await Task.Yield(); return [|reader.ReadToEnd()|]; }
        }
        """,
        """
        class Loader
        {
            async Task<string> LoadAsync(TextReader reader) { await Task.Yield(); return await reader.ReadToEndAsync(); }
            async Task<string> LoadAsync(TextReader reader, CancellationToken cancellationToken) { await Task.Yield(); return await reader.ReadToEndAsync(cancellationToken); }
        }
        """);

    [Fact]
    public Task Message_names_the_read_and_its_awaitable_twin() => Verify.VerifyAnalyzerAsync(
        Usings + "class C { async Task M(StreamReader reader) { await Task.Yield(); var text = {|#0:reader.ReadToEnd()|}; } }",
        Verify.Diagnostic().WithLocation(0).WithArguments("StreamReader.ReadToEnd", "async method 'M'", "await 'ReadToEndAsync'"));

    [Fact]
    public Task Stream_reads_become_awaited_reads_that_take_the_token() => VerifyFix(
        """
        class Receiver
        {
            async Task<int> ReceiveAsync(NetworkStream stream, byte[] buffer, CancellationToken cancellationToken)
            {
                int header = [|stream.Read(buffer, 0, 4)|];
                int body = [|stream.Read(buffer)|];
                [|stream.ReadExactly(buffer, 0, 2)|];
                await Task.Yield();
                return header + body;
            }
        }
        """,
        """
        class Receiver
        {
            async Task<int> ReceiveAsync(NetworkStream stream, byte[] buffer, CancellationToken cancellationToken)
            {
                int header = await stream.ReadAsync(buffer, 0, 4, cancellationToken);
                int body = await stream.ReadAsync(buffer, cancellationToken);
                await stream.ReadExactlyAsync(buffer, 0, 2, cancellationToken);
                await Task.Yield();
                return header + body;
            }
        }
        """);

    [Fact]
    public Task Process_output_read_to_the_end_and_lines_read_in_a_loop_become_awaited() => VerifyFix(
        """
        class Tool
        {
            static async Task<string> RunAsync(Process process, Stream log)
            {
                await Task.Yield();
                string? line;
                while ((line = [|process.StandardError.ReadLine()|]) != null)
                    Console.WriteLine(line);
                [|process.StandardOutput.BaseStream.CopyTo(log)|];
                return [|process.StandardOutput.ReadToEnd()|];
            }
        }
        """,
        """
        class Tool
        {
            static async Task<string> RunAsync(Process process, Stream log)
            {
                await Task.Yield();
                string? line;
                while ((line = await process.StandardError.ReadLineAsync()) != null)
                    Console.WriteLine(line);
                await process.StandardOutput.BaseStream.CopyToAsync(log);
                return await process.StandardOutput.ReadToEndAsync();
            }
        }
        """);

    [Fact]
    public Task A_read_into_a_span_has_no_awaitable_twin_and_runs_on_the_thread_pool() => VerifyFix(
        // ReadAsync takes memory, not a span: no rename keeps the argument's meaning. The read itself can still leave the
        // async code's thread: the span is made inside the lambda, so nothing ref-like is captured.
        """
        class Receiver
        {
            async Task<int> ReceiveAsync(Stream stream, byte[] buffer) { await Task.Yield(); return [|stream.Read(buffer.AsSpan(0, 4))|]; }
        }
        """,
        """
        class Receiver
        {
            async Task<int> ReceiveAsync(Stream stream, byte[] buffer) { await Task.Yield(); return await Task.Run(() => stream.Read(buffer.AsSpan(0, 4))); }
        }
        """);

    [Fact]
    public Task Reads_are_reported_in_every_async_shape() => Verify.VerifyAnalyzerAsync(
        Usings + """
        class Shapes
        {
            private readonly TextReader _input = Console.In;
            private static FileStream? s_file;

            public static async Task<int> StaticAsync(byte[] buffer) { await Task.Yield(); return [|s_file!.Read(buffer, 0, 1)|]; }

            public async Task<string?> InstanceAsync() { await Task.Yield(); return [|_input.ReadLine()|]; }

            public Func<Task<string>> Lambda => async () => { await Task.Yield(); return [|_input.ReadToEnd()|]; };

            public Task<string?> LocalFunction()
            {
                return Run();

                async Task<string?> Run() { await Task.Yield(); return [|_input.ReadLine()|]; }
            }
        }
        """);

    [Fact]
    public Task Reads_that_never_wait_or_that_belong_to_sync_callers_are_not_reported() => Verify.VerifyAnalyzerAsync(
        Usings + """
        class Quiet
        {
            private readonly object _sync = new();

            // In memory: nothing to wait for.
            async Task<string> FromMemoryAsync(byte[] bytes, string text, MemoryStream memory)
            {
                await Task.Yield();
                var reader = new StreamReader(new MemoryStream(bytes));
                using var strings = new StringReader(text);
                memory.CopyTo(Stream.Null);
                return reader.ReadToEnd() + strings.ReadToEnd() + new StringReader(text).ReadLine();
            }

            // A single byte has no awaitable twin to advise.
            async Task<int> OneByteAsync(Stream stream) { await Task.Yield(); return stream.ReadByte(); }

            // Synchronous code, and a synchronous lambda offloaded on purpose.
            string Load(TextReader reader) => reader.ReadToEnd();
            Task<string> OffloadAsync(TextReader reader) => Task.Run(() => reader.ReadToEnd());

            // The synchronous half of code that serves sync and async callers.
            async ValueTask<int> Fill(bool async, Stream stream, byte[] buffer) =>
                async ? await stream.ReadAsync(buffer, 0, buffer.Length) : stream.Read(buffer, 0, buffer.Length);

            // Under a lock await is not allowed; a read there is blocking I/O under the lock, LS5002's to report.
            async Task UnderLockAsync(Stream stream, byte[] buffer) { await Task.Yield(); lock (_sync) stream.Read(buffer, 0, 1); }
        }
        """);

    [Fact]
    public Task A_synchronous_helper_that_reads_the_stream_it_is_given_is_not_followed() => ChainVerify.VerifyAnalyzerAsync(
        // The helper serves every caller's stream, in-memory buffers included, and libraries share such helpers between
        // their sync and async paths: only a read written in async code itself is reported (LS3002).
        Usings + """
        class Parser
        {
            private static string ReadHeader(Stream stream)
            {
                var buffer = new byte[4];
                stream.ReadExactly(buffer);
                return System.Text.Encoding.ASCII.GetString(buffer);
            }

            public async Task<string> ParseAsync(Stream stream)
            {
                await Task.Yield();
                return ReadHeader(stream);
            }
        }
        """);
}
