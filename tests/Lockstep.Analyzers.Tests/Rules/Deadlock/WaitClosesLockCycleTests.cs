using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Xunit;
using Verify = Lockstep.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    Lockstep.Analyzers.Rules.Deadlock.LockOrderCycleAnalyzer,
    Lockstep.Analyzers.Rules.Deadlock.LockOrderCycleFixer>;

namespace Lockstep.Analyzers.Tests.Rules.Deadlock;

/// <summary>
/// LS2001 through waits: a thread holding a lock waits for code that runs on another thread (a join, a task wait, the
/// Dispose of a cancellation registration, a synchronous send to a context), and that code needs the lock, directly,
/// through calls, or through another lock the program takes in the opposite order. No fix is offered for these.
/// </summary>
public sealed class WaitClosesLockCycleTests
{
    private const string Usings = """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        """;

    [Fact]
    public Task Joining_a_thread_started_in_another_member_whose_lambda_takes_the_held_lock_is_reported() => Verify.VerifyNoFixAsync(
        Usings + """
        sealed class Pump
        {
            private readonly object _gate = new object();
            private Thread _worker;
            private int _pending;

            public void Start()
            {
                _worker = new Thread(() =>
                {
                    lock ({|#2:_gate|}) { _pending--; }
                });
                _worker.Start();
            }

            public void Stop()
            {
                lock ({|#1:_gate|})
                {
                    _pending = 0;
                    {|#0:_worker.Join()|};
                }
            }

            public void Abort()
            {
                lock ({|#4:_gate|})
                {
                    {|#3:_worker?.Join()|};
                }
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithLocation(1).WithLocation(2).WithLocation(4).WithLocation(3).WithSeverity(DiagnosticSeverity.Warning)
            .WithArguments("_gate → _gate in Pump.Stop (Thread.Join waits for Pump.Start (lambda) on another thread) and 1 other place"));

    [Fact]
    public Task Joining_a_local_thread_whose_method_group_body_takes_the_held_lock_is_reported() => Verify.VerifyNoFixAsync(
        Usings + """
        sealed class Flusher
        {
            private readonly object _gate = new object();
            private int _dirty;

            private void Drain()
            {
                lock ({|#2:_gate|}) { _dirty = 0; }
            }

            public void Flush()
            {
                var thread = new Thread(Drain);
                thread.Start();
                lock ({|#1:_gate|})
                {
                    _dirty++;
                    {|#0:thread.Join()|};
                }
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithLocation(1).WithLocation(2).WithSeverity(DiagnosticSeverity.Warning)
            .WithArguments("_gate → _gate in Flusher.Flush (Thread.Join waits for Flusher.Drain on another thread)"));

    [Fact]
    public Task Waiting_for_a_task_whose_local_function_takes_the_held_lock_through_a_call_is_reported() => Verify.VerifyNoFixAsync(
        Usings + """
        sealed class Loader
        {
            private readonly object _gate = new object();
            private Task _load;
            private int _count;

            public void Begin()
            {
                _load = Task.Run(Load);

                void Load() => Record();
            }

            private void Record()
            {
                lock ({|#2:_gate|}) { _count++; }
            }

            public void Reset()
            {
                lock ({|#1:_gate|})
                {
                    {|#0:_load.Wait()|};
                    _count = 0;
                }
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithLocation(1).WithLocation(2).WithSeverity(DiagnosticSeverity.Warning)
            .WithArguments("_gate → _gate in Loader.Reset (Task.Wait waits for Loader.Begin.Load → Record on another thread)"));

    [Fact]
    public Task Reading_the_result_of_a_task_that_takes_the_held_lock_is_reported() => Verify.VerifyNoFixAsync(
        Usings + """
        sealed class Totals
        {
            private readonly object _gate = new object();
            private Task<int> _sum;
            private int _total;

            public void Start() => _sum = Task.Run(() => { lock ({|#2:_gate|}) { return _total; } });

            public int Read()
            {
                lock ({|#1:_gate|})
                {
                    return {|#0:_sum.Result|};
                }
            }

            public int ReadAgain()
            {
                lock ({|#4:_gate|})
                {
                    return {|#3:_sum.ConfigureAwait(false).GetAwaiter().GetResult()|};
                }
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithLocation(1).WithLocation(2).WithLocation(4).WithLocation(3).WithSeverity(DiagnosticSeverity.Warning)
            .WithArguments("_gate → _gate in Totals.Read (Task.Result waits for Totals.Start (lambda) on another thread) and 1 other place"));

    [Fact]
    public Task Waiting_for_all_tasks_when_one_takes_the_held_lock_is_reported() => Verify.VerifyNoFixAsync(
        Usings + """
        sealed class Batch
        {
            private readonly object _gate = new object();
            private int _done;

            public void Run()
            {
                var first = Task.Run(() => Console.WriteLine("first"));
                var second = Task.Run(() => { lock ({|#2:_gate|}) { _done++; } });
                lock ({|#1:_gate|})
                {
                    {|#0:Task.WaitAll(first, second)|};
                }
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithLocation(1).WithLocation(2).WithSeverity(DiagnosticSeverity.Warning)
            .WithArguments("_gate → _gate in Batch.Run (Task.WaitAll waits for Batch.Run (lambda) on another thread)"));

    [Fact]
    public Task Disposing_a_cancellation_registration_whose_callback_takes_the_held_lock_is_reported() => Verify.VerifyNoFixAsync(
        Usings + """
        sealed class Request
        {
            private readonly object _gate = new object();
            private CancellationTokenRegistration _registration;
            private bool _cancelled;

            public void Watch(CancellationToken token)
            {
                _registration = token.Register(() =>
                {
                    lock ({|#2:_gate|}) { _cancelled = true; }
                });
            }

            public void Complete()
            {
                lock ({|#1:_gate|})
                {
                    {|#0:_registration.Dispose()|};
                    _cancelled = false;
                }
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithLocation(1).WithLocation(2).WithSeverity(DiagnosticSeverity.Warning)
            .WithArguments("_gate → _gate in Request.Complete (CancellationTokenRegistration.Dispose waits for Request.Watch (lambda) on another thread)"));

    [Fact]
    public Task A_static_lock_taken_by_the_only_implementation_of_an_interface_the_thread_calls_is_reported() => Verify.VerifyNoFixAsync(
        Usings + """
        interface ISink { void Write(string line); }

        sealed class FileSink : ISink
        {
            public void Write(string line)
            {
                lock ({|#2:Log.Gate|}) { Console.WriteLine(line); }
            }
        }

        static class Log
        {
            public static readonly object Gate = new object();
            private static Thread s_writer;
            private static ISink s_sink = new FileSink();

            public static void Start()
            {
                s_writer = new Thread(Pump);
                s_writer.Start();
            }

            private static void Pump() => s_sink.Write("started");

            public static void Shutdown()
            {
                lock ({|#1:Gate|})
                {
                    {|#0:s_writer.Join()|};
                }
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithLocation(1).WithLocation(2).WithSeverity(DiagnosticSeverity.Warning)
            .WithArguments("Gate → Gate in Log.Shutdown (Thread.Join waits for Log.Pump → Write on another thread)"));

    [Fact]
    public Task A_wait_whose_code_takes_a_second_lock_held_elsewhere_before_the_first_closes_a_two_lock_cycle() => Verify.VerifyNoFixAsync(
        Usings + """
        sealed class Exchange
        {
            private readonly object _book = new object();
            private readonly object _audit = new object();
            private Thread _auditor;

            public void Start()
            {
                _auditor = new Thread(() =>
                {
                    lock ({|#2:_audit|}) { Console.WriteLine("audit"); }
                });
                _auditor.Start();
            }

            public void Close()
            {
                lock ({|#1:_book|})
                {
                    {|#0:_auditor.Join()|};
                }
            }

            public void Check()
            {
                lock ({|#3:_audit|})
                {
                    lock ({|#4:_book|}) { Console.WriteLine("check"); }
                }
            }
        }
        """,
        Verify.Diagnostic().WithLocation(4).WithLocation(3).WithLocation(1).WithLocation(0).WithLocation(2).WithSeverity(DiagnosticSeverity.Warning)
            .WithArguments("_audit → _book in Exchange.Check; _book → _audit in Exchange.Close (Thread.Join waits for Exchange.Start (lambda) on another thread)"));

    [Fact]
    public Task Sending_to_a_synchronization_context_a_callback_that_takes_the_held_lock_is_reported() => Verify.VerifyNoFixAsync(
        Usings + """
        sealed class View
        {
            private readonly object _gate = new object();
            private readonly SynchronizationContext _ui;
            private string _text = "";

            public View(SynchronizationContext ui) => _ui = ui;

            public void Update(string text)
            {
                lock ({|#1:_gate|})
                {
                    _text = text;
                    {|#0:_ui.Send(_ => { lock ({|#2:_gate|}) { Console.WriteLine(_text); } }, null)|};
                }
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithLocation(1).WithLocation(2).WithSeverity(DiagnosticSeverity.Warning)
            .WithArguments("_gate → _gate in View.Update (SynchronizationContext.Send waits for View.Update (lambda) on another thread)"));

    [Fact]
    public Task A_wait_whose_lock_is_three_calls_deep_is_a_suggestion() => Verify.VerifyNoFixAsync(
        Usings + """
        sealed class Deep
        {
            private readonly object _gate = new object();
            private Thread _worker;

            public void Start() { _worker = new Thread(One); _worker.Start(); }
            private void One() => Two();
            private void Two() => Three();
            private void Three() { lock ({|#2:_gate|}) { Console.WriteLine("deep"); } }

            public void Stop()
            {
                lock ({|#1:_gate|}) { {|#0:_worker.Join()|}; }
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithLocation(1).WithLocation(2).WithSeverity(DiagnosticSeverity.Info)
            .WithArguments("_gate → _gate in Deep.Stop (Thread.Join waits for Deep.One → Two → Three on another thread)"));

    [Fact]
    public Task A_wait_made_by_a_method_called_under_the_lock_on_the_same_object_is_reported() => Verify.VerifyNoFixAsync(
        Usings + """
        sealed class Pump
        {
            private readonly object _gate = new object();
            private Thread _worker;
            private int _pending;

            public void Start()
            {
                _worker = new Thread(Drain);
                _worker.Start();
            }

            private void Drain()
            {
                lock ({|#2:_gate|}) { _pending = 0; }
            }

            private void Halt() => _worker?.Join();

            public void Dispose()
            {
                lock ({|#1:_gate|})
                {
                    {|#0:Halt()|};
                }
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithLocation(1).WithLocation(2).WithSeverity(DiagnosticSeverity.Warning)
            .WithArguments("_gate → _gate in Pump.Dispose (via Halt, whose Thread.Join waits for Pump.Drain on another thread)"));

    [Fact]
    public Task A_wait_made_by_another_object_of_the_same_type_is_not_reported() => Verify.VerifyAnalyzerAsync(
        // The child joins its own thread, which locks the child's gate: the parent holds its own gate, another lock.
        Usings + """
        sealed class Node
        {
            private readonly object _gate = new object();
            private readonly Node _child;
            private Thread _worker;

            public Node(Node child) => _child = child;

            public void Start()
            {
                _worker = new Thread(() => { lock (_gate) { Console.WriteLine("child"); } });
                _worker.Start();
            }

            public void Halt() => _worker.Join();

            public void Stop()
            {
                lock (_gate) { _child.Halt(); }
            }
        }
        """);

    [Fact]
    public Task A_thread_kept_in_a_static_field_may_run_on_any_object_so_its_lock_of_this_is_not_the_held_one() => Verify.VerifyAnalyzerAsync(
        // Any Pump's Start fills the static field: the thread may belong to another Pump, whose _gate is another lock.
        Usings + """
        sealed class Pump
        {
            private static Thread s_worker;
            private readonly object _gate = new object();

            public void Start()
            {
                s_worker = new Thread(() => { lock (_gate) { Console.WriteLine("work"); } });
                s_worker.Start();
            }

            public void Stop()
            {
                lock (_gate) { s_worker.Join(); }
            }
        }
        """);

    [Fact]
    public Task A_callback_sent_to_a_context_that_takes_no_lock_is_not_reported() => Verify.VerifyAnalyzerAsync(
        Usings + """
        sealed class View
        {
            private readonly object _gate = new object();
            private readonly SynchronizationContext _ui;
            private string _text = "";

            public View(SynchronizationContext ui) => _ui = ui;

            public void Update(string text)
            {
                lock (_gate)
                {
                    _text = text;
                    _ui.Send(state => Console.WriteLine(state), text);
                }
            }
        }
        """);

    [Fact]
    public Task An_order_through_a_wait_is_not_checked_against_a_declared_order() =>
        Lockstep.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
            Lockstep.Analyzers.Rules.Deadlock.LockOrderContradictsDeclaredOrderAnalyzer,
            Lockstep.Analyzers.Rules.Deadlock.LockOrderContradictsDeclaredOrderFixer>.VerifyAnalyzerAsync(
        // LS2003 says where the second lock is taken while the first is held; through a wait another thread takes it.
        Usings + """
        sealed class Bank
        {
            [Lockstep.AcquiredBefore(nameof(_ledger))]
            private readonly object _accounts = new object();
            private readonly object _ledger = new object();
            private Thread _auditor;

            public void Start()
            {
                _auditor = new Thread(() => { lock (_accounts) { Console.WriteLine("audit"); } });
                _auditor.Start();
            }

            public void Close()
            {
                lock (_ledger) { _auditor.Join(); }
            }
        }
        """);

    [Fact]
    public Task Waiting_for_Task_Run_of_an_async_lambda_waits_for_the_code_after_its_awaits() => Verify.VerifyNoFixAsync(
        Usings + """
        sealed class Poller
        {
            private readonly object _gate = new object();
            private Task _poll;
            private int _seen;

            public void Start() => _poll = Task.Run(async () =>
            {
                await Task.Delay(10);
                lock ({|#2:_gate|}) { _seen++; }
            });

            public void Stop()
            {
                lock ({|#1:_gate|}) { {|#0:_poll.Wait()|}; }
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithLocation(1).WithLocation(2).WithSeverity(DiagnosticSeverity.Warning)
            .WithArguments("_gate → _gate in Poller.Stop (Task.Wait waits for Poller.Start (lambda) on another thread)"));

    [Fact]
    public Task A_task_of_a_task_ends_at_the_first_await_so_the_lock_after_it_is_not_waited_for() => Verify.VerifyAnalyzerAsync(
        // StartNew(async …) returns Task<Task>: waiting for it waits only until the lambda's first await.
        Usings + """
        sealed class Poller
        {
            private readonly object _gate = new object();
            private Task<Task> _poll;
            private int _seen;

            public void Start() => _poll = Task.Factory.StartNew(async () =>
            {
                await Task.Delay(10);
                lock (_gate) { _seen++; }
            });

            public void Stop()
            {
                lock (_gate) { _poll.Wait(); }
            }
        }
        """);

    [Fact]
    public Task Waited_code_that_takes_another_lock_only_is_not_reported() => Verify.VerifyAnalyzerAsync(
        Usings + """
        sealed class Pump
        {
            private readonly object _gate = new object();
            private readonly object _queue = new object();
            private Thread _worker;

            public void Start()
            {
                _worker = new Thread(() => { lock (_queue) { Console.WriteLine("drain"); } });
                _worker.Start();
            }

            public void Stop()
            {
                lock (_gate) { _worker.Join(); }
            }
        }
        """);

    [Fact]
    public Task A_wait_after_the_lock_is_released_is_not_reported() => Verify.VerifyAnalyzerAsync(
        Usings + """
        sealed class Pump
        {
            private readonly object _gate = new object();
            private Thread _worker;
            private bool _stopping;

            public void Start()
            {
                _worker = new Thread(() => { lock (_gate) { Console.WriteLine(_stopping); } });
                _worker.Start();
            }

            public void Stop()
            {
                lock (_gate) { _stopping = true; }
                _worker.Join();
            }
        }
        """);

    [Fact]
    public Task The_same_lock_field_of_another_object_is_another_lock() => Verify.VerifyAnalyzerAsync(
        // A parent waits for its child's thread, which locks the child's own gate: same field, different object.
        Usings + """
        sealed class Node
        {
            private readonly object _gate = new object();
            private readonly Node _child;
            private Thread _worker;
            private int _visits;

            public Node(Node child) => _child = child;

            public void Start()
            {
                _worker = new Thread(_child.Visit);
                _worker.Start();
            }

            public void Visit()
            {
                lock (_gate) { _visits++; }
            }

            public void Stop()
            {
                lock (_gate) { _worker.Join(); }
            }

            public void StopChild()
            {
                lock (_gate) { _child._worker.Join(); }
            }
        }
        """);

    [Fact]
    public Task Waits_with_a_zero_or_finite_timeout_are_not_reported() => Verify.VerifyAnalyzerAsync(
        Usings + """
        sealed class Pump
        {
            private readonly object _gate = new object();
            private Thread _worker;
            private Task _task;

            public void Start()
            {
                _worker = new Thread(() => { lock (_gate) { Console.WriteLine("work"); } });
                _worker.Start();
                _task = Task.Run(() => { lock (_gate) { Console.WriteLine("task"); } });
            }

            public void Poll()
            {
                lock (_gate)
                {
                    _worker.Join(0);
                    _worker.Join(1000);
                    _task.Wait(TimeSpan.FromSeconds(1));
                }
            }
        }
        """);

    [Fact]
    public Task A_task_proven_complete_is_not_waited_for() => Verify.VerifyAnalyzerAsync(
        Usings + """
        sealed class Totals
        {
            private readonly object _gate = new object();
            private Task<int> _sum;
            private int _total;

            public void Start() => _sum = Task.Run(() => { lock (_gate) { return _total; } });

            public int Read()
            {
                lock (_gate)
                {
                    if (_sum.IsCompleted)
                        return _sum.Result;
                    return -1;
                }
            }
        }
        """);

    [Fact]
    public Task A_cancellation_callback_that_takes_no_lock_and_a_dispose_outside_the_lock_are_not_reported() => Verify.VerifyAnalyzerAsync(
        Usings + """
        sealed class Request
        {
            private readonly object _gate = new object();
            private CancellationTokenRegistration _quiet;
            private CancellationTokenRegistration _locking;
            private volatile bool _cancelled;

            public void Watch(CancellationToken token)
            {
                _quiet = token.Register(() => _cancelled = true);
                _locking = token.Register(() => { lock (_gate) { _cancelled = true; } });
            }

            public void Complete()
            {
                lock (_gate) { _quiet.Dispose(); }
                _locking.Dispose();
            }
        }
        """);
}
