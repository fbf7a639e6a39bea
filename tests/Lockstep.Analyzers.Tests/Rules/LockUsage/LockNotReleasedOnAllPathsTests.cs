using System.Threading.Tasks;
using Xunit;
using Verify = Lockstep.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    Lockstep.Analyzers.Rules.LockUsage.LockNotReleasedOnAllPathsAnalyzer,
    Lockstep.Analyzers.Rules.LockUsage.LockNotReleasedOnAllPathsFixer>;

namespace Lockstep.Analyzers.Tests.Rules.LockUsage;

public sealed class LockNotReleasedOnAllPathsTests
{
    private const string Usings = """
        using System;
        using System.Threading;
        using System.Threading.Tasks;


        """;

    private static Task VerifyClass(string body) => Verify.VerifyAnalyzerAsync(Usings + "class C\n{\n    private readonly object _sync = new();\n    private readonly SemaphoreSlim _gate = new(1, 1);\n    private int _n;\n" + body + "\n}\n");

    [Fact]
    public Task Monitor_Enter_Exit_pair_becomes_a_lock_statement() => Verify.VerifyCodeFixAsync(
        Usings + """
        class TicketOffice
        {
            private readonly object _mutex = new();
            private int _tickets = 10;

            public void Buy()
            {
                [|Monitor.Enter(_mutex)|];
                if (_tickets > 0) _tickets--;
                Monitor.Exit(_mutex);
            }
        }
        """,
        Usings + """
        class TicketOffice
        {
            private readonly object _mutex = new();
            private int _tickets = 10;

            public void Buy()
            {
                lock (_mutex)
                {
                    if (_tickets > 0) _tickets--;
                }
            }
        }
        """);

    [Fact]
    public Task Awaited_semaphore_acquisition_gets_a_try_finally() => Verify.VerifyCodeFixAsync(
        Usings + """
        class Store
        {
            private readonly SemaphoreSlim _gate = new(1, 1);
            private int _writes;

            public async Task WriteAsync()
            {
                await [|_gate.WaitAsync()|];
                _writes++;
                await Task.Yield();
                _gate.Release();
            }
        }
        """,
        Usings + """
        class Store
        {
            private readonly SemaphoreSlim _gate = new(1, 1);
            private int _writes;

            public async Task WriteAsync()
            {
                await _gate.WaitAsync();
                try
                {
                    _writes++;
                    await Task.Yield();
                }
                finally
                {
                    _gate.Release();
                }
            }
        }
        """);

    [Fact]
    public Task A_private_semaphore_used_only_as_a_lock_can_become_an_AsyncLock() => new Verify.Test
    {
        TestCode = Usings + """
        class Store
        {
            private readonly SemaphoreSlim _gate = new(1, 1);
            private int _writes;

            public async Task WriteAsync(CancellationToken ct)
            {
                await [|_gate.WaitAsync(ct)|];
                _writes++;
                _gate.Release();
            }

            public async Task FlushAsync()
            {
                await _gate.WaitAsync();
                try
                {
                    _writes = 0;
                }
                finally
                {
                    _gate.Release();
                }
            }
        }
        """,
        FixedCode = Usings.Replace("using System.Threading.Tasks;\n", "using System.Threading.Tasks;\nusing Lockstep;\n") + """
        class Store
        {
            private readonly AsyncLock _gate = new AsyncLock();
            private int _writes;

            public async Task WriteAsync(CancellationToken ct)
            {
                using (await _gate.LockAsync(ct))
                {
                    _writes++;
                }
            }

            public async Task FlushAsync()
            {
                using (await _gate.LockAsync())
                {
                    _writes = 0;
                }
            }
        }
        """,
        CodeActionEquivalenceKey = Lockstep.Analyzers.Rules.LockUsage.LockNotReleasedOnAllPathsFixer.AsyncLockEquivalenceKey,
    }.RunAsync();

    [Fact]
    public Task A_semaphore_with_other_uses_is_not_offered_the_AsyncLock_conversion() => new Verify.Test
    {
        TestCode = Usings + "class Store { private readonly SemaphoreSlim _gate = new(1, 1); private int _n; public int Free => _gate.CurrentCount; public void M() { [|_gate.Wait()|]; _n++; _gate.Release(); } }",
        FixedCode = Usings + "class Store { private readonly SemaphoreSlim _gate = new(1, 1); private int _n; public int Free => _gate.CurrentCount; public void M() { [|_gate.Wait()|]; _n++; _gate.Release(); } }",
        CodeActionEquivalenceKey = Lockstep.Analyzers.Rules.LockUsage.LockNotReleasedOnAllPathsFixer.AsyncLockEquivalenceKey,
    }.RunAsync();

    [Fact]
    public Task Message_says_what_can_skip_the_release() => Verify.VerifyAnalyzerAsync(
        Usings + "class C { private readonly object _sync = new(); void M(bool stop) { {|#0:Monitor.Enter(_sync)|}; if (stop) return; Monitor.Exit(_sync); } }",
        Verify.Diagnostic().WithLocation(0).WithArguments("Monitor.Enter", "_sync", "an exception or an early return can skip the release"));

    [Theory]
    [InlineData("void M() { [|Monitor.Enter(_sync)|]; _n++; }")]
    [InlineData("void M(bool b) { [|Monitor.Enter(_sync)|]; if (b) return; Monitor.Exit(_sync); }")]
    [InlineData("void M(Mutex m) { [|m.WaitOne()|]; _n++; m.ReleaseMutex(); }")]
    [InlineData("void M(ReaderWriterLockSlim rw) { [|rw.EnterWriteLock()|]; _n++; rw.ExitWriteLock(); }")]
    [InlineData("void M() { [|_gate.Wait()|]; _n++; _gate.Release(); }")]
    [InlineData("void M() { if (![|_gate.Wait(100)|]) return; _n++; _gate.Release(); }")]
    [InlineData("void M(bool b) { [|Monitor.Enter(_sync)|]; try { _n++; } finally { if (b) Monitor.Exit(_sync); } }")]
    [InlineData("void M() { bool taken = false; try { [|Monitor.Enter(_sync, ref taken)|]; _n++; } finally { Monitor.Exit(_sync); } }")]
    [InlineData("void M() { var spin = new SpinLock(); bool taken = false; [|spin.Enter(ref taken)|]; _n++; spin.Exit(); }")]
    [InlineData("void M(Lock l) { [|l.Enter()|]; _n++; l.Exit(); }")]
    [InlineData("async Task M() { await [|_gate.WaitAsync()|]; await Task.Yield(); _gate.Release(); }")]
    public Task Every_unsafe_acquisition_is_reported(string member) => VerifyClass("    " + member);

    [Fact]
    public Task Releases_in_finally_and_the_lockTaken_pattern_done_right_are_not_reported() => VerifyClass(
        """
            void A() { Monitor.Enter(_sync); try { _n++; } finally { Monitor.Exit(_sync); } }
            void B() { bool taken = false; try { Monitor.Enter(_sync, ref taken); _n++; } finally { if (taken) Monitor.Exit(_sync); } }
            void C2() { if (!_gate.Wait(100)) return; try { _n++; } finally { _gate.Release(); } }
            void D() { if (Monitor.TryEnter(_sync, 10)) { try { _n++; } finally { Monitor.Exit(_sync); } } }
            async Task E() { await _gate.WaitAsync(); try { await Task.Yield(); } finally { _gate.Release(); } }
            async Task E2(CancellationToken ct) { await _gate.WaitAsync(ct).ConfigureAwait(false); try { await Task.Yield(); } finally { _gate.Release(); } }
            void F() { bool got = _gate.Wait(10); try { _n++; } finally { if (got) _gate.Release(); } }
            void G(ReaderWriterLockSlim rw) { rw.EnterReadLock(); try { _ = _n; } finally { rw.ExitReadLock(); } }
            void H() { lock (_sync) { _n++; } }
        """);

    [Fact]
    public Task A_semaphore_used_as_a_signal_is_not_a_lock() => VerifyClass(
        """
            private readonly SemaphoreSlim _items = new(0);
            void Consume() { _items.Wait(); _n--; }
            void Produce() { _n++; _items.Release(); }
        """);

    private static string Class(string member) =>
        Usings + "class C\n{\n    private readonly object _sync = new();\n    private readonly SemaphoreSlim _gate = new(1, 1);\n    private int _n;\n" + member + "\n}\n";

    private static Task VerifyClassFix(string member, string fixedMember) => Verify.VerifyCodeFixAsync(Class(member), Class(fixedMember));

    [Theory]
    [InlineData("Mutex m", "m.WaitOne()", "m.ReleaseMutex()")]
    [InlineData("ReaderWriterLockSlim rw", "rw.EnterWriteLock()", "rw.ExitWriteLock()")]
    [InlineData("ReaderWriterLockSlim rw", "rw.EnterReadLock()", "rw.ExitReadLock()")]
    public Task Every_lock_kind_gets_its_release_in_a_finally(string parameter, string acquire, string release) => VerifyClassFix(
        $$"""
            void M({{parameter}})
            {
                [|{{acquire}}|];
                Console.WriteLine(_n);
                {{release}};
            }
        """,
        $$"""
            void M({{parameter}})
            {
                {{acquire}};
                try
                {
                    Console.WriteLine(_n);
                }
                finally
                {
                    {{release}};
                }
            }
        """);

    [Fact]
    public Task An_acquisition_that_returns_when_it_times_out_gets_a_try_finally_after_it() => VerifyClassFix(
        """
            void M()
            {
                if (![|_gate.Wait(100)|]) return;
                _n++;
                _gate.Release();
            }
        """,
        """
            void M()
            {
                if (!_gate.Wait(100)) return;
                try
                {
                    _n++;
                }
                finally
                {
                    _gate.Release();
                }
            }
        """);

    [Fact]
    public Task An_acquisition_with_a_taken_flag_moves_into_the_try_and_releases_only_if_taken() => VerifyClassFix(
        // If Enter throws after taking the lock, the flag says so and the finally releases it; if it took nothing, nothing is released.
        """
            void M()
            {
                var spin = new SpinLock();
                bool taken = false;
                [|spin.Enter(ref taken)|];
                _n++;
                spin.Exit();
            }
        """,
        """
            void M()
            {
                var spin = new SpinLock();
                bool taken = false;
                try
                {
                    spin.Enter(ref taken);
                    _n++;
                }
                finally
                {
                    if (taken)
                        spin.Exit();
                }
            }
        """);

    [Fact]
    public Task A_finally_that_releases_what_was_not_taken_checks_the_flag() => VerifyClassFix(
        """
            void M()
            {
                bool taken = false;
                try { [|Monitor.Enter(_sync, ref taken)|]; _n++; }
                finally { Monitor.Exit(_sync); }
            }
        """,
        """
            void M()
            {
                bool taken = false;
                try { Monitor.Enter(_sync, ref taken); _n++; }
                finally { if (taken) Monitor.Exit(_sync); }
            }
        """);

    // Not offered: the method never releases the lock (where the release belongs is the author's decision), or releases it
    // only on some paths on purpose.
    [Theory]
    [InlineData("void M() { [|Monitor.Enter(_sync)|]; _n++; }")]
    [InlineData("void M(bool b) { [|Monitor.Enter(_sync)|]; try { _n++; } finally { if (b) Monitor.Exit(_sync); } }")]
    public Task A_lock_never_released_or_released_on_purpose_on_some_paths_has_no_fix(string member) => Verify.VerifyNoFixAsync(Class("    " + member));

    [Fact]
    public Task Fix_All_repairs_every_pair_in_the_document_and_leaves_a_lock_never_released() => new Verify.Test
    {
        // The finding left without a fix stays marked in the fixed code.
        FixedState = { MarkupHandling = MarkupMode.Allow },
        TestCode = Usings + """
        class C
        {
            private readonly object _a = new();
            private readonly SemaphoreSlim _b = new(1, 1);
            private int _n;

            void One()
            {
                [|Monitor.Enter(_a)|];
                _n++;
                Monitor.Exit(_a);
            }

            void Two()
            {
                [|_b.Wait()|];
                _n--;
                _b.Release();
            }

            void Three()
            {
                [|Monitor.Enter(_a)|];
                _n++;
            }
        }
        """,
        FixedCode = Usings + """
        class C
        {
            private readonly object _a = new();
            private readonly SemaphoreSlim _b = new(1, 1);
            private int _n;

            void One()
            {
                lock (_a)
                {
                    _n++;
                }
            }

            void Two()
            {
                _b.Wait();
                try
                {
                    _n--;
                }
                finally
                {
                    _b.Release();
                }
            }

            void Three()
            {
                [|Monitor.Enter(_a)|];
                _n++;
            }
        }
        """,
    }.RunAsync();

    [Theory]
    [InlineData("public Scope Lock() { Monitor.Enter(_sync); return new Scope(this); }")] // returns the scope that releases
    [InlineData("public bool TryLock(out Scope scope) { bool taken = false; Monitor.TryEnter(_sync, 10, ref taken); scope = taken ? new Scope(this) : default; return taken; }")]
    [InlineData("public void Enter() { Monitor.Enter(_sync); }")] // an Enter/Exit wrapper pair
    [InlineData("public void Exit() { Monitor.Exit(_sync); }")]
    [InlineData("public void Enter(int kind) { switch (kind) { case 0: break; default: Monitor.Enter(_sync); break; } }")] // the method ends after it
    public Task Methods_that_hand_the_lock_to_their_caller_are_not_reported(string member) => Verify.VerifyAnalyzerAsync(
        Usings + "public sealed class Gate { internal readonly object _sync = new object(); " + member + " }"
        + " public readonly struct Scope : System.IDisposable { private readonly Gate? _gate; public Scope(Gate gate) => _gate = gate; public void Dispose() { if (_gate is not null) Monitor.Exit(_gate._sync); } }");

    [Fact]
    public Task Acquiring_then_working_without_any_release_is_still_reported_without_a_fix() => Verify.VerifyNoFixAsync(
        Usings + "class C { private readonly object _sync = new(); private int _n; void M() { {|#0:Monitor.Enter(_sync)|}; _n++; } }",
        Verify.Diagnostic().WithLocation(0).WithArguments("Monitor.Enter", "_sync", "never releases it in this method"));
}
