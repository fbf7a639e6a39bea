using System.Threading.Tasks;
using Xunit;
using Verify = Lockstep.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    Lockstep.Analyzers.Rules.ThreadCreation.JoinInsideStartLoopAnalyzer,
    Lockstep.Analyzers.Rules.ThreadCreation.JoinInsideStartLoopFixer>;

namespace Lockstep.Analyzers.Tests.Rules.ThreadCreation;

public sealed class JoinInsideStartLoopTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;

        """;

    [Fact]
    public Task Join_in_the_start_loop_moves_after_the_loop() => Verify.VerifyCodeFixAsync(
        Usings + """
        static class Program
        {
            static void Task(int n) => Thread.Sleep(n);

            public static void Run()
            {
                for (int i = 0; i < 10; i++)
                {
                    var t = new Thread(() => Task(100));
                    t.Start();
                    [|t.Join()|];
                }

                Console.WriteLine("done");
            }
        }
        """,
        Usings + """
        static class Program
        {
            static void Task(int n) => Thread.Sleep(n);

            public static void Run()
            {
                var workers = new List<Thread>();
                for (int i = 0; i < 10; i++)
                {
                    var t = new Thread(() => Task(100));
                    t.Start();
                    workers.Add(t);
                }

                foreach (var worker in workers)
                    worker.Join();
                Console.WriteLine("done");
            }
        }
        """);

    [Fact]
    public Task Message_names_the_wait() => Verify.VerifyAnalyzerAsync(
        Usings + "static class C { static void Run(int[] items) { foreach (var item in items) { var task = Task.Run(() => item * 2); {|#0:task.Wait()|}; } } }",
        Verify.Diagnostic().WithLocation(0).WithArguments("Task.Wait"));

    [Fact]
    public Task Waiting_on_a_task_started_on_the_spot_is_collected_too() => Verify.VerifyCodeFixAsync(
        Usings + """
        static class C
        {
            static void Run(string[] files)
            {
                foreach (var file in files)
                {
                    [|Task.Run(() => Console.WriteLine(file)).Wait()|];
                }
            }
        }
        """,
        Usings + """
        static class C
        {
            static void Run(string[] files)
            {
                var workers = new List<Task>();
                foreach (var file in files)
                {
                    workers.Add(Task.Run(() => Console.WriteLine(file)));
                }

                foreach (var worker in workers)
                    worker.Wait();
            }
        }
        """);

    [Theory]
    [InlineData("while (n-- > 0) { var t = new Thread(Work); t.Start(); [|t.Join()|]; }")]
    [InlineData("do { var t = Task.Factory.StartNew(Work); [|t.Wait(1000)|]; } while (n-- > 0);")]
    [InlineData("for (int i = 0; i < n; i++) { var t = new Task(Work); t.Start(); [|t.Wait()|]; }")]
    [InlineData("for (int i = 0; i < n; i++) { var t = new Thread(Work); t.Start(); if (i > 0) [|t.Join()|]; }")]
    public Task Every_worker_kind_and_loop_kind_is_reported(string body) => Verify.VerifyAnalyzerAsync(
        Usings + "static class C { static void Work() { } static void Run(int n) { " + body + " } }");

    [Fact]
    public Task Start_all_then_join_all_and_unrelated_waits_are_not_reported() => Verify.VerifyAnalyzerAsync(
        Usings + """
        static class C
        {
            static void Work() { }

            static void Run(int n, Thread outside, Task pending)
            {
                var threads = new List<Thread>();
                for (int i = 0; i < n; i++)
                {
                    var t = new Thread(Work);
                    t.Start();
                    threads.Add(t);
                }

                foreach (var t in threads)
                    t.Join();

                for (int i = 0; i < n; i++)
                {
                    outside.Join();
                    pending.Wait();
                    var later = new Thread(Work);
                    Action join = () => later.Join();
                }
            }
        }
        """);

    [Fact]
    public Task A_wait_inside_a_nested_statement_is_reported_without_a_fix() => Verify.VerifyCodeFixAsync(
        Usings + "static class C { static void Work() { } static void Run(int n) { for (int i = 0; i < n; i++) { var t = new Thread(Work); t.Start(); if (i > 0) [|t.Join()|]; } } }",
        Usings + "static class C { static void Work() { } static void Run(int n) { for (int i = 0; i < n; i++) { var t = new Thread(Work); t.Start(); if (i > 0) [|t.Join()|]; } } }");

    [Fact]
    public Task Workers_that_capture_the_for_variable_get_their_own_copy() => Verify.VerifyCodeFixAsync(
        // Joined in the iteration, each worker read i before the loop changed it; overlapping, they would not. The copy
        // keeps each worker's value.
        Usings + """
        static class Program
        {
            public static void Run(Action[] work)
            {
                for (int i = 0; i < 50; i++)
                {
                    var t = new Thread(() => work[i]());
                    t.Start();
                    [|t.Join()|];
                }
            }
        }
        """,
        Usings + """
        static class Program
        {
            public static void Run(Action[] work)
            {
                var workers = new List<Thread>();
                for (int i = 0; i < 50; i++)
                {
                    var iCopy = i;
                    var t = new Thread(() => work[iCopy]());
                    t.Start();
                    workers.Add(t);
                }

                foreach (var worker in workers)
                    worker.Join();
            }
        }
        """);

    [Fact]
    public Task Threads_of_a_loop_that_grows_with_the_input_become_pool_work_under_a_semaphore() => Verify.VerifyCodeFixAsync(
        // Started all at once, n threads would be LS4001's pitfall: at most one per processor runs, and the method still
        // waits for every one after the loop.
        Usings + """
        static class Program
        {
            static void Handle(int item) { }

            public static void Run(int n)
            {
                for (int i = 0; i < n; i++)
                {
                    var t = new Thread(() => Handle(i));
                    t.Start();
                    [|t.Join()|];
                }
            }
        }
        """,
        Usings + """
        static class Program
        {
            static void Handle(int item) { }

            public static void Run(int n)
            {
                var slots = new Semaphore(Environment.ProcessorCount, Environment.ProcessorCount);
                for (int i = 0; i < n; i++)
                {
                    var iCopy = i;
                    slots.WaitOne();
                    ThreadPool.QueueUserWorkItem(state => { try { Handle(iCopy); } finally { slots.Release(); } });
                }

                for (int slot = 0; slot < Environment.ProcessorCount; slot++)
                    slots.WaitOne();
            }
        }
        """);

    // Not offered: a worker that writes shared state without a lock (overlapping workers would race on it), code after the
    // wait in the iteration (it relies on the worker having finished), a loop that writes a field while earlier workers
    // run, a worker that changes the loop's variable itself, a join with a timeout in a loop that grows with the input
    // (the bounded form would wait for every worker, the original gave up after the timeout).
    [Theory]
    [InlineData("static int s_total; static void Run() { for (int i = 0; i < 10; i++) { var t = new Thread(() => s_total++); t.Start(); [|t.Join()|]; } }")]
    [InlineData("static void Run() { for (int i = 0; i < 10; i++) { var t = new Thread(Work); t.Start(); [|t.Join()|]; Console.WriteLine(i); } }")]
    [InlineData("static int s_round; static void Run() { for (int i = 0; i < 10; i++) { s_round = i; var t = new Thread(Work); t.Start(); [|t.Join()|]; } }")]
    [InlineData("static void Run() { for (int i = 0; i < 10; i++) { var t = new Thread(() => { i++; }); t.Start(); [|t.Join()|]; } }")]
    [InlineData("static void Run(int n) { for (int i = 0; i < n; i++) { var t = new Thread(Work); t.Start(); [|t.Join(100)|]; } }")]
    public Task No_fix_where_overlapping_workers_would_change_the_result(string member) => Verify.VerifyCodeFixAsync(
        Usings + "static class C { static void Work() { } " + member + " }",
        Usings + "static class C { static void Work() { } " + member + " }");

    [Fact]
    public Task A_conditional_wait_collects_the_same_workers_and_a_loop_parameter_is_copied() => Verify.VerifyCodeFixAsync(
        // Only the workers the loop waited for are waited for after it; n changes in the loop, so each worker gets its value.
        Usings + """
        static class C
        {
            static void Work(int left) { }

            static void Run(int n)
            {
                while (n-- > 0)
                {
                    var task = Task.Run(() => Work(n));
                    if (n % 2 == 0)
                        [|task.Wait()|];
                }
            }
        }
        """,
        Usings + """
        static class C
        {
            static void Work(int left) { }

            static void Run(int n)
            {
                var workers = new List<Task>();
                while (n-- > 0)
                {
                    var nCopy = n;
                    var task = Task.Run(() => Work(nCopy));
                    if (n % 2 == 0)
                        workers.Add(task);
                }

                foreach (var worker in workers)
                    worker.Wait();
            }
        }
        """);

    [Fact]
    public Task Fix_All_fixes_what_can_be_fixed_and_equals_applying_the_fixes_one_by_one() => new Verify.Test
    {
        TestCode = Usings + """
        static class C
        {
            static int s_total;
            static void Work(int item) { }

            static void Both(int[] items)
            {
                foreach (var item in items)
                {
                    [|Task.Run(() => Work(item)).Wait()|];
                }

                for (int i = 0; i < 8; i++)
                {
                    var t = new Thread(() => Work(i));
                    t.Start();
                    [|t.Join()|];
                }

                for (int i = 0; i < 8; i++)
                {
                    var t = new Thread(() => s_total += i);
                    t.Start();
                    [|t.Join()|];
                }
            }
        }
        """,
        FixedCode = Usings + """
        static class C
        {
            static int s_total;
            static void Work(int item) { }

            static void Both(int[] items)
            {
                var workers = new List<Task>();
                foreach (var item in items)
                {
                    workers.Add(Task.Run(() => Work(item)));
                }

                foreach (var worker in workers)
                    worker.Wait();
                var workers2 = new List<Thread>();
                for (int i = 0; i < 8; i++)
                {
                    var iCopy = i;
                    var t = new Thread(() => Work(iCopy));
                    t.Start();
                    workers2.Add(t);
                }

                foreach (var worker in workers2)
                    worker.Join();
                for (int i = 0; i < 8; i++)
                {
                    var t = new Thread(() => s_total += i);
                    t.Start();
                    [|t.Join()|];
                }
            }
        }
        """,
        FixedState = { MarkupHandling = MarkupMode.Allow },
    }.RunAsync();
}
