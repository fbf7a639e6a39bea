using System.Threading.Tasks;
using Xunit;
using Verify = Lockstep.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    Lockstep.Analyzers.Rules.DataRace.UnsynchronizedReadModifyWriteAnalyzer,
    Lockstep.Analyzers.Rules.DataRace.UnsynchronizedReadModifyWriteFixer>;

namespace Lockstep.Analyzers.Tests.Rules.DataRace;

public sealed class UnsynchronizedReadModifyWriteTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;

        """;

    private static Task VerifyFix(string source, string fixedSource) => Verify.VerifyCodeFixAsync(Usings + source, Usings + fixedSource);

    private static Task VerifyNoReport(string source) => Verify.VerifyAnalyzerAsync(Usings + source);

    [Fact]
    public Task Increment_from_threads_started_in_a_loop_becomes_Interlocked_Increment() => VerifyFix(
        """
        class Hits
        {
            private int _hits;
            void Record() { [|_hits++|]; }
            public void Run() { for (int i = 0; i < 4; i++) new Thread(Record).Start(); }
        }
        """,
        """
        class Hits
        {
            private int _hits;
            void Record() { Interlocked.Increment(ref _hits); }
            public void Run() { for (int i = 0; i < 4; i++) new Thread(Record).Start(); }
        }
        """);

    [Fact]
    public Task Two_threads_calling_one_helper_race_on_its_update() => VerifyNoReportWith(
        // The same access reached from two strands that run at the same time is a race, even though each strand runs once.
        """
        class Hits
        {
            private int _hits;
            void Inc() { {|#0:_hits++|}; }
            public void Run()
            {
                var first = new Thread(() => Inc());
                var second = new Thread(() => Inc());
                first.Start();
                second.Start();
                first.Join();
                second.Join();
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithArguments("_hits", "incremented", "the thread started at line 12 and by the thread started at line 13"));

    [Fact]
    public Task A_counter_object_made_locally_and_updated_by_two_threads_is_shared() => VerifyNoReportWith(
        // Sharing by escape: the counter is a fresh local object, but both threads capture it.
        """
        class Counter
        {
            private int _value;
            public void Add(int n) { {|#0:_value += n|}; }
            public void Subtract(int n) { {|#1:_value -= n|}; }
        }

        static class Program
        {
            public static void Main()
            {
                var counter = new Counter();
                var adder = new Thread(() => { for (int i = 0; i < 1_000_000; i++) counter.Add(1); });
                var subtractor = new Thread(() => { for (int i = 0; i < 1_000_000; i++) counter.Subtract(1); });
                adder.Start();
                subtractor.Start();
                adder.Join();
                subtractor.Join();
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithArguments("_value", "updated", "the thread started at line 18 and by the thread started at line 19"),
        Verify.Diagnostic().WithLocation(1).WithArguments("_value", "updated", "the thread started at line 19 and by the thread started at line 18"));

    [Fact]
    public Task A_string_Join_does_not_end_the_window_of_the_code_that_started_the_thread() => VerifyNoReportWith(
        // Only a real join or wait ends the starter's concurrent window; string.Join is not one.
        """
        static class Totals
        {
            private static int s_total;

            public static void Run(string[] names)
            {
                var worker = new Thread(() => {|#0:s_total++|});
                worker.Start();
                Console.WriteLine(string.Join(",", names));
                {|#1:s_total++|};
                worker.Join();
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithArguments("s_total", "incremented", "the thread started at line 12 and by the code that keeps running after starting work at line 12"),
        Verify.Diagnostic().WithLocation(1).WithArguments("s_total", "incremented", "the code that keeps running after starting work at line 12 and by the thread started at line 12"));

    [Fact]
    public Task Message_names_the_member_and_where_the_concurrency_comes_from() => VerifyNoReportWith(
        """
        class Hits
        {
            private int _hits;
            public void Run()
            {
                for (int i = 0; i < 4; i++)
                    new Thread(() => {|#0:_hits++|}).Start();
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithArguments("_hits", "incremented", "threads started at line 12"));

    private static Task VerifyNoReportWith(string source, params DiagnosticResult[] expected) => Verify.VerifyAnalyzerAsync(Usings + source, expected);

    [Fact]
    public Task Two_threads_adding_and_subtracting_a_million_times_both_race() => VerifyFix(
        """
        static class Balance
        {
            private static long _balance;
            static void Add() { for (int i = 0; i < 1000000; i++) [|_balance += 1|]; }
            static void Subtract() { for (int i = 0; i < 1000000; i++) [|_balance -= 1|]; }
            public static long Run()
            {
                var add = new Thread(Add);
                var subtract = new Thread(Subtract);
                add.Start(); subtract.Start();
                add.Join(); subtract.Join();
                return _balance;
            }
        }
        """,
        """
        static class Balance
        {
            private static long _balance;
            static void Add() { for (int i = 0; i < 1000000; i++) Interlocked.Add(ref _balance, 1); }
            static void Subtract() { for (int i = 0; i < 1000000; i++) Interlocked.Add(ref _balance, -1); }
            public static long Run()
            {
                var add = new Thread(Add);
                var subtract = new Thread(Subtract);
                add.Start(); subtract.Start();
                add.Join(); subtract.Join();
                return _balance;
            }
        }
        """);

    [Fact]
    public Task Captured_local_updated_by_a_Parallel_For_body_is_reported() => VerifyFix(
        """
        static class Sum
        {
            public static long Total(int n)
            {
                long total = 0;
                Parallel.For(0, n, i => { [|total += i|]; });
                return total;
            }
        }
        """,
        """
        static class Sum
        {
            public static long Total(int n)
            {
                long total = 0;
                Parallel.For(0, n, i => { Interlocked.Add(ref total, i); });
                return total;
            }
        }
        """);

    [Fact]
    public Task A_read_into_a_local_used_after_the_write_back_gets_no_lock() => VerifyFix(
        // Locking from the read to the write-back would end the local's scope before its last use.
        """
        class Counter
        {
            private int _count = 100;

            void Decrement()
            {
                var seen = _count;
                [|_count = seen - 1|];
                Console.WriteLine(seen);
            }

            public void Run() { for (int i = 0; i < 2; i++) new Thread(Decrement).Start(); }
        }
        """,
        """
        class Counter
        {
            private int _count = 100;

            void Decrement()
            {
                var seen = _count;
                [|_count = seen - 1|];
                Console.WriteLine(seen);
            }

            public void Run() { for (int i = 0; i < 2; i++) new Thread(Decrement).Start(); }
        }
        """);

    [Fact]
    public Task Read_then_wait_then_write_back_gets_no_lock() => VerifyFix(
        // A lock held across the wait could deadlock with the work waited for, and would block every other thread: no fix.
        """
        class Counter
        {
            private int _count = 100;

            void Decrement(Task pending)
            {
                var seen = _count;
                pending.Wait();
                [|_count = seen - 1|];
            }

            public void Run(Task pending) { for (int i = 0; i < 2; i++) new Thread(() => Decrement(pending)).Start(); }
        }
        """,
        """
        class Counter
        {
            private int _count = 100;

            void Decrement(Task pending)
            {
                var seen = _count;
                pending.Wait();
                [|_count = seen - 1|];
            }

            public void Run(Task pending) { for (int i = 0; i < 2; i++) new Thread(() => Decrement(pending)).Start(); }
        }
        """);

    [Fact]
    public Task Read_then_sleep_then_write_back_is_locked_as_one_region_with_the_sleep_before_it() => VerifyFix(
        // The read and the write-back become one step; the delay between them computes nothing, so it runs before the
        // lock instead of holding it (which LS5002 would report).
        """
        class Counter
        {
            private int _count = 100;

            void Decrement()
            {
                var seen = _count;
                Thread.Sleep(1);
                [|_count = seen - 1|];
            }

            public void Run()
            {
                var threads = Enumerable.Range(0, 100).Select(_ => new Thread(Decrement)).ToList();
                threads.ForEach(t => t.Start());
                threads.ForEach(t => t.Join());
            }
        }
        """,
        $$"""
        class Counter
        {
            private readonly {{RoslynLeg.LockType}} _sync = new();
            private int _count = 100;

            void Decrement()
            {
                Thread.Sleep(1);
                lock (_sync)
                {
                    var seen = _count;
                    _count = seen - 1;
                }
            }

            public void Run()
            {
                var threads = Enumerable.Range(0, 100).Select(_ => new Thread(Decrement)).ToList();
                threads.ForEach(t => t.Start());
                threads.ForEach(t => t.Join());
            }
        }
        """);

    [Fact]
    public Task Updates_reached_through_calls_from_Task_Run_are_reported() => VerifyFix(
        """
        class Stats
        {
            private int _requests;
            void Bump() => [|_requests++|];
            void Handle() { Bump(); }
            public Task[] Start() => Enumerable.Range(0, 8).Select(_ => Task.Run(Handle)).ToArray();
        }
        """,
        """
        class Stats
        {
            private int _requests;
            void Bump() => Interlocked.Increment(ref _requests);
            void Handle() { Bump(); }
            public Task[] Start() => Enumerable.Range(0, 8).Select(_ => Task.Run(Handle)).ToArray();
        }
        """);

    [Fact]
    public Task Multiplication_and_property_updates_get_a_lock() => VerifyFix(
        """
        class Scale
        {
            private double _factor = 1;
            private static int Calls { get; set; }
            private readonly object _gate = new();
            void Grow() { [|_factor *= 1.5|]; [|Calls++|]; lock (_gate) { } }
            public void Run() => Parallel.For(0, 10, _ => Grow());
        }
        """,
        """
        class Scale
        {
            private double _factor = 1;
            private static int Calls { get; set; }
            private readonly object _gate = new();
            void Grow() { lock (_gate) { _factor *= 1.5; } lock (_gate) { Calls++; } lock (_gate) { } }
            public void Run() => Parallel.For(0, 10, _ => Grow());
        }
        """);

    [Fact]
    public Task A_field_updated_under_a_lock_elsewhere_gets_that_lock_not_Interlocked() => VerifyFix(
        """
        class Account
        {
            private readonly object _sync = new();
            private long _balance;
            void Deposit(long amount) { lock (_sync) { _balance += amount; } }
            void Fee() { [|_balance -= 1|]; }
            public void Run() => Parallel.For(0, 100, i => { Deposit(i); Fee(); });
        }
        """,
        """
        class Account
        {
            private readonly object _sync = new();
            private long _balance;
            void Deposit(long amount) { lock (_sync) { _balance += amount; } }
            void Fee() { lock (_sync) { _balance -= 1; } }
            public void Run() => Parallel.For(0, 100, i => { Deposit(i); Fee(); });
        }
        """);

    [Fact]
    public Task Value_of_a_postfix_increment_is_kept_by_the_fix() => VerifyFix(
        """
        class Ids
        {
            private int _next;
            int Take() { return [|_next++|]; }
            public void Run() => Parallel.For(0, 10, _ => Take());
        }
        """,
        """
        class Ids
        {
            private int _next;
            int Take() { return Interlocked.Increment(ref _next) - 1; }
            public void Run() => Parallel.For(0, 10, _ => Take());
        }
        """);

    [Fact]
    public Task Starter_updating_while_its_thread_runs_races_with_it() => VerifyNoReportWith(
        """
        class Race
        {
            private int _count;
            public int Run()
            {
                var worker = new Thread(() => {|#0:_count++|});
                worker.Start();
                {|#1:_count++|};
                worker.Join();
                return _count;
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithArguments("_count", "incremented", "the thread started at line 11 and by the code that keeps running after starting work at line 11"),
        Verify.Diagnostic().WithLocation(1).WithArguments("_count", "incremented", "the code that keeps running after starting work at line 11 and by the thread started at line 11"));

    [Theory]
    [InlineData("ThreadPool.QueueUserWorkItem(_ => [|_count++|]); ThreadPool.QueueUserWorkItem(_ => [|_count++|]);")]
    [InlineData("Task.Factory.StartNew(() => [|_count++|]); Task.Factory.StartNew(() => [|_count++|]);")]
    [InlineData("var a = new Task(() => [|_count++|]); var b = new Task(() => [|_count--|]); a.Start(); b.Start();")]
    [InlineData("Parallel.Invoke(() => [|_count++|], () => [|_count++|]);")]
    [InlineData("Parallel.ForEach(new[] { 1, 2 }, x => [|_count += x|]);")]
    [InlineData("new[] { 1, 2 }.AsParallel().ForAll(x => [|_count += x|]);")]
    [InlineData("var timer = new Timer(_ => [|_count++|], null, 0, 10);")]
    [InlineData("var timer = new System.Timers.Timer(10); timer.Elapsed += (s, e) => [|_count++|];")]
    [InlineData("_ = Task.WhenAll(new[] { 1, 2 }.Select(async x => { await Task.Yield(); [|_count += x|]; }));")]
    [InlineData("_ = Task.WhenAll(new[] { 1, 2 }.Select(x => Task.Run(() => [|_count += x|])));")]
    [InlineData("Local(); Local(); void Local() => new Thread(() => [|_count++|]).Start();")]
    public Task Every_way_of_starting_concurrent_work_is_recognised(string body) => VerifyNoReport(
        "class C { private int _count; public void Run() { " + body + " } }");

    [Fact]
    public Task RunsConcurrently_methods_are_entry_points() => VerifyNoReport(
        """
        class Handler
        {
            private int _seen;
            [Lockstep.RunsConcurrently]
            public void OnMessage() => [|_seen++|];
        }
        """);

    [Fact]
    public Task Entry_points_listed_in_editorconfig_are_concurrent() => new Verify.Test
    {
        TestState =
        {
            Sources =
            {
                Usings + """
                namespace App;
                class Handler
                {
                    private int _seen;
                    public void OnMessage() => {|#0:_seen++|};
                    public void OnIdle() => _seen--;
                }
                """,
            },
            AnalyzerConfigFiles = { ("/.editorconfig", "root = true\n[*.cs]\nlockstep.concurrent_entry_points = App.Handler.OnMessage, Other.Type.Method\n") },
        },
        ExpectedDiagnostics = { Verify.Diagnostic().WithLocation(0).WithArguments("_seen", "incremented", "concurrent entry point 'OnMessage'") },
    }.RunAsync();

    [Fact]
    public Task Locked_updates_are_not_reported_even_through_calls() => VerifyNoReport(
        """
        class Safe
        {
            private readonly object _sync = new();
            private readonly SemaphoreSlim _gate = new(1, 1);
            private int _count;
            private int _other;
            void Bump() => _count++;
            void Locked() { lock (_sync) { Bump(); } }
            async Task Gated() { await _gate.WaitAsync(); try { _other++; } finally { _gate.Release(); } }
            void Monitored() { Monitor.Enter(_sync); try { _count += 2; } finally { Monitor.Exit(_sync); } }
            public void Run() { Parallel.For(0, 10, _ => { Locked(); Monitored(); }); Parallel.For(0, 10, _ => Gated().Wait()); }
        }
        """);

    [Fact]
    public Task Interlocked_Volatile_and_compare_and_swap_loops_are_not_reported() => VerifyNoReport(
        """
        class Atomic
        {
            private long _count;
            private int _max;
            private int _flag;
            void Update(int value)
            {
                Interlocked.Increment(ref _count);
                Volatile.Write(ref _flag, 1);
                int seen;
                do { seen = _max; if (value <= seen) return; }
                while (Interlocked.CompareExchange(ref _max, value, seen) != seen);
            }
            public void Run() => Parallel.For(0, 100, Update);
        }
        """);

    [Fact]
    public Task Per_thread_state_is_not_shared() => VerifyNoReport(
        """
        class PerThread
        {
            [ThreadStatic] private static int t_calls;
            private readonly ThreadLocal<int> _local = new(() => 0);
            private readonly long[] _perWorker = new long[8];
            public long Run()
            {
                Parallel.For(0, 8, i => { t_calls++; _local.Value++; _perWorker[i] += i; int mine = 0; mine++; });
                long total = 0;
                Parallel.For(0, 100, () => 0L, (i, state, local) => local + i, local => Interlocked.Add(ref total, local));
                return total;
            }
        }
        """);

    [Fact]
    public Task Locals_combined_after_joining_the_threads_are_not_reported() => VerifyNoReport(
        """
        static class Joined
        {
            public static int Run()
            {
                int a = 0, b = 0;
                var first = new Thread(() => { for (int i = 0; i < 10; i++) a++; });
                var second = new Thread(() => { for (int i = 0; i < 10; i++) b++; });
                first.Start(); second.Start();
                first.Join(); second.Join();
                a += b;
                return a;
            }
        }
        """);

    [Fact]
    public Task Sequential_awaits_and_awaited_tasks_are_not_concurrency() => VerifyNoReport(
        """
        class Sequential
        {
            private int _steps;
            async Task Step() { await Task.Yield(); _steps++; }
            public async Task Run()
            {
                await Step();
                await Step();
                await Task.Run(() => _steps++);
                _steps++;
            }
        }
        """);

    [Fact]
    public Task Single_threaded_code_and_fresh_objects_are_not_reported() => VerifyNoReport(
        """
        class Counter { private int _n; public void Inc() => _n++; }
        class Program
        {
            private int _total;
            public void Sequential() { _total++; new Counter().Inc(); }
            public void Run() => Parallel.For(0, 10, _ => { var mine = new Counter(); mine.Inc(); mine.Inc(); });
        }
        """);

    [Fact]
    public Task Elements_handed_to_a_parallel_body_are_that_call_s_own() => VerifyNoReport(
        """
        class Order
        {
            private int _attempts;
            public decimal Total;
            public void Ship() { _attempts++; }
        }

        static class Shipping
        {
            public static void Run(List<Order> orders)
            {
                Parallel.ForEach(orders, order => { order.Ship(); order.Total += 1; });
                Parallel.ForEach(orders, Ship);
            }

            static void Ship(Order order) => order.Ship();
        }
        """);

    [Fact]
    public Task The_same_object_handed_to_every_thread_is_shared() => VerifyNoReport(
        """
        class Meter
        {
            private int _reads;
            public void Read() { [|_reads++|]; }
        }

        static class Plant
        {
            public static void Run(Meter meter)
            {
                for (int i = 0; i < 4; i++)
                    new Thread(() => meter.Read()).Start();
            }
        }
        """);

    [Fact]
    public Task Initialisers_of_new_objects_and_with_copies_are_not_shared_state() => VerifyNoReport(
        """
        record Item(int Rank) { public int Hits { get; set; } }

        static class Ranking
        {
            public static Item[] Promote(Item[] items)
            {
                var promoted = new Item[items.Length];
                Parallel.For(0, items.Length, i =>
                {
                    var item = items[i];
                    promoted[i] = item with { Rank = item.Rank + 1, Hits = item.Hits + 1 };
                });
                return promoted;
            }
        }
        """);

    [Fact]
    public Task Constructor_writes_and_Lazy_initialisation_are_not_reported() => VerifyNoReport(
        """
        class Service
        {
            private int _version;
            private readonly Lazy<List<int>> _cache = new(() => new List<int>());
            public Service() { _version++; }
            int Read() => _version + _cache.Value.Count;
            public void Run() => Parallel.For(0, 10, _ => Read());
        }
        """);

    [Fact]
    public Task A_single_thread_writing_while_nobody_else_writes_is_not_reported() => VerifyNoReport(
        """
        class Progress
        {
            private int _done;
            public int Run()
            {
                var worker = new Thread(() => { for (int i = 0; i < 10; i++) _done++; });
                worker.Start();
                worker.Join();
                return _done;
            }
        }
        """);

    [Fact]
    public Task Fix_All_converts_every_update_and_adds_one_lock_field() => VerifyFix(
        """
        class Mixed
        {
            private int _a;
            private double _b;
            void Work() { [|_a++|]; [|_b *= 2|]; [|_a -= 3|]; [|_b /= 2|]; }
            public void Run() => Parallel.For(0, 4, _ => Work());
        }
        """,
        $$"""
        class Mixed
        {
            private readonly {{RoslynLeg.LockType}} _sync = new();
            private int _a;
            private double _b;
            void Work() { Interlocked.Increment(ref _a); lock (_sync) { _b *= 2; } Interlocked.Add(ref _a, -3); lock (_sync) { _b /= 2; } }
            public void Run() => Parallel.For(0, 4, _ => Work());
        }
        """);

    [Fact]
    public Task A_loop_counter_in_a_method_that_started_code_calls_is_private_to_each_call() => VerifyNoReport(
        """
        class Bank
        {
            private readonly object _sync = new object();
            private decimal _total;
            public void Run()
            {
                for (int t = 0; t < 4; t++)
                    new Thread(() => Pay(100)).Start();
            }
            private void Pay(int rounds)
            {
                for (int i = 0; i < rounds; i++)
                {
                    int copy = i;
                    copy += 2;
                    lock (_sync) { _total += copy; }
                }
            }
        }
        """);

    [Fact]
    public Task A_local_captured_by_several_started_lambdas_is_still_shared() => Verify.VerifyAnalyzerAsync(
        Usings + """
        class Counter
        {
            public int Run()
            {
                int hits = 0;
                var workers = new Thread[4];
                for (int t = 0; t < 4; t++)
                {
                    workers[t] = new Thread(() => { [|hits++|]; });
                    workers[t].Start();
                }
                foreach (var w in workers) w.Join();
                return hits;
            }
        }
        """);
}
