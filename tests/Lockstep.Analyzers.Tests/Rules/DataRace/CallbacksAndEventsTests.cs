using System.Threading.Tasks;
using Xunit;
using CheckVerify = Lockstep.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    Lockstep.Analyzers.Rules.DataRace.UnsynchronizedCheckThenActAnalyzer,
    Lockstep.Analyzers.Rules.DataRace.UnsynchronizedCheckThenActFixer>;
using CollectionVerify = Lockstep.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    Lockstep.Analyzers.Rules.DataRace.NonThreadSafeCollectionMutatedConcurrentlyAnalyzer,
    Lockstep.Analyzers.Rules.DataRace.NonThreadSafeCollectionMutatedConcurrentlyFixer>;
using ThreadVerify = Lockstep.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    Lockstep.Analyzers.Rules.ThreadCreation.UnboundedThreadCreationAnalyzer,
    Lockstep.Analyzers.Rules.ThreadCreation.UnboundedThreadCreationFixer>;
using Verify = Lockstep.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    Lockstep.Analyzers.Rules.DataRace.UnsynchronizedReadModifyWriteAnalyzer,
    Lockstep.Analyzers.Rules.DataRace.UnsynchronizedReadModifyWriteFixer>;

namespace Lockstep.Analyzers.Tests.Rules.DataRace;

/// <summary>
/// Callbacks and events are concurrent entry points: file system watcher events, cancellation callbacks, continuations,
/// wait registrations, process output events, the callbacks of socket Begin… calls, and async handlers an accept loop
/// starts per connection without awaiting them. A callback that runs per event runs concurrently with itself and with the
/// code that registered it; one registered once runs once.
/// </summary>
public sealed class CallbacksAndEventsTests
{
    private const string Usings = """
        using System;
        using System.Collections.Concurrent;
        using System.Collections.Generic;
        using System.Diagnostics;
        using System.IO;
        using System.Net.Sockets;
        using System.Threading;
        using System.Threading.Tasks;

        """;

    // ---- File system watcher events: per change, on pool threads, overlapping ----

    [Theory]
    [InlineData("Changed")]
    [InlineData("Created")]
    [InlineData("Deleted")]
    [InlineData("Renamed")]
    public Task A_file_system_watcher_handler_races_with_itself(string @event) => Verify.VerifyAnalyzerAsync(
        Usings + "class Counter { private int _changes; public void Watch(FileSystemWatcher watcher) { watcher." + @event + " += (s, e) => [|_changes++|]; } }");

    [Fact]
    public Task Watcher_handlers_in_every_shape_are_entry_points() => Verify.VerifyAnalyzerAsync(
        Usings + """
        class Journal
        {
            private static int s_errors;
            private readonly Tally _tally = new();
            public int Seen { get; private set; }

            public Journal(string path)
            {
                var watcher = new FileSystemWatcher(path);
                watcher.Changed += OnChanged;          // an instance method group
                watcher.Error += OnError;              // a static one
                watcher.Created += (s, e) => Count();  // a lambda calling a local function
                watcher.Deleted += (s, e) => _tally.Add(); // through a call on an object the journal holds
                watcher.EnableRaisingEvents = true;

                void Count() => [|Seen++|];            // an auto-property
            }

            private void OnChanged(object sender, FileSystemEventArgs e) => Record();

            private void Record() => [|Seen += 2|];    // through a call

            private static void OnError(object sender, ErrorEventArgs e) => [|s_errors++|];
        }

        interface ITally { void Add(); }

        sealed class Tally : ITally
        {
            private int _count;
            public void Add() => [|_count++|];
        }
        """);

    [Fact]
    public Task Message_names_the_event_and_its_registration() => Verify.VerifyAnalyzerAsync(
        Usings + """
        class Counter
        {
            private int _changes;
            public void Watch(FileSystemWatcher watcher) => watcher.Changed += (s, e) => {|#0:_changes++|};
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithArguments("_changes", "incremented", "the FileSystemWatcher.Changed handlers registered at line 12"));

    [Fact]
    public Task A_watcher_handler_that_locks_or_counts_atomically_is_not_reported() => Verify.VerifyAnalyzerAsync(
        Usings + """
        class Counter
        {
            private readonly object _sync = new();
            private int _changes;
            private int _created;

            public void Watch(FileSystemWatcher watcher)
            {
                watcher.Changed += (s, e) => { lock (_sync) _changes++; };
                watcher.Created += (s, e) => Interlocked.Increment(ref _created);
            }
        }
        """);

    // ---- Cancellation callbacks: once, on the cancelling thread, alongside the registering code ----

    [Fact]
    public Task A_cancellation_callback_races_with_the_code_that_registered_it() => Verify.VerifyAnalyzerAsync(
        Usings + """
        class Tracker
        {
            private int _live;

            public void Track(CancellationToken token)
            {
                token.Register(() => {|#0:_live--|});
                {|#1:_live++|};
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithArguments("_live", "decremented", "the CancellationToken.Register callback registered at line 15 and by the code that keeps running after starting work at line 15"),
        Verify.Diagnostic().WithLocation(1).WithArguments("_live", "incremented", "the code that keeps running after starting work at line 15 and by the CancellationToken.Register callback registered at line 15"));

    [Fact]
    public Task A_cancellation_callback_registered_per_call_races_with_itself() => Verify.VerifyAnalyzerAsync(
        Usings + """
        class Requests
        {
            private int _cancelled;

            public void Watch(IEnumerable<CancellationToken> tokens)
            {
                foreach (var token in tokens)
                    token.Register(OnCancelled);
            }

            private void OnCancelled() => [|_cancelled++|];
        }
        """);

    [Fact]
    public Task A_callback_registered_once_runs_once() => Verify.VerifyAnalyzerAsync(
        // One registration in the constructor: the callback runs once, when the token is cancelled, and nothing else
        // updates the count.
        Usings + """
        class Session
        {
            private int _closings;

            public Session(CancellationToken token) => token.Register(() => _closings++);

            public int Closings => _closings;
        }
        """);

    // ---- Continuations ----

    [Fact]
    public Task A_continuation_races_with_the_code_that_registered_it() => CollectionVerify.VerifyAnalyzerAsync(
        Usings + """
        class Loader
        {
            private readonly List<string> _loaded = new();

            public void Load(Task<string> fetch)
            {
                fetch.ContinueWith(t => [|_loaded.Add(t.Result)|]);
                [|_loaded.Add("pending")|];
            }
        }
        """);

    [Fact]
    public Task Continuations_that_are_awaited_or_run_on_the_callers_scheduler_are_not_reported() => CollectionVerify.VerifyAnalyzerAsync(
        Usings + """
        class Loader
        {
            private readonly List<string> _loaded = new();

            public async Task LoadAsync(Task<string> fetch)
            {
                await fetch.ContinueWith(t => _loaded.Add(t.Result));
                _loaded.Add("done");
            }

            // A user interface's scheduler runs the continuation on the thread that registered it, one thing at a time.
            public void Show(Task<string> fetch)
            {
                fetch.ContinueWith(t => _loaded.Add(t.Result), TaskScheduler.FromCurrentSynchronizationContext());
                _loaded.Add("pending");
            }
        }
        """);

    [Fact]
    public Task A_continuation_chain_runs_one_link_at_a_time() => Verify.VerifyAnalyzerAsync(
        // Each link registers the next when it is done: the runs follow each other.
        Usings + """
        class Poller
        {
            private int _polls;

            public void Start() => Next(Task.CompletedTask);

            private void Next(Task previous) => previous.ContinueWith(_ => Poll());

            private void Poll()
            {
                _polls++;
                Next(Task.Delay(1000));
            }
        }
        """);

    // ---- Wait registrations ----

    [Fact]
    public Task A_wait_registration_that_repeats_races_with_itself_and_one_that_runs_once_does_not() => Verify.VerifyAnalyzerAsync(
        Usings + """
        class Signals
        {
            private int _signals;
            private int _firsts;

            public void Watch(WaitHandle handle)
            {
                ThreadPool.RegisterWaitForSingleObject(handle, (state, timedOut) => [|_signals++|], null, -1, executeOnlyOnce: false);
                ThreadPool.RegisterWaitForSingleObject(handle, (state, timedOut) => _firsts++, null, -1, executeOnlyOnce: true);
            }
        }
        """);

    // ---- Process output events ----

    [Fact]
    public Task Output_and_error_handlers_race_on_one_list() => CollectionVerify.VerifyAnalyzerAsync(
        Usings + """
        static class Tool
        {
            public static List<string> Run(Process process)
            {
                var lines = new List<string>();
                process.OutputDataReceived += (s, e) => [|lines.Add(e.Data ?? "")|];
                process.ErrorDataReceived += (s, e) => [|lines.Add(e.Data ?? "")|];
                process.Start();
                process.BeginOutputReadLine();
                process.BeginErrorReadLine();
                process.WaitForExit();
                return lines;
            }
        }
        """);

    [Fact]
    public Task One_output_handler_read_after_WaitForExit_or_a_concurrent_queue_is_not_reported() => CollectionVerify.VerifyAnalyzerAsync(
        // Lines of one stream arrive one at a time, and WaitForExit() returns after the last one was handled.
        Usings + """
        static class Tool
        {
            public static List<string> Output(Process process)
            {
                var lines = new List<string>();
                process.OutputDataReceived += (s, e) => lines.Add(e.Data ?? "");
                process.Start();
                process.BeginOutputReadLine();
                process.WaitForExit();
                lines.Add("exit code " + process.ExitCode);
                return lines;
            }

            public static ConcurrentQueue<string> Both(Process process)
            {
                var lines = new ConcurrentQueue<string>();
                process.OutputDataReceived += (s, e) => lines.Enqueue(e.Data ?? "");
                process.ErrorDataReceived += (s, e) => lines.Enqueue(e.Data ?? "");
                process.Start();
                return lines;
            }
        }
        """);

    // ---- Socket callbacks ----

    [Fact]
    public Task An_accept_callback_that_accepts_the_next_connection_first_races_with_itself() => CollectionVerify.VerifyAnalyzerAsync(
        Usings + """
        class Server
        {
            private readonly Socket _listener;
            private readonly List<Socket> _clients = new();

            public Server(Socket listener) => _listener = listener;

            public void Start() => _listener.BeginAccept(OnAccept, null);

            private void OnAccept(IAsyncResult result)
            {
                var client = _listener.EndAccept(result);
                _listener.BeginAccept(OnAccept, null);
                [|_clients.Add(client)|];
            }
        }
        """);

    [Fact]
    public Task A_receive_callback_that_asks_for_more_when_it_is_done_runs_one_at_a_time() => Verify.VerifyAnalyzerAsync(
        Usings + """
        class Connection
        {
            private readonly Socket _socket;
            private readonly byte[] _buffer = new byte[1024];
            private long _received;
            private long _messages;

            public Connection(Socket socket) => _socket = socket;

            public void Start() => _socket.BeginReceive(_buffer, 0, _buffer.Length, SocketFlags.None, OnReceive, null);

            private void OnReceive(IAsyncResult result)
            {
                int count = _socket.EndReceive(result);
                _received += count;
                if (count > 0)
                    _socket.BeginReceive(_buffer, 0, _buffer.Length, SocketFlags.None, OnReceive, null);
            }

            // The same chain through a helper.
            public void StartMessages() => ReceiveMessage();

            private void ReceiveMessage() => _socket.BeginReceive(_buffer, 0, _buffer.Length, SocketFlags.None, OnMessage, null);

            private void OnMessage(IAsyncResult result)
            {
                _socket.EndReceive(result);
                _messages++;
                ReceiveMessage();
            }
        }
        """);

    // ---- Async handlers started per accepted connection ----

    [Fact]
    public Task Handlers_an_accept_loop_does_not_await_race_with_each_other() => Verify.VerifyAnalyzerAsync(
        Usings + """
        class EchoServer
        {
            private int _connections;

            public async Task RunAsync(TcpListener listener)
            {
                while (true)
                {
                    var client = await listener.AcceptTcpClientAsync();
                    _ = HandleAsync(client);
                }
            }

            private async Task HandleAsync(TcpClient client)
            {
                // Until its first await a handler runs on the loop's thread, one after another: this count is the loop's.
                _connections++;
                try
                {
                    using var stream = client.GetStream();
                    await stream.WriteAsync(new byte[] { 1 });
                }
                finally
                {
                    // After it, the handlers of earlier connections run on alongside each other.
                    {|#0:_connections--|};
                }
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithArguments("_connections", "decremented", "handlers running 'HandleAsync' started per accepted connection at line 18"));

    [Fact]
    public Task Handlers_a_mailbox_loop_does_not_await_are_its_own_steps() => Verify.VerifyAnalyzerAsync(
        // A loop that takes messages from a queue and hands some to an async step it does not await is the
        // single-threaded design of actor runtimes: the mailbox orders the steps.
        Usings + """
        class Mailbox
        {
            private readonly ConcurrentQueue<string> _inbox = new();
            private int _handled;

            public async Task RunAsync()
            {
                while (_inbox.TryDequeue(out var message))
                    _ = HandleAsync(message);
                await Task.Yield();
            }

            private async Task HandleAsync(string message)
            {
                await Task.Yield();
                _handled++;
            }
        }
        """);

    [Fact]
    public Task Handlers_that_touch_only_their_connection_or_are_awaited_are_not_reported() => Verify.VerifyAnalyzerAsync(
        Usings + """
        class EchoServer
        {
            private int _served;

            public async Task RunAsync(TcpListener listener)
            {
                while (true)
                {
                    var client = await listener.AcceptTcpClientAsync();
                    _ = new Session(client).RunAsync();
                }
            }

            // One connection at a time: each handler is awaited before the next accept.
            public async Task RunOneByOneAsync(TcpListener listener)
            {
                while (true)
                {
                    var client = await listener.AcceptTcpClientAsync();
                    await ServeAsync(client);
                }
            }

            private async Task ServeAsync(TcpClient client)
            {
                _served++;
                await client.GetStream().FlushAsync();
            }
        }

        sealed class Session
        {
            private readonly TcpClient _client;
            private int _bytes;

            public Session(TcpClient client) => _client = client;

            public async Task RunAsync()
            {
                var buffer = new byte[256];
                int n = await _client.GetStream().ReadAsync(buffer);
                _bytes += n;
            }
        }
        """);

    [Fact]
    public Task A_handler_per_connection_is_a_task_not_a_thread() => ThreadVerify.VerifyAnalyzerAsync(
        // LS4001 counts threads; the pool runs the handlers.
        Usings + """
        class Server
        {
            public async Task RunAsync(TcpListener listener)
            {
                while (true)
                {
                    var client = await listener.AcceptTcpClientAsync();
                    _ = HandleAsync(client);
                }
            }

            private static async Task HandleAsync(TcpClient client) => await client.GetStream().FlushAsync();
        }
        """);

    [Fact]
    public Task Check_then_act_in_a_watcher_handler_is_reported() => CheckVerify.VerifyAnalyzerAsync(
        Usings + """
        class Index
        {
            private readonly Dictionary<string, int> _sizes = new();

            public void Watch(FileSystemWatcher watcher) => watcher.Created += OnCreated;

            private void OnCreated(object sender, FileSystemEventArgs e)
            {
                if ([|!_sizes.ContainsKey(e.Name ?? "")|])
                    _sizes[e.Name ?? ""] = 0;
            }
        }
        """);
}
