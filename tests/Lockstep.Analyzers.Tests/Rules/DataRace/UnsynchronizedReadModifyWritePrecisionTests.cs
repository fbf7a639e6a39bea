using System.Threading.Tasks;
using Xunit;
using Verify = Lockstep.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    Lockstep.Analyzers.Rules.DataRace.UnsynchronizedReadModifyWriteAnalyzer,
    Lockstep.Analyzers.Rules.DataRace.UnsynchronizedReadModifyWriteFixer>;

namespace Lockstep.Analyzers.Tests.Rules.DataRace;

/// <summary>
/// LS1001 on the shapes real libraries use: which objects two strands share. Correct code a careful engineer writes, in
/// our own words, with the meaning of patterns the real-code panel reported falsely, next to the true findings.
/// </summary>
public sealed class UnsynchronizedReadModifyWritePrecisionTests
{
    private const string Usings = """
        using System;
        using System.Collections.Concurrent;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;

        """;

    [Fact]
    public Task Objects_a_callback_takes_from_a_queue_are_each_its_own() => Verify.VerifyAnalyzerAsync(
        // Each tick handles the messages it dequeues; two ticks do not handle the same message, so a message's own
        // fields are not shared between them.
        Usings + """
        sealed class Message
        {
            public int Flags;
            public void MarkSent() => Flags |= 1;
        }
        sealed class Pump : IDisposable
        {
            private readonly ConcurrentQueue<Message> _queue = new();
            private readonly Timer _timer;
            public Pump() => _timer = new Timer(_ => Tick(), null, 100, 100);
            public void Post(Message message) => _queue.Enqueue(message);
            private void Tick()
            {
                while (_queue.TryDequeue(out var message))
                {
                    message.Flags |= 2;
                    message.MarkSent();
                    Next().MarkSent();
                }
            }
            private static Message Next() => new Message();
            public void Dispose() => _timer.Dispose();
        }
        """);

    [Fact]
    public Task An_object_held_in_a_field_is_as_shared_as_its_owner() => Verify.VerifyAnalyzerAsync(
        // Every tick reads the same field, so every tick updates the same statistics object; ticks can overlap.
        Usings + """
        sealed class Stats { public int Ticks; public void Count() => [|Ticks++|]; }
        sealed class Monitor2 : IDisposable
        {
            private readonly Stats _stats = new();
            private readonly Timer _timer;
            public Monitor2() => _timer = new Timer(_ => Tick(), null, 100, 100);
            private void Tick()
            {
                _stats.Count();
                var stats = _stats;
                [|stats.Ticks += 2|];
            }
            public void Dispose() => _timer.Dispose();
        }
        """);

    [Fact]
    public Task A_captured_object_of_unknown_origin_is_shared_by_those_who_capture_it() => Verify.VerifyAnalyzerAsync(
        Usings + """
        sealed class Counter { public int Value; }
        static class Work
        {
            static Counter Find() => new Counter();
            public static void Run()
            {
                var counter = Find();
                var worker = new Thread(() => [|counter.Value++|]);
                worker.Start();
                [|counter.Value++|];
                worker.Join();
            }
        }
        """);

    private const string DeepChain = """
        sealed class Stats { public int Count; public volatile int Flags; public void Bump() { Count++; Flags |= 1; } }
        sealed class Endpoint { private readonly Stats _stats = new(); public void Touch() => _stats.Bump(); }
        sealed class Bridge { private readonly Endpoint _endpoint = new(); public void Beat() => _endpoint.Touch(); }
        sealed class Multiplexer : IDisposable
        {
            private readonly Bridge _bridge = new();
            private readonly Timer _timer;
            public Multiplexer() => _timer = new Timer(_ => Heartbeat(), null, 1000, 1000);
            private void Heartbeat() => _bridge.Beat();
            public void Dispose() => _timer.Dispose();
        }
        """;

    [Fact]
    public Task A_race_inferred_deep_through_other_types_is_a_suggestion() => Verify.VerifyAnalyzerAsync(
        // Three calls away from the timer, in types that say nothing about threads: the inference may be right (ticks can
        // overlap), but on real code such findings are mostly wrong, so they are reported as suggestions (Info), raised
        // with dotnet_diagnostic.LS1001.severity = warning. The volatile field says its author knows it is shared: a
        // read-modify-write of it stays a warning.
        Usings + DeepChain.Replace("Count++;", "{|#0:Count++|};").Replace("Flags |= 1;", "{|#1:Flags |= 1|};"),
        Verify.Diagnostic().WithLocation(0).WithSeverity(Microsoft.CodeAnalysis.DiagnosticSeverity.Info)
            .WithArguments("Count", "incremented", "the timer callback registered at line 13"),
        Verify.Diagnostic().WithLocation(1).WithArguments("Flags", "updated", "the timer callback registered at line 13"));

    [Fact]
    public Task A_reader_thread_per_connection_owns_its_connections_counters() => Verify.VerifyAnalyzerAsync(
        // Each connection starts one reader thread on itself; Open is called for many connections, never twice for one.
        Usings + """
        sealed class Connection
        {
            private long _received;
            public void Open() => new Thread(ReadLoop) { IsBackground = true }.Start();
            private void ReadLoop() { for (int i = 0; i < 10; i++) _received += 512; }
        }
        sealed class Pool
        {
            public void Start(int count)
            {
                var first = new Connection();
                first.Open();
                var second = new Connection();
                second.Open();
            }
        }
        """);

    [Fact]
    public Task A_reconnect_timer_that_makes_a_new_connection_starts_one_reader_per_connection() => Verify.VerifyAnalyzerAsync(
        // The timer ticks again and again, but each tick that connects makes a new connection: its reader (a thread or a
        // task, whichever the connection chooses) is the only one on that connection's counters.
        Usings + """
        sealed class Connection
        {
            private readonly bool _sync;
            private long _received;
            private int _status;
            public Connection(bool sync) => _sync = sync;
            public void Connect()
            {
                if (_sync)
                    new Thread(ReadLoop) { IsBackground = true }.Start();
                else
                    Task.Run(ReadLoopAsync);
            }
            private void ReadLoop() { for (int i = 0; i < 10; i++) { _received += 512; if (_status == 0) _status = 1; } }
            private async Task ReadLoopAsync() { await Task.Yield(); _received += 512; if (_status == 0) _status = 1; }
        }
        sealed class Bridge : IDisposable
        {
            private readonly object _sync = new();
            private readonly Timer _heartbeat;
            private Connection? _physical;
            public Bridge() => _heartbeat = new Timer(_ => OnHeartbeat(), null, 1000, 1000);
            private void OnHeartbeat()
            {
                lock (_sync)
                {
                    if (_physical is not null) return;
                    _physical = new Connection(sync: false);
                }
                _physical.Connect();
            }
            public void Dispose() => _heartbeat.Dispose();
        }
        """);

    [Fact]
    public Task A_timer_that_restarts_its_own_reader_runs_readers_side_by_side() => Verify.VerifyAnalyzerAsync(
        // Here the ticking object is the reading one: every tick starts another reader on the same counters.
        Usings + """
        sealed class Poller : IDisposable
        {
            private readonly Timer _tick;
            private long _received;
            public Poller() => _tick = new Timer(_ => Poll(), null, 0, 100);
            private void Poll() => new Thread(ReadLoop) { IsBackground = true }.Start();
            private void ReadLoop() { for (int i = 0; i < 10; i++) {|#0:_received += 512|}; }
            public void Dispose() => _tick.Dispose();
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithArguments("_received", "updated", "threads running 'ReadLoop' started at line 11"));

    [Fact]
    public Task A_start_repeated_only_because_its_starter_has_two_callers_is_a_suggestion_unless_the_field_is_shared() => Verify.VerifyAnalyzerAsync(
        // Begin is called from two places on the same reader; whether those calls can overlap is an inference from the
        // call graph alone (a hand-over, an open-then-restart sequence are common), so the self-race is a suggestion,
        // unless the code itself treats the counter as shared (here, a lock around its other update).
        Usings + """
        sealed class Reader
        {
            private readonly object _sync = new();
            private long _total;
            private long _shared;
            private void Begin() => new Thread(Loop) { IsBackground = true }.Start();
            private void Loop() { {|#0:_total += 1|}; {|#1:_shared += 1|}; }
            public void Open() => Begin();
            public void Restart() => Begin();
            public void Reset() { lock (_sync) { _shared = 0; _shared++; } }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithSeverity(Microsoft.CodeAnalysis.DiagnosticSeverity.Info).WithArguments("_total", "updated", "threads running 'Loop' started at line 11"),
        Verify.Diagnostic().WithLocation(1).WithArguments("_shared", "updated", "threads running 'Loop' started at line 11"));

    [Fact]
    public Task A_one_shot_timer_that_re_arms_itself_does_not_overlap() => Verify.VerifyAnalyzerAsync(
        Usings + """
        sealed class Heartbeat : IDisposable
        {
            private readonly Timer _timer;
            private int _missed;
            public Heartbeat() => _timer = new Timer(_ => Check(), null, 1000, Timeout.Infinite);
            private void Check()
            {
                _missed++;
                _timer.Change(1000, Timeout.Infinite); // the next tick is armed only when this one is done
            }
            public void Dispose() => _timer.Dispose();
        }
        """);

    [Fact]
    public Task A_parameter_is_as_shared_as_the_argument_its_caller_passes() => Verify.VerifyAnalyzerAsync(
        // Stamp is handed each message the loop creates (its own) and, elsewhere, the one account all workers share.
        Usings + """
        sealed class Message { public int Hops; }
        sealed class Account { public long Balance; }
        static class Router
        {
            static void Stamp(Message message) => message.Hops++;
            static void Deposit(Account account, long amount) => {|#0:account.Balance += amount|};

            public static void Run(Account shared)
            {
                for (int i = 0; i < 4; i++)
                {
                    new Thread(() =>
                    {
                        var message = new Message();
                        Stamp(message);
                        Deposit(shared, 10);
                    }).Start();
                }
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithArguments("Balance", "updated", "threads started at line 17"));
}
