using System.Threading.Tasks;
using Xunit;
using Verify = Lockstep.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    Lockstep.Analyzers.Rules.DataRace.InconsistentSynchronizationAnalyzer,
    Lockstep.Analyzers.Rules.DataRace.InconsistentSynchronizationFixer>;

namespace Lockstep.Analyzers.Tests.Rules.DataRace;

public sealed class InconsistentSynchronizationTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;

        """;

    [Fact]
    public Task Unlocked_write_of_a_field_guarded_everywhere_else_gets_the_lock() => Verify.VerifyCodeFixAsync(
        Usings + """
        class Account
        {
            private readonly object _sync = new();
            private long _balance;
            public void Deposit(long amount) { lock (_sync) { _balance += amount; } }
            public void Withdraw(long amount) { lock (_sync) { _balance -= amount; } }
            public long Balance { get { lock (_sync) { return _balance; } } }
            public void Reset()
            {
                [|_balance|] = 0;
            }
        }
        """,
        Usings + """
        class Account
        {
            private readonly object _sync = new();
            private long _balance;
            public void Deposit(long amount) { lock (_sync) { _balance += amount; } }
            public void Withdraw(long amount) { lock (_sync) { _balance -= amount; } }
            public long Balance { get { lock (_sync) { return _balance; } } }
            public void Reset()
            {
                lock (_sync)
                {
                    _balance = 0;
                }
            }
        }
        """);

    [Fact]
    public Task An_expression_bodied_reader_takes_the_lock_in_a_block() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading;
        using System.Threading.Tasks;

        class Account
        {
            private readonly object _sync = new object();
            private long _balance;
            public void Deposit(long amount) { lock (_sync) { _balance += amount; } }
            public void Withdraw(long amount) { lock (_sync) { _balance -= amount; } }
            public long Peek() => [|_balance|];
            public void Run() { for (int i = 0; i < 4; i++) new Thread(() => Deposit(1)).Start(); }
        }
        """,
        """
        using System.Threading;
        using System.Threading.Tasks;

        class Account
        {
            private readonly object _sync = new object();
            private long _balance;
            public void Deposit(long amount) { lock (_sync) { _balance += amount; } }
            public void Withdraw(long amount) { lock (_sync) { _balance -= amount; } }
            public long Peek()
            {
                lock (_sync)
                {
                    return _balance;
                }
            }
            public void Run() { for (int i = 0; i < 4; i++) new Thread(() => Deposit(1)).Start(); }
        }
        """);

    [Fact]
    public Task Message_gives_the_lock_and_the_counts() => Verify.VerifyAnalyzerAsync(
        Usings + """
        class Account
        {
            private readonly object _sync = new();
            private long _balance;
            public void Deposit(long amount) { lock (_sync) { _balance += amount; } }
            public void Withdraw(long amount) { lock (_sync) { _balance -= amount; } }
            public long Peek() => {|#0:_balance|};
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithArguments("_balance", "_sync", 2, 3));

    [Fact]
    public Task One_locked_access_is_no_evidence_of_a_guard() => Verify.VerifyAnalyzerAsync(
        // "1 of 2 places" was wrong on every real library of the panel: one locked write says little about a field that
        // is read in one other place (often a status property or a value set before the object is shared).
        Usings + """
        class Cache
        {
            private readonly object _sync = new();
            private long _expires;
            public void Refresh(long at) { lock (_sync) { _expires = at; } }
            public bool IsStale(long now) => now > _expires;
        }
        """);

    [Fact]
    public Task Static_fields_under_a_static_lock_and_Monitor_regions_count_as_locked() => Verify.VerifyAnalyzerAsync(
        Usings + """
        static class Registry
        {
            private static readonly object s_sync = new();
            private static long s_count;
            public static void Add() { Monitor.Enter(s_sync); try { s_count++; } finally { Monitor.Exit(s_sync); } }
            public static void Remove() { lock (s_sync) { s_count--; } }
            public static void Clear() { [|s_count|] = 0; }
        }
        """);

    [Fact]
    public Task A_mostly_unlocked_field_is_not_assumed_to_be_guarded() => Verify.VerifyAnalyzerAsync(
        Usings + """
        class Mostly
        {
            private readonly object _sync = new();
            private long _value;
            public void A() { _value = 1; }
            public void B() { _value = 2; }
            public void C() { lock (_sync) { _value = 3; } }
        }
        """);

    [Fact]
    public Task Private_helpers_called_only_under_the_lock_are_locked() => Verify.VerifyAnalyzerAsync(
        Usings + """
        class Buffer
        {
            private readonly object _sync = new();
            private long _length;
            public void Append() { lock (_sync) { Grow(); _length++; } }
            public void Trim() { lock (_sync) { Shrink(); } }
            private void Grow() => _length += 2;
            private void Shrink() => Halve();
            private void Halve() => _length /= 2;
        }
        """);

    [Fact]
    public Task Untearable_reads_double_checked_reads_and_constructors_are_not_reported() => Verify.VerifyAnalyzerAsync(
        Usings + """
        class Status
        {
            private readonly object _sync = new();
            private int _state;
            private List<int>? _items;
            private long _ticks;
            public Status() { _ticks = 1; _state = 1; }
            public void Set(int state) { lock (_sync) { _state = state; _ticks++; } }
            public int State => _state;
            public List<int> Items
            {
                get
                {
                    if (_items == null)
                    {
                        lock (_sync) { if (_items == null) _items = new List<int>(); }
                    }

                    return _items;
                }
            }
        }
        """);

    [Fact]
    public Task Access_in_a_lambda_is_not_covered_by_the_enclosing_lock() => Verify.VerifyAnalyzerAsync(
        Usings + """
        class Deferred
        {
            private readonly object _sync = new();
            private long _total;
            public void Add(long n) { lock (_sync) { _total += n; } }
            public void Subtract(long n) { lock (_sync) { _total -= n; } }
            public Action Later() { lock (_sync) { return () => [|_total|]++; } }
        }
        """);

    [Fact]
    public Task Reads_after_the_workers_are_joined_are_not_reported() => Verify.VerifyAnalyzerAsync(
        Usings + """
        static class Totals
        {
            private static readonly object s_sync = new();
            private static long s_total;
            static void Add() { for (int i = 0; i < 100; i++) lock (s_sync) { s_total += i; } }
            static void Subtract() { for (int i = 0; i < 100; i++) lock (s_sync) { s_total -= i; } }
            public static long Run()
            {
                var a = new Thread(Add);
                var b = new Thread(Subtract);
                a.Start(); b.Start();
                a.Join(); b.Join();
                return s_total;
            }
            public static long Peek() => [|s_total|];
        }
        """);

    [Fact]
    public Task Interlocked_and_volatile_fields_are_not_lock_guarded() => Verify.VerifyAnalyzerAsync(
        Usings + """
        class Counters
        {
            private readonly object _sync = new();
            private long _hits;
            private volatile int _mode;
            public void Hit() { lock (_sync) { _hits++; _mode = 1; } Interlocked.Increment(ref _hits); }
            public void Mode() { _mode = 2; }
        }
        """);

    [Fact]
    public Task Volatile_and_Interlocked_reads_outside_the_lock_are_atomic() => Verify.VerifyAnalyzerAsync(
        """
        using System.Threading;
        class Lockish
        {
            private readonly object _gate = new object();
            private long _state;
            public bool IsHeld => (Volatile.Read(ref _state) & 1) != 0;
            public long Snapshot => Interlocked.Read(ref _state);
            public void Take() { lock (_gate) { _state |= 1; } }
            public void Release() { lock (_gate) { _state &= ~1L; } }
            public void Bump() { lock (_gate) { _state += 2; } }
        }
        """);
}
