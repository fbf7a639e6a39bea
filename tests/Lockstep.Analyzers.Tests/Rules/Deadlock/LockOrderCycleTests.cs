using System.Threading.Tasks;
using Xunit;
using Verify = Lockstep.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    Lockstep.Analyzers.Rules.Deadlock.LockOrderCycleAnalyzer,
    Lockstep.Analyzers.Rules.Deadlock.LockOrderCycleFixer>;

namespace Lockstep.Analyzers.Tests.Rules.Deadlock;

public sealed class LockOrderCycleTests
{
    private const string Usings = """
        using System;
        using System.Threading;
        using System.Threading.Tasks;


        """;

    // What the fixes that use the runtime library leave at the top: the import goes with the others.
    private const string UsingsAndLockstep = """
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using Lockstep;


        """;

    // ---- Reported: every form the cycle takes ----

    [Fact]
    public Task Opposite_nested_orders_in_two_methods_are_reordered_to_the_first_order() => Verify.VerifyCodeFixAsync(
        Usings + """
        class Mutexes
        {
            private static readonly object s_a = new object();
            private static readonly object s_b = new object();
            private static int s_count;

            public static void First()
            {
                lock (s_a)
                {
                    lock (s_b) { s_count++; }
                }
            }

            public static void Second()
            {
                lock (s_b)
                {
                    lock ([|s_a|]) { s_count--; }
                }
            }
        }
        """,
        Usings + """
        class Mutexes
        {
            private static readonly object s_a = new object();
            private static readonly object s_b = new object();
            private static int s_count;

            public static void First()
            {
                lock (s_a)
                {
                    lock (s_b) { s_count++; }
                }
            }

            public static void Second()
            {
                lock (s_a)
                {
                    lock (s_b) { s_count--; }
                }
            }
        }
        """);

    [Fact]
    public Task Message_names_each_order_with_its_method_and_every_acquisition_is_a_location() => Verify.VerifyAnalyzerAsync(
        Usings + """
        class Cache
        {
            private readonly object _entries = new object();
            private readonly object _stats = new object();
            private int _hits;

            public void Get()
            {
                lock ({|#1:_entries|})
                {
                    {|#2:RecordHit()|};
                }
            }

            private void RecordHit()
            {
                lock ({|#3:_stats|}) { _hits++; }
            }

            public void Report()
            {
                lock ({|#4:_stats|})
                {
                    lock ({|#0:_entries|}) { Console.WriteLine(_hits); }
                }
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithLocation(4).WithLocation(1).WithLocation(2).WithLocation(3)
            .WithArguments("_stats → _entries in Cache.Report; _entries → _stats in Cache.Get (via RecordHit)"));

    [Fact]
    public Task A_cycle_through_calls_across_types_is_broken_by_calling_out_after_the_lock() => Verify.VerifyCodeFixAsync(
        // Restock holds its lock only to call Orders.Touch, which uses nothing of Stock: the call can run after the lock.
        Usings + """
        class Orders
        {
            private readonly object _sync = new object();
            public Stock Stock = null!;
            public void Place() { lock (_sync) { Stock.Reserve(); } }
            public void Touch() { lock (_sync) { } }
        }

        class Stock
        {
            private readonly object _sync = new object();
            public Orders Orders = null!;
            public void Reserve() { lock (_sync) { } }
            public void Restock() { lock (_sync) { [|Orders.Touch()|]; } }
        }
        """,
        Usings + """
        class Orders
        {
            private readonly object _sync = new object();
            public Stock Stock = null!;
            public void Place() { lock (_sync) { Stock.Reserve(); } }
            public void Touch() { lock (_sync) { } }
        }

        class Stock
        {
            private readonly object _sync = new object();
            public Orders Orders = null!;
            public void Reserve() { lock (_sync) { } }
            public void Restock() { Orders.Touch(); }
        }
        """);

    [Fact]
    public Task Calls_that_use_the_callers_state_keep_their_locks_and_get_no_fix() => Verify.VerifyCodeFixAsync(
        // Touch reads Stock's count and Reserve reads Orders' count: each lock may be what keeps that read consistent.
        Usings + """
        class Orders
        {
            private readonly object _sync = new object();
            public Stock Stock = null!;
            public int Placed;
            public void Place() { lock (_sync) { Stock.Reserve(); } }
            public void Touch() { lock (_sync) { Console.WriteLine(Stock.Count); } }
        }

        class Stock
        {
            private readonly object _sync = new object();
            public Orders Orders = null!;
            public int Count;
            public void Reserve() { lock (_sync) { Count -= Orders.Placed; } }
            public void Restock() { lock (_sync) { [|Orders.Touch()|]; } }
        }
        """,
        Usings + """
        class Orders
        {
            private readonly object _sync = new object();
            public Stock Stock = null!;
            public int Placed;
            public void Place() { lock (_sync) { Stock.Reserve(); } }
            public void Touch() { lock (_sync) { Console.WriteLine(Stock.Count); } }
        }

        class Stock
        {
            private readonly object _sync = new object();
            public Orders Orders = null!;
            public int Count;
            public void Reserve() { lock (_sync) { Count -= Orders.Placed; } }
            public void Restock() { lock (_sync) { [|Orders.Touch()|]; } }
        }
        """);

    [Fact]
    public Task Qualified_names_tell_apart_two_locks_with_the_same_name() => Verify.VerifyAnalyzerAsync(
        Usings + """
        class Orders
        {
            private readonly object _sync = new object();
            public Stock Stock = null!;
            public void Place() { lock ({|#3:_sync|}) { {|#4:Stock.Reserve()|}; } }
            public void Touch() { lock ({|#2:_sync|}) { } }
        }

        class Stock
        {
            private readonly object _sync = new object();
            public Orders Orders = null!;
            public void Reserve() { lock ({|#5:_sync|}) { } }
            public void Restock() { lock ({|#1:_sync|}) { {|#0:Orders.Touch()|}; } }
        }
        """,
        // The additional locations are every acquisition and call of the cycle, edge by edge.
        Verify.Diagnostic().WithLocation(0).WithLocation(1).WithLocation(2).WithLocation(3).WithLocation(4).WithLocation(5).WithArguments("Stock._sync → Orders._sync in Stock.Restock (via Touch); Orders._sync → Stock._sync in Orders.Place (via Reserve)"));

    [Fact]
    public Task A_three_lock_cycle_is_one_diagnostic_and_the_last_order_is_reversed() => Verify.VerifyCodeFixAsync(
        Usings + """
        class Pipeline
        {
            private readonly object _a = new object(), _b = new object(), _c = new object();
            void AB() { lock (_a) { lock (_b) { } } }
            void BC() { lock (_b) { lock (_c) { } } }
            void CA() { lock (_c) { lock ([|_a|]) { } } }
        }
        """,
        Usings + """
        class Pipeline
        {
            private readonly object _a = new object(), _b = new object(), _c = new object();
            void AB() { lock (_a) { lock (_b) { } } }
            void BC() { lock (_b) { lock (_c) { } } }
            void CA() { lock (_a) { lock (_c) { } } }
        }
        """);

    [Fact]
    public Task Through_a_chain_of_calls_at_depth() => Verify.VerifyAnalyzerAsync(
        Usings + """
        class Ledger
        {
            private readonly object _book = new object();
            private readonly object _audit = new object();
            public void Post() { lock ({|#2:_book|}) { {|#3:Step1()|}; } }
            private void Step1() => Step2();
            private void Step2() { lock ({|#4:_audit|}) { } }
            public void Check() { lock ({|#1:_audit|}) { lock ({|#0:_book|}) { } } }
        }
        """,
        // The nested pair is the order that can be reversed, so the message starts there. Only the call made under
        // the lock is a location of the chain; the calls it goes through are named in the message.
        Verify.Diagnostic().WithLocation(0).WithLocation(1).WithLocation(2).WithLocation(3).WithLocation(4).WithArguments("_audit → _book in Ledger.Check; _book → _audit in Ledger.Post (via Step1 → Step2)"));

    [Fact]
    public Task Monitor_Enter_regions_are_orders_too_without_a_fix() => Verify.VerifyAnalyzerAsync(
        Usings + """
        class C
        {
            private readonly object _a = new object(), _b = new object();
            void M1()
            {
                Monitor.Enter(_a);
                try { lock (_b) { } }
                finally { Monitor.Exit(_a); }
            }
            void M2()
            {
                lock (_b)
                {
                    bool taken = false;
                    try { [|Monitor.Enter(_a, ref taken)|]; }
                    finally { if (taken) Monitor.Exit(_a); }
                }
            }
        }
        """);

    [Fact]
    public Task Single_count_semaphores_awaited_in_async_methods_trade_places() => Verify.VerifyCodeFixAsync(
        Usings + """
        class Store
        {
            private readonly SemaphoreSlim _index = new SemaphoreSlim(1, 1);
            private readonly SemaphoreSlim _data = new SemaphoreSlim(1, 1);
            async Task WriteAsync()
            {
                await _index.WaitAsync();
                try
                {
                    await _data.WaitAsync();
                    try { } finally { _data.Release(); }
                }
                finally { _index.Release(); }
            }
            async Task CompactAsync()
            {
                await _data.WaitAsync();
                try
                {
                    await [|_index.WaitAsync()|];
                    try { } finally { _index.Release(); }
                }
                finally { _data.Release(); }
            }
        }
        """,
        Usings + """
        class Store
        {
            private readonly SemaphoreSlim _index = new SemaphoreSlim(1, 1);
            private readonly SemaphoreSlim _data = new SemaphoreSlim(1, 1);
            async Task WriteAsync()
            {
                await _index.WaitAsync();
                try
                {
                    await _data.WaitAsync();
                    try { } finally { _data.Release(); }
                }
                finally { _index.Release(); }
            }
            async Task CompactAsync()
            {
                await _index.WaitAsync();
                try
                {
                    await _data.WaitAsync();
                    try { } finally { _data.Release(); }
                }
                finally { _index.Release(); }
            }
        }
        """);

    [Fact]
    public Task Mutex_and_reader_writer_lock_regions_trade_places() => Verify.VerifyCodeFixAsync(
        // Each lock keeps its own acquire and release calls; only their nesting changes.
        Usings + """
        class C
        {
            private readonly Mutex _file = new Mutex();
            private readonly ReaderWriterLockSlim _table = new ReaderWriterLockSlim();
            void Save()
            {
                _file.WaitOne();
                try
                {
                    _table.EnterReadLock();
                    try { } finally { _table.ExitReadLock(); }
                }
                finally { _file.ReleaseMutex(); }
            }
            void Load()
            {
                _table.EnterWriteLock();
                try
                {
                    [|_file.WaitOne()|];
                    try { } finally { _file.ReleaseMutex(); }
                }
                finally { _table.ExitWriteLock(); }
            }
        }
        """,
        Usings + """
        class C
        {
            private readonly Mutex _file = new Mutex();
            private readonly ReaderWriterLockSlim _table = new ReaderWriterLockSlim();
            void Save()
            {
                _file.WaitOne();
                try
                {
                    _table.EnterReadLock();
                    try { } finally { _table.ExitReadLock(); }
                }
                finally { _file.ReleaseMutex(); }
            }
            void Load()
            {
                _file.WaitOne();
                try
                {
                    _table.EnterWriteLock();
                    try { } finally { _table.ExitWriteLock(); }
                }
                finally { _file.ReleaseMutex(); }
            }
        }
        """);

    [Fact]
    public Task OrderedLock_scopes_in_opposite_orders_are_swapped() => Verify.VerifyCodeFixAsync(
        UsingsAndLockstep + """
        class Bank
        {
            private readonly OrderedLock _accounts = new OrderedLock("accounts");
            private readonly OrderedLock _ledger = new OrderedLock("ledger");
            void Post() { using (_accounts.EnterScope()) { using (_ledger.EnterScope()) { } } }
            void Close()
            {
                using var ledger = _ledger.EnterScope();
                using var accounts = [|_accounts.EnterScope()|];
            }
        }
        """,
        UsingsAndLockstep + """
        class Bank
        {
            private readonly OrderedLock _accounts = new OrderedLock("accounts");
            private readonly OrderedLock _ledger = new OrderedLock("ledger");
            void Post() { using (_accounts.EnterScope()) { using (_ledger.EnterScope()) { } } }
            void Close()
            {
                using var ledger = _accounts.EnterScope();
                using var accounts = _ledger.EnterScope();
            }
        }
        """);

    [Fact]
    public Task In_a_lambda_a_local_function_and_a_property() => Verify.VerifyAnalyzerAsync(
        Usings + """
        class C
        {
            private static readonly object s_a = new object(), s_b = new object();
            private int _n;
            public int Count
            {
                get { lock ({|#1:s_a|}) { lock ({|#0:s_b|}) { return _n; } } }
            }
            void Start()
            {
                Task.Run(() => { lock ({|#2:s_b|}) { {|#3:Inner()|}; } });
                void Inner() { lock ({|#4:s_a|}) { _n++; } }
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithLocation(1).WithLocation(2).WithLocation(3).WithLocation(4).WithArguments("s_a → s_b in C.Count; s_b → s_a in C.Start (lambda) (via Inner)"));

    [Fact]
    public Task Nested_pairs_with_work_between_take_the_inner_lock_first_in_the_odd_method() => Verify.VerifyCodeFixAsync(
        // Backward takes _from first and holds it around its whole block: its work only gains a lock, the order matches Forward.
        Usings + """
        class Transfer
        {
            private readonly object _from = new object(), _to = new object();
            private int _moved;
            void Forward()
            {
                lock (_from)
                {
                    _moved++;
                    lock (_to) { _moved++; }
                }
            }
            void Backward()
            {
                lock (_to)
                {
                    _moved--;
                    lock ([|_from|]) { _moved--; }
                }
            }
        }
        """,
        Usings + """
        class Transfer
        {
            private readonly object _from = new object(), _to = new object();
            private int _moved;
            void Forward()
            {
                lock (_from)
                {
                    _moved++;
                    lock (_to) { _moved++; }
                }
            }
            void Backward()
            {
                lock (_from)
                {
                    lock (_to)
                    {
                        _moved--;
                        { _moved--; }
                    }
                }
            }
        }
        """);

    [Fact]
    public Task Nested_pairs_whose_inner_locks_may_change_are_all_taken_with_AcquireInOrder() => Verify.VerifyCodeFixAsync(
        // Neither lock field is readonly: read before the outer lock, an inner one could name another object, so neither
        // inner lock can move out. AcquireInOrder takes both in one global order wherever they are nested.
        Usings + """
        class Transfer
        {
            private object _from = new object(), _to = new object();
            private int _moved;
            void Forward()
            {
                lock (_from)
                {
                    _moved++;
                    lock (_to) { _moved++; }
                }
            }
            void Backward()
            {
                lock (_to)
                {
                    _moved--;
                    lock ([|_from|]) { _moved--; }
                }
            }
        }
        """,
        UsingsAndLockstep + """
        class Transfer
        {
            private object _from = new object(), _to = new object();
            private int _moved;
            void Forward()
            {
                using (Locks.AcquireInOrder(_from, _to))
                {
                    _moved++;
                    { _moved++; }
                }
            }
            void Backward()
            {
                using (Locks.AcquireInOrder(_to, _from))
                {
                    _moved--;
                    { _moved--; }
                }
            }
        }
        """);

    [Fact]
    public Task Fix_All_fixes_every_cycle_of_the_document() => new Verify.Test
    {
        TestCode = Usings + """
        class C
        {
            private readonly object _a = new object(), _b = new object(), _c = new object(), _d = new object();
            void M1() { lock (_a) { lock (_b) { } } }
            void M2() { lock (_b) { lock ([|_a|]) { } } }
            void M3() { lock (_c) { lock (_d) { } } }
            void M4() { lock (_d) { lock ([|_c|]) { } } }
        }
        """,
        FixedCode = Usings + """
        class C
        {
            private readonly object _a = new object(), _b = new object(), _c = new object(), _d = new object();
            void M1() { lock (_a) { lock (_b) { } } }
            void M2() { lock (_a) { lock (_b) { } } }
            void M3() { lock (_c) { lock (_d) { } } }
            void M4() { lock (_c) { lock (_d) { } } }
        }
        """,
    }.RunAsync();

    // ---- Not reported: code a careful engineer writes ----

    [Theory]
    [InlineData("void M1() { lock (_a) { lock (_b) { } } } void M2() { lock (_a) { lock (_b) { } } }")] // one order everywhere
    [InlineData("void M1() { lock (_a) { } lock (_b) { } } void M2() { lock (_b) { } lock (_a) { } }")] // sequential, never nested
    [InlineData("void M1() { lock (_a) { lock (_a) { } } } void M2() { lock (_a) { M1(); } }")] // re-entering the same lock
    [InlineData("void M1() { lock (_a) { lock (_b) { } } }")] // one direction only
    [InlineData("void M1() { lock (_a) { lock (_b) { } } } void M2() { lock (_b) { if (Monitor.TryEnter(_a, 100)) { Monitor.Exit(_a); } } }")] // a timed try gives up
    [InlineData("void M1() { lock (_a) { lock (_b) { } } } void M2() { lock (_b) { if (Monitor.TryEnter(_a)) { Monitor.Exit(_a); } } }")] // an immediate try cannot wait
    [InlineData("void M1() { using (Lockstep.Locks.AcquireInOrder(_a, _b)) { } } void M2() { using (Lockstep.Locks.AcquireInOrder(_b, _a)) { } }")] // one global order
    [InlineData("void M1() { lock (_a) { Task.Run(() => { lock (_b) { } }); } } void M2() { lock (_b) { lock (_a) { } } }")] // started work does not hold the caller's lock
    public Task Consistent_or_non_nested_orders_are_not_reported(string members) => Verify.VerifyAnalyzerAsync(
        Usings + "class C { private readonly object _a = new object(), _b = new object(); " + members + " }");

    [Fact]
    public Task A_parent_before_child_hierarchy_of_one_field_is_not_reported() => Verify.VerifyAnalyzerAsync(
        Usings + """
        class Node
        {
            private readonly object _sync = new object();
            private Node? _child;
            private int _size;
            public void Grow()
            {
                lock (_sync)
                {
                    if (_child is null) return;
                    lock (_child._sync) { _child._size++; }
                    _size++;
                }
            }
        }
        """);

    [Fact]
    public Task Counting_semaphores_are_not_locks() => Verify.VerifyAnalyzerAsync(
        Usings + """
        class Pool
        {
            private readonly SemaphoreSlim _slots = new SemaphoreSlim(4);
            private readonly object _sync = new object();
            void Rent() { _slots.Wait(); try { lock (_sync) { } } finally { _slots.Release(); } }
            void Audit() { lock (_sync) { _slots.Wait(); _slots.Release(); } }
        }
        """);

    [Fact]
    public Task No_fix_without_the_runtime_library_when_only_AcquireInOrder_would_do() => new Verify.Test
    {
        ReferenceRuntimeLibrary = false,
        TestCode = Usings + """
        class C
        {
            private object _a = new object(), _b = new object();
            private int _n;
            void M1() { lock (_a) { _n++; lock (_b) { } } }
            void M2() { lock (_b) { _n++; lock ([|_a|]) { } } }
        }
        """,
        FixedCode = Usings + """
        class C
        {
            private object _a = new object(), _b = new object();
            private int _n;
            void M1() { lock (_a) { _n++; lock (_b) { } } }
            void M2() { lock (_b) { _n++; lock ([|_a|]) { } } }
        }
        """,
    }.RunAsync();
}
