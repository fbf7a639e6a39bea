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
}
