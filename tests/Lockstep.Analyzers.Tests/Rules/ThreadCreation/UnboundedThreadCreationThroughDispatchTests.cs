using System.Threading.Tasks;
using Xunit;
using Verify = Lockstep.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    Lockstep.Analyzers.Rules.ThreadCreation.UnboundedThreadCreationAnalyzer,
    Lockstep.Analyzers.Rules.ThreadCreation.UnboundedThreadCreationFixer>;

namespace Lockstep.Analyzers.Tests.Rules.ThreadCreation;

/// <summary>
/// LS4001 where the start hides behind a dispatch loop or a guard: a message loop that hands each message to its own
/// implementation (one of which accepts a connection whose constructor starts a thread), a handler guarded by a test of
/// state it never changes; and the correct code next to them: a start-once guard, a retry loop that stops at the
/// first success, a call on one fixed object whose type has several implementations.
/// </summary>
/// <remarks>
/// The threads here are foreground threads made in another member or type than the loop: no fix is offered (bounding
/// them changes that type's design), and the tests assert it.
/// </remarks>
public sealed class UnboundedThreadCreationThroughDispatchTests
{
    private const string Usings = """
        using System;
        using System.Collections.Concurrent;
        using System.Collections.Generic;
        using System.Net.Sockets;
        using System.Threading;

        """;

    private const string Connection = """

        sealed class Connection
        {
            public Connection(Socket socket)
            {
                new Thread(Pump).Start(socket);
            }

            private void Pump(object state) { }
        }
        """;

    // ---- Dispatch to every implementation when the receiver is this iteration's message ----

    [Fact]
    public Task A_message_loop_whose_connect_message_starts_a_thread_per_connection_is_reported() => Verify.VerifyNoFixAsync(
        Usings + """
        sealed class Server
        {
            private readonly BlockingCollection<IServerEvent> _events = new BlockingCollection<IServerEvent>();

            public int State { get; set; }

            public void Post(IServerEvent e) => _events.Add(e);

            public void Loop()
            {
                {|#1:while (true)
                {
                    if (_events.TryTake(out var e, 1000))
                        {|#0:e.Invoke(this)|};

                    // A shutdown check at the end of the iteration does not make this a retry loop: it takes messages.
                    if (State == 9)
                        break;
                }|}
            }

            internal void Accept(Socket socket)
            {
                // A filter of calls, not a start-once guard: nothing here changes State.
                if (State != 1)
                    return;

                var connection = new Connection(socket);
            }
        }

        interface IServerEvent { void Invoke(Server server); }

        sealed class ConnectEvent : IServerEvent
        {
            private readonly Socket _socket;

            public ConnectEvent(Socket socket) { _socket = socket; }

            void IServerEvent.Invoke(Server server) => server.Accept(_socket);
        }

        sealed class PingEvent : IServerEvent
        {
            void IServerEvent.Invoke(Server server) => Console.WriteLine("ping");
        }
        """ + Connection,
        Verify.Diagnostic().WithLocation(0).WithLocation(1).WithArguments("Invoke", "message"));

    [Fact]
    public Task A_foreach_over_messages_of_a_base_class_with_an_override_that_starts_a_thread_is_reported() => Verify.VerifyNoFixAsync(
        Usings + """
        abstract class Message
        {
            public abstract void Handle();
        }

        sealed class Upload : Message
        {
            public override void Handle() => new Thread(() => Console.WriteLine("upload")).Start();
        }

        sealed class Note : Message
        {
            public override void Handle() => Console.WriteLine("note");
        }

        static class Inbox
        {
            public static void Drain(IEnumerable<Message> messages)
            {
                {|#1:foreach (var message in messages)
                    {|#0:message.Handle()|};|}
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithLocation(1).WithArguments("Handle", "item of 'messages'"));

    [Fact]
    public Task One_fixed_object_whose_type_has_several_implementations_is_not_followed() => Verify.VerifyAnalyzerAsync(
        Usings + """
        interface IScheduler { void Schedule(Action work); }

        sealed class ThreadScheduler : IScheduler
        {
            public void Schedule(Action work) => new Thread(() => work()).Start();
        }

        sealed class InlineScheduler : IScheduler
        {
            public void Schedule(Action work) => work();
        }

        sealed class Pipeline
        {
            private readonly IScheduler _scheduler;

            public Pipeline(IScheduler scheduler) { _scheduler = scheduler; }

            public void RunAll(IEnumerable<Action> steps)
            {
                // Which scheduler this pipeline has is fixed by its creator: the call is not "any implementation".
                foreach (var step in steps)
                    _scheduler.Schedule(step);
            }
        }
        """);

    // ---- Guards: filtering calls versus starting once ----

    [Fact]
    public Task A_handler_guarded_by_a_flag_it_never_changes_starts_a_thread_per_connection() => Verify.VerifyNoFixAsync(
        Usings + """
        sealed class Listener
        {
            private volatile bool _disposed;

            public void Dispose() => _disposed = true;

            public void Run(TcpListener listener)
            {
                {|#1:while (true)
                {
                    var client = listener.AcceptTcpClient();
                    {|#0:Serve(client)|};
                }|}
            }

            private void Serve(TcpClient client)
            {
                if (_disposed)
                    return;

                new Thread(() => client.Close()).Start();
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithLocation(1).WithArguments("Serve", "accepted connection"));

    [Fact]
    public Task A_start_once_guard_that_the_method_itself_sets_is_not_reported() => Verify.VerifyAnalyzerAsync(
        Usings + """
        sealed class Pump
        {
            private Thread _worker;
            private int _started;

            public void Run(TcpListener listener)
            {
                while (true)
                {
                    var client = listener.AcceptTcpClient();
                    EnsureWorker();
                    EnsureOther();
                    client.Close();
                }
            }

            private void EnsureWorker()
            {
                if (_worker != null)
                    return;

                _worker = new Thread(() => Console.WriteLine("work"));
                _worker.Start();
            }

            private void EnsureOther()
            {
                if (Interlocked.Exchange(ref _started, 1) == 1)
                    return;

                new Thread(() => Console.WriteLine("other")).Start();
            }
        }
        """);

    // ---- Retry loops ----

    [Fact]
    public Task A_retry_loop_that_stops_at_the_first_success_is_not_reported() => Verify.VerifyAnalyzerAsync(
        Usings + """
        sealed class Clock
        {
            private Thread _monitor;

            public void Restart()
            {
                for (;;)
                {
                    var started = DateTime.UtcNow;
                    _monitor = new Thread(() => Console.WriteLine("tick")) { IsBackground = true };
                    _monitor.Start();

                    if ((DateTime.UtcNow - started).TotalMilliseconds < 10)
                        break;
                }
            }
        }
        """);

    [Fact]
    public Task A_server_loop_with_a_shutdown_check_before_the_start_is_still_reported() => Verify.VerifyNoFixAsync(
        Usings + """
        sealed class Server
        {
            private volatile bool _stopping;

            public void Stop() => _stopping = true;

            public void Run(TcpListener listener)
            {
                {|#1:while (true)
                {
                    if (_stopping)
                        break;

                    var socket = listener.AcceptSocket();
                    {|#0:Open(socket)|};
                }|}
            }

            private static void Open(Socket socket) => new Connection(socket);
        }
        """ + Connection,
        Verify.Diagnostic().WithLocation(0).WithLocation(1).WithArguments("Open", "accepted connection"));
}
