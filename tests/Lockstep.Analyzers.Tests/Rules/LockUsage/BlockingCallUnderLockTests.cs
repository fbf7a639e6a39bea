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
    [InlineData("void M() { lock (_sync) { if (_tickets > 0) { [|Thread.Sleep(1)|]; _tickets--; } } }")]
    public Task Every_blocking_form_under_every_lock_kind_is_reported(string member) => VerifyClass("    " + member.Replace("_ = Task.Run(() => 1).[|Result|];", "_ = [|Task.Run(() => 1).Result|];"));

    [Fact]
    public Task A_blocking_call_after_guarded_state_is_used_has_no_automatic_fix() => Verify.VerifyCodeFixAsync(
        Usings + "class C { private readonly object _sync = new(); private int _n; void M() { lock (_sync) { _n++; [|Thread.Sleep(1)|]; } } }",
        Usings + "class C { private readonly object _sync = new(); private int _n; void M() { lock (_sync) { _n++; [|Thread.Sleep(1)|]; } } }");

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
