using System.Threading.Tasks;
using Xunit;
using Verify = Lockstep.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    Lockstep.Analyzers.Rules.LockUsage.BlockingCallUnderLockAnalyzer,
    Lockstep.Analyzers.Rules.LockUsage.BlockingCallUnderLockFixer>;

namespace Lockstep.Analyzers.Tests.Rules.LockUsage;

public sealed class BlockingCallUnderLockTests
{
    private const string Usings = """
        using System;
        using System.IO;
        using System.Net.Sockets;
        using System.Threading;
        using System.Threading.Tasks;

        """;

    private static Task VerifyClass(string body) => Verify.VerifyAnalyzerAsync(Usings + "class C\n{\n    private readonly object _sync = new();\n    private int _tickets = 10;\n" + body + "\n}\n");

    [Fact]
    public Task A_sleep_that_opens_the_lock_body_moves_before_the_lock() => Verify.VerifyCodeFixAsync(
        Usings + """
        class TicketOffice
        {
            private readonly object _sync = new();
            private int _tickets = 10;

            public void Buy()
            {
                lock (_sync)
                {
                    [|Thread.Sleep(100)|];
                    if (_tickets > 0) _tickets--;
                }
            }
        }
        """,
        Usings + """
        class TicketOffice
        {
            private readonly object _sync = new();
            private int _tickets = 10;

            public void Buy()
            {
                Thread.Sleep(100);
                lock (_sync)
                {
                    if (_tickets > 0) _tickets--;
                }
            }
        }
        """);

    [Fact]
    public Task Message_names_the_call_the_lock_and_the_chain() => Verify.VerifyAnalyzerAsync(
        Usings + """
        class C
        {
            private readonly object _sync = new();
            static void Pause() => Thread.Sleep(10);
            void M() { lock (_sync) { {|#0:Pause()|}; } }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithArguments("Pause", "_sync", " (Pause → Thread.Sleep)"));

    [Theory]
    [InlineData("void M(Task t) { lock (_sync) { [|t.Wait()|]; } }")]
    [InlineData("int M(Task<int> t) { lock (_sync) { return [|t.Result|]; } }")]
    [InlineData("void M(Thread worker) { lock (_sync) { [|worker.Join()|]; } }")]
    [InlineData("string M(string path) { lock (_sync) { return [|File.ReadAllText(path)|]; } }")]
    [InlineData("int M(Socket socket, byte[] buffer) { lock (_sync) { return [|socket.Receive(buffer)|]; } }")]
    [InlineData("int M(Stream stream, byte[] buffer) { lock (_sync) { return [|stream.Read(buffer, 0, 1)|]; } }")]
    [InlineData("void M() { Monitor.Enter(_sync); try { [|Thread.Sleep(1)|]; } finally { Monitor.Exit(_sync); } }")]
    [InlineData("void M(SemaphoreSlim gate) { gate.Wait(); try { [|Thread.Sleep(1)|]; } finally { gate.Release(); } }")]
    [InlineData("void M(ReaderWriterLockSlim rw) { rw.EnterWriteLock(); try { [|Console.ReadLine()|]; } finally { rw.ExitWriteLock(); } }")]
    [InlineData("static readonly object s_sync = new(); static void M() { lock (s_sync) { _ = Task.Run(() => 1).[|Result|]; } }")]
    [InlineData("int Tickets { get { lock (_sync) { [|Thread.Sleep(1)|]; return _tickets; } } }")]
    [InlineData("void M(object other) { using (Lockstep.Locks.AcquireInOrder(_sync, other)) { [|Thread.Sleep(1)|]; } }")]
    [InlineData("void M(Lockstep.OrderedLock accounts) { using (accounts.EnterScope()) { [|Thread.Sleep(1)|]; } }")]
    [InlineData("async Task M(Lockstep.AsyncLock gate) { using (await gate.LockAsync()) { [|Thread.Sleep(1)|]; } }")]
    [InlineData("void M() { lock (_sync) { if (_tickets > 0) { [|Thread.Sleep(1)|]; _tickets--; } } }")]
    public Task Every_blocking_form_under_every_lock_kind_is_reported(string member) => VerifyClass("    " + member.Replace("_ = Task.Run(() => 1).[|Result|];", "_ = [|Task.Run(() => 1).Result|];"));

    [Fact]
    public Task A_sleep_after_guarded_work_moves_before_the_lock() => Verify.VerifyCodeFixAsync(
        // A delay computes nothing: the guarded statements still run in the same order, only the others stop waiting through it.
        Usings + "class C { private readonly object _sync = new(); private int _n; void M() { lock (_sync) { _n++; [|Thread.Sleep(1)|]; _n--; } } }",
        Usings + "class C { private readonly object _sync = new(); private int _n; void M() { Thread.Sleep(1); lock (_sync) { _n++; _n--; } } }");

    [Theory]
    [InlineData("lock (_sync) { [|Thread.Sleep(1)|]; }")]
    [InlineData("Monitor.Enter(_sync); try { [|Thread.Sleep(1)|]; } finally { Monitor.Exit(_sync); }")]
    [InlineData("_gate.Wait(); try { [|Thread.Sleep(1)|]; } finally { _gate.Release(); }")]
    [InlineData("using (_ordered.EnterScope()) { [|Thread.Sleep(1)|]; }")]
    [InlineData("using (Lockstep.Locks.AcquireInOrder(_sync, _other)) { [|Thread.Sleep(1)|]; }")]
    public Task A_lock_left_guarding_nothing_goes_with_the_sleep(string body) => Verify.VerifyCodeFixAsync(
        Usings + Members + "    void M() { " + body + " }\n}\n",
        Usings + Members + "    void M() { Thread.Sleep(1); }\n}\n");

    [Fact]
    public Task A_sleep_in_a_branch_of_the_locked_block_moves_before_the_lock() => Verify.VerifyCodeFixAsync(
        // The delay now runs whichever branch is taken: only the timing changes, and the check and the decrement stay one step.
        Usings + Members + "    void M() { lock (_sync) { if (_n > 0) { [|Thread.Sleep(1)|]; _n--; } } }\n}\n",
        Usings + Members + "    void M() { Thread.Sleep(1); lock (_sync) { if (_n > 0) { _n--; } } }\n}\n");

    [Theory]
    [InlineData("Monitor.Enter(_sync); try { [|Thread.Sleep(1)|]; _n++; } finally { Monitor.Exit(_sync); }", "Thread.Sleep(1); Monitor.Enter(_sync); try { _n++; } finally { Monitor.Exit(_sync); }")]
    [InlineData("_gate.Wait(); try { _n++; [|Thread.Sleep(1)|]; } finally { _gate.Release(); }", "Thread.Sleep(1); _gate.Wait(); try { _n++; } finally { _gate.Release(); }")]
    [InlineData("using (_ordered.EnterScope()) { [|Thread.Sleep(1)|]; _n++; }", "Thread.Sleep(1); using (_ordered.EnterScope()) { _n++; }")]
    [InlineData("_rw.EnterWriteLock(); try { [|Thread.Sleep(1)|]; _n++; } finally { _rw.ExitWriteLock(); }", "Thread.Sleep(1); _rw.EnterWriteLock(); try { _n++; } finally { _rw.ExitWriteLock(); }")]
    public Task A_sleep_leaves_every_kind_of_locked_region(string body, string fixedBody) => Verify.VerifyCodeFixAsync(
        Usings + Members + "    private readonly ReaderWriterLockSlim _rw = new();\n    void M() { " + body + " }\n}\n",
        Usings + Members + "    private readonly ReaderWriterLockSlim _rw = new();\n    void M() { " + fixedBody + " }\n}\n");

    [Theory]
    [InlineData("int M(Task<int> t) { lock (_sync) { return [|t.Result|]; } }", "int M(Task<int> t) { return t.Result; }")]
    [InlineData("void M() { lock (_sync) { _ = [|Task.Run(() => 1).Result|]; } }", "void M() { _ = Task.Run(() => 1).Result; }")]
    [InlineData("void M(Thread worker) { lock (_sync) { [|worker.Join()|]; _n++; } }", "void M(Thread worker) { worker.Join(); lock (_sync) { _n++; } }")]
    [InlineData("void M() { lock (_sync) { [|Pause()|]; _n++; } }", "void M() { Pause(); lock (_sync) { _n++; } }")]
    public Task A_wait_for_unrelated_work_that_opens_the_block_moves_before_the_lock(string member, string fixedMember) => Verify.VerifyCodeFixAsync(
        Usings + Members + "    " + member + "\n}\n",
        Usings + Members + "    " + fixedMember + "\n}\n");

    [Theory]
    [InlineData("async Task M(Lockstep.AsyncLock gate) { using (await gate.LockAsync()) { [|Thread.Sleep(1)|]; _n++; } }", "async Task M(Lockstep.AsyncLock gate) { using (await gate.LockAsync()) { await Task.Delay(1); _n++; } }")]
    [InlineData("async Task M(Lockstep.AsyncLock gate, string path) { using (await gate.LockAsync()) { [|File.AppendAllText(path, \"x\")|]; _n++; } }", "async Task M(Lockstep.AsyncLock gate, string path) { using (await gate.LockAsync()) { await File.AppendAllTextAsync(path, \"x\"); _n++; } }")]
    [InlineData("async Task M(Task t) { await _gate.WaitAsync(); try { [|t.Wait()|]; _n++; } finally { _gate.Release(); } }", "async Task M(Task t) { await _gate.WaitAsync(); try { await t; _n++; } finally { _gate.Release(); } }")]
    public Task Under_an_async_lock_the_call_is_awaited_and_stays_exclusive(string member, string fixedMember) => Verify.VerifyCodeFixAsync(
        // The lock keeps serialising exactly the same work (the appends to one file stay in order); no thread blocks meanwhile.
        Usings + Members + "    " + member + "\n}\n",
        Usings + Members + "    " + fixedMember + "\n}\n");

    // Not offered: synchronous I/O (the lock may be what keeps the appends to one file in order, or the reads of one socket
    // whole); a wait after guarded work (it would move across that work); a sleep inside a loop of the block (it would run
    // once instead of once per round); a call that uses the type's state; a blocking call under two locks (moving it out of the inner
    // one would still block under the outer one); a statement that uses a local of the locked block.
    [Theory]
    [InlineData("void M(string path, string line) { lock (_sync) { [|File.AppendAllText(path, line)|]; _n++; } }")]
    [InlineData("int M(Socket socket, byte[] buffer) { lock (_sync) { return [|socket.Receive(buffer)|]; } }")]
    [InlineData("int M(Stream stream, byte[] buffer) { lock (_sync) { return [|stream.Read(buffer, 0, 1)|]; } }")]
    [InlineData("void M(Task t) { lock (_sync) { _n++; [|t.Wait()|]; } }")]
    [InlineData("void M() { lock (_sync) { while (_n > 0) { [|Thread.Sleep(1)|]; _n--; } } }")]
    [InlineData("void M() { lock (_sync) { [|Count()|]; } }")]
    [InlineData("void M() { lock (_other) { lock (_sync) { [|Thread.Sleep(1)|]; _n++; } } }")]
    [InlineData("void M() { lock (_sync) { var d = _n; [|Thread.Sleep(d)|]; } }")]
    public Task Blocking_that_the_lock_may_need_has_no_fix(string member) => Verify.VerifyCodeFixAsync(
        Usings + Members + "    " + member + "\n}\n",
        Usings + Members + "    " + member + "\n}\n");

    [Fact]
    public Task Fix_All_moves_every_movable_call_and_removes_the_emptied_lock_as_one_by_one() => new Verify.Test
    {
        // The findings left without a fix stay marked in the fixed code.
        FixedState = { MarkupHandling = MarkupMode.Allow },
        // Sites with and without a fix in one document: Fix All gives what applying the fixes one by one gives.
        TestCode = Usings + Members + """
            void A() { lock (_sync) { [|Thread.Sleep(1)|]; [|Thread.Sleep(2)|]; } }
            void B(Task work) { lock (_sync) { [|work.Wait()|]; _n--; [|Thread.Sleep(3)|]; } }
            void C2(string path) { lock (_sync) { [|File.AppendAllText(path, "x")|]; _n++; } }
            void D(Task work) { lock (_sync) { _n++; [|work.Wait()|]; } }
        }

        """,
        FixedCode = Usings + Members + """
            void A() { Thread.Sleep(1); Thread.Sleep(2); }
            void B(Task work) { work.Wait(); Thread.Sleep(3); lock (_sync) { _n--; } }
            void C2(string path) { lock (_sync) { [|File.AppendAllText(path, "x")|]; _n++; } }
            void D(Task work) { lock (_sync) { _n++; [|work.Wait()|]; } }
        }

        """,
    }.RunAsync();

    private const string Members = """
        class C
        {
            private readonly object _sync = new();
            private readonly object _other = new();
            private readonly SemaphoreSlim _gate = new(1, 1);
            private readonly Lockstep.OrderedLock _ordered = new("ordered");
            private int _n;
            static void Pause() => Thread.Sleep(1);
            void Count() { _n++; Thread.Sleep(1); }

        """;

    [Fact]
    public Task Monitor_Wait_releases_the_lock_and_is_not_reported() => VerifyClass(
        """
            void Take() { lock (_sync) { while (_tickets == 0) Monitor.Wait(_sync); _tickets--; } }
            void Put() { lock (_sync) { _tickets++; Monitor.PulseAll(_sync); } }
        """);

    [Fact]
    public Task Pure_computation_under_a_lock_and_blocking_outside_it_are_not_reported() => VerifyClass(
        """
            void M(Task t)
            {
                Thread.Sleep(1);
                t.Wait();
                lock (_sync) { _tickets = Math.Max(0, _tickets - 1); }
                Thread.Sleep(1);
            }
            Action Later() { lock (_sync) { return () => Thread.Sleep(1); } }
            async Task Gate(SemaphoreSlim gate) { await gate.WaitAsync(); try { await Task.Delay(1); } finally { gate.Release(); } }
        """);

    [Fact]
    public Task Results_of_completed_tasks_under_a_lock_are_not_reported() => VerifyClass(
        """
            int M(Task<int> t) { t.Wait(); lock (_sync) { return t.IsCompleted ? t.Result : 0; } }
        """);

    [Fact]
    public Task Fix_All_moves_every_leading_blocking_statement() => Verify.VerifyCodeFixAsync(
        Usings + """
        class C
        {
            private readonly object _sync = new();
            private int _a;
            void A() { lock (_sync) { [|Thread.Sleep(1)|]; _a++; } }
            void B(Task work) { lock (_sync) { [|work.Wait()|]; _a--; } }
        }
        """,
        Usings + """
        class C
        {
            private readonly object _sync = new();
            private int _a;
            void A() { Thread.Sleep(1); lock (_sync) { _a++; } }
            void B(Task work) { work.Wait(); lock (_sync) { _a--; } }
        }
        """);
}
