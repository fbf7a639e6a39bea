using System.Threading.Tasks;
using Xunit;
using Verify = Lockstep.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    Lockstep.Analyzers.Rules.DataRace.UnsynchronizedCheckThenActAnalyzer,
    Lockstep.Analyzers.Rules.DataRace.UnsynchronizedCheckThenActFixer>;

namespace Lockstep.Analyzers.Tests.Rules.DataRace;

public sealed class UnsynchronizedCheckThenActTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Collections.Concurrent;
        using System.Threading;
        using System.Threading.Tasks;

        """;

    private static Task VerifyFix(string source, string fixedSource) => Verify.VerifyCodeFixAsync(Usings + source, Usings + fixedSource);

    private static Task VerifyNoReport(string source) => Verify.VerifyAnalyzerAsync(Usings + source);

    [Fact]
    public Task A_local_office_shared_by_the_tasks_started_in_a_loop_is_shared() => Verify.VerifyAnalyzerAsync(
        // Sharing by escape: the office is made here, but every task the loop starts captures the same one.
        Usings + """
        class Office
        {
            private int _tickets = 10;

            public void Buy(string name)
            {
                if ({|#0:_tickets > 0|})
                {
                    Thread.Sleep(1);
                    _tickets--;
                }
            }
        }

        static class Booking
        {
            public static Task OpenAsync(string[] names)
            {
                var office = new Office();
                var sales = new List<Task>();
                foreach (var name in names)
                    sales.Add(Task.Run(() => office.Buy(name)));
                return Task.WhenAll(sales);
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithArguments("_tickets", "tasks started at line 27"));

    [Fact]
    public Task An_office_made_for_each_task_is_not_shared_between_the_tasks() => VerifyNoReport(
        // One office per iteration, handed to the task that iteration starts: the tasks never share one.
        """
        class Office
        {
            private int _tickets = 10;
            public void Buy(string name) { if (_tickets > 0) _tickets--; }
        }

        static class Booking
        {
            public static void Open(string[] names)
            {
                foreach (var name in names)
                {
                    var office = new Office();
                    new Thread(() => office.Buy(name)).Start();
                }
            }
        }
        """);

    [Fact]
    public Task Ticket_office_check_and_buy_are_locked_as_a_whole_and_the_sleep_runs_before() => VerifyFix(
        // The check and the decrement become one step. The sleep in the branch is a delay: it computes nothing, so it runs
        // before the lock (now whichever branch is taken) instead of making every other buyer wait through it.
        """
        class TicketOffice
        {
            private int _tickets = 10;

            void Buy()
            {
                if ([|_tickets > 0|])
                {
                    Thread.Sleep(1);
                    _tickets--;
                }
            }

            public void Open() { for (int i = 0; i < 20; i++) new Thread(Buy).Start(); }
        }
        """,
        $$"""
        class TicketOffice
        {
            private readonly {{RoslynLeg.LockType}} _sync = new();
            private int _tickets = 10;

            void Buy()
            {
                Thread.Sleep(1);
                lock (_sync)
                {
                    if (_tickets > 0)
                    {
                        _tickets--;
                    }
                }
            }

            public void Open() { for (int i = 0; i < 20; i++) new Thread(Buy).Start(); }
        }
        """);

    [Fact]
    public Task Message_names_the_member_and_the_origin() => Verify.VerifyAnalyzerAsync(
        Usings + """
        class Cache
        {
            private readonly Dictionary<string, int> _entries = new();
            void Put(string key) { if ({|#0:!_entries.ContainsKey(key)|}) _entries[key] = key.Length; }
            public void Run(string[] keys) => Parallel.ForEach(keys, Put);
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithArguments("_entries", "the Parallel.ForEach body at line 10"));

    [Fact]
    public Task Lazy_initialisation_becomes_LazyInitializer() => VerifyFix(
        """
        class Registry
        {
            private static List<string>? _names;
            static List<string> Names() { if ([|_names == null|]) _names = new List<string>(); return _names; }
            public static void Run() => Parallel.For(0, 4, _ => Names());
        }
        """,
        """
        class Registry
        {
            private static List<string>? _names;
            static List<string> Names() { LazyInitializer.EnsureInitialized(ref _names, () => new List<string>()); return _names; }
            public static void Run() => Parallel.For(0, 4, _ => Names());
        }
        """);

    [Fact]
    public Task Coalescing_assignment_becomes_LazyInitializer() => VerifyFix(
        """
        class Registry
        {
            private object? _instance;
            object Get() => [|_instance ??= new object()|];
            public void Run() => Parallel.For(0, 4, _ => Get());
        }
        """,
        """
        class Registry
        {
            private object? _instance;
            object Get() => LazyInitializer.EnsureInitialized(ref _instance, () => new object());
            public void Run() => Parallel.For(0, 4, _ => Get());
        }
        """);

    [Theory]
    [InlineData("if ([|_max < value|]) _max = value;")]
    [InlineData("if ([|_queue.Count > 0|]) _queue.Dequeue();")]
    [InlineData("if ([|!_set.Contains(value)|]) _set.Add(value);")]
    [InlineData("if ([|!_concurrent.ContainsKey(value)|]) _concurrent[value] = 1;")]
    public Task Check_then_act_forms_are_reported(string statement) => VerifyNoReport(
        "class C { private int _max; private readonly Queue<int> _queue = new(); private readonly HashSet<int> _set = new(); "
        + "private readonly ConcurrentDictionary<int, int> _concurrent = new(); "
        + "void Offer(int value) { " + statement + " } public void Run() => Parallel.For(0, 10, Offer); }");

    [Fact]
    public Task Captured_local_checked_and_changed_from_tasks_is_reported() => VerifyNoReport(
        """
        static class Stock
        {
            public static Task Run()
            {
                int left = 5;
                var buyers = new List<Task>();
                for (int i = 0; i < 10; i++)
                    buyers.Add(Task.Run(() => { if ([|left > 0|]) left--; }));
                return Task.WhenAll(buyers);
            }
        }
        """);

    [Fact]
    public Task Checks_under_a_lock_and_atomic_alternatives_are_not_reported() => VerifyNoReport(
        """
        class Safe
        {
            private readonly object _sync = new();
            private readonly ConcurrentDictionary<string, int> _counts = new();
            private int _tickets = 10;
            private object? _instance;
            void Buy() { lock (_sync) { if (_tickets > 0) _tickets--; } }
            void Count(string key) { _counts.AddOrUpdate(key, 1, (_, n) => n + 1); _counts.GetOrAdd(key, 0); }
            object Get() => LazyInitializer.EnsureInitialized(ref _instance, () => new object());
            public void Run(string[] keys) { Parallel.For(0, 10, _ => { Buy(); Get(); }); Parallel.ForEach(keys, Count); }
        }
        """);

    [Fact]
    public Task Checks_in_single_threaded_code_are_not_reported() => VerifyNoReport(
        """
        class Sequential
        {
            private int _tickets = 10;
            public void Buy() { if (_tickets > 0) _tickets--; }
            public void Run() { for (int i = 0; i < 20; i++) Buy(); }
        }
        """);

    [Fact]
    public Task A_check_of_one_field_acting_on_another_is_not_check_then_act() => VerifyNoReport(
        """
        class Flags
        {
            private volatile bool _enabled = true;
            private int _ignored;
            void Work() { if (_enabled) Interlocked.Increment(ref _ignored); }
            public void Run() => Parallel.For(0, 10, _ => Work());
        }
        """);
}
