using System.Threading.Tasks;
using Xunit;
using Verify = Lockstep.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    Lockstep.Analyzers.Rules.ThreadCreation.UnboundedThreadCreationAnalyzer,
    Lockstep.Analyzers.Rules.ThreadCreation.UnboundedThreadCreationFixer>;

namespace Lockstep.Analyzers.Tests.Rules.ThreadCreation;

public sealed class UnboundedThreadCreationTests
{
    private const string Usings = """
        using System;
        using System.Collections.Concurrent;
        using System.Collections.Generic;
        using System.Net;
        using System.Net.Sockets;
        using System.Threading;
        using System.Threading.Channels;
        using System.Threading.Tasks;


        """;

    private static Task VerifyBody(string body, params DiagnosticResult[] expected) => Verify.VerifyAnalyzerAsync(
        Usings + "class C { static void Work() { } static void Handle(object o) { } static void Run(int n, List<int> orders, TcpListener listener, Socket socket, BlockingCollection<int> jobs, ConcurrentQueue<int> inbox) { " + body + " } }",
        expected);

    // ---- What is reported ----

    [Theory]
    [InlineData("for (int i = 0; i < n; i++) { [|new Thread(Work).Start()|]; }")]
    [InlineData("while (n-- > 0) { var t = new Thread(Work); [|t.Start()|]; }")]
    [InlineData("do { [|new Thread(() => Handle(n)).Start()|]; } while (n-- > 0);")]
    [InlineData("for (int i = 0; i < 1000; i++) [|new Thread(Work).Start()|];")]
    [InlineData("for (int i = n; i > 0; i--) [|new Thread(Work).Start()|];")]
    [InlineData("while (true) { [|new Thread(Work).Start()|]; Thread.Sleep(1000); }")]
    [InlineData("foreach (var order in orders) { [|new Thread(() => Handle(order)).Start()|]; }")]
    [InlineData("foreach (var order in orders) { var t = new Thread(Handle); t.IsBackground = true; [|t.Start(order)|]; }")]
    [InlineData("foreach (var order in orders) { [|Task.Factory.StartNew(() => Handle(order), TaskCreationOptions.LongRunning)|]; }")]
    [InlineData("foreach (var order in orders) { [|Task.Factory.StartNew(() => Handle(order), CancellationToken.None, TaskCreationOptions.LongRunning | TaskCreationOptions.DenyChildAttach, TaskScheduler.Default)|]; }")]
    public Task Every_unbounded_loop_form_is_reported(string body) => VerifyBody(body);

    [Fact]
    public Task Message_names_what_drives_the_count() => VerifyBody(
        """
        {|#3:foreach (var order in orders) { {|#0:new Thread(() => Handle(order)).Start()|}; }|}
        {|#4:for (int i = 0; i < n; i++) { {|#1:new Thread(Work).Start()|}; }|}
        {|#5:while (true) { var client = listener.AcceptTcpClient(); {|#2:new Thread(() => Handle(client)).Start()|}; }|}
        """,
        // The additional location is the loop that drives the count.
        Verify.Diagnostic().WithLocation(0).WithLocation(3).WithArguments("Thread.Start", "item of 'orders'"),
        Verify.Diagnostic().WithLocation(1).WithLocation(4).WithArguments("Thread.Start", "loop iteration"),
        Verify.Diagnostic().WithLocation(2).WithLocation(5).WithArguments("Thread.Start", "accepted connection"));

    [Theory]
    [InlineData("{|#1:while (true) { var client = listener.AcceptTcpClient(); {|#0:new Thread(() => Handle(client)).Start()|}; }|}")]
    [InlineData("{|#1:while (true) { var s = listener.AcceptSocket(); var t = new Thread(() => Handle(s)); {|#0:t.Start()|}; }|}")]
    [InlineData("{|#1:for (;;) { Socket s = socket.Accept(); {|#0:new Thread(Handle).Start(s)|}; }|}")]
    [InlineData("{|#1:while (listener.Pending() || n > 0) { var c = listener.AcceptTcpClient(); {|#0:Task.Factory.StartNew(() => Handle(c), TaskCreationOptions.LongRunning)|}; }|}")]
    public Task Thread_per_accepted_connection_is_reported(string body) => VerifyBody(
        body, Verify.Diagnostic().WithLocation(0).WithLocation(1).WithArguments(body.Contains("StartNew") ? "TaskFactory.StartNew" : "Thread.Start", "accepted connection"));

    [Fact]
    public Task Accept_loop_in_an_async_method_is_reported() => Verify.VerifyAnalyzerAsync(
        Usings + """
        class Server
        {
            static void Handle(TcpClient client) { }

            static async Task RunAsync(TcpListener listener, CancellationToken cancellationToken)
            {
                {|#1:while (!cancellationToken.IsCancellationRequested)
                {
                    TcpClient client = await listener.AcceptTcpClientAsync(cancellationToken);
                    {|#0:new Thread(() => Handle(client)).Start()|};
                }|}
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithLocation(1).WithArguments("Thread.Start", "accepted connection"));

    [Theory]
    [InlineData("{|#1:while (true) { int job = jobs.Take(); {|#0:new Thread(() => Handle(job)).Start()|}; }|}")]
    [InlineData("{|#1:foreach (var job in jobs.GetConsumingEnumerable()) {|#0:new Thread(() => Handle(job)).Start()|};|}")]
    [InlineData("{|#1:while (inbox.TryDequeue(out var message)) {|#0:new Thread(() => Handle(message)).Start()|};|}")]
    public Task Thread_per_message_is_reported(string body) => VerifyBody(
        body, Verify.Diagnostic().WithLocation(0).WithLocation(1).WithArguments("Thread.Start", "message"));

    [Fact]
    public Task Thread_per_message_from_a_channel_is_reported() => Verify.VerifyAnalyzerAsync(
        Usings + """
        class Consumer
        {
            static void Handle(string message) { }

            static async Task RunAsync(ChannelReader<string> reader)
            {
                {|#2:await foreach (var message in reader.ReadAllAsync())
                    {|#0:new Thread(() => Handle(message)).Start()|};|}

                {|#3:while (true)
                {
                    string next = await reader.ReadAsync();
                    {|#1:new Thread(() => Handle(next)).Start()|};
                }|}
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithLocation(2).WithArguments("Thread.Start", "message"),
        Verify.Diagnostic().WithLocation(1).WithLocation(3).WithArguments("Thread.Start", "message"));

    [Fact]
    public Task Thread_per_recursive_call_is_reported() => Verify.VerifyAnalyzerAsync(
        Usings + """
        class Node { public Node? Left, Right; }

        class Tree
        {
            void Walk(Node node)
            {
                if (node.Left is { } left)
                    {|#0:new Thread(() => Walk(left)).Start()|};
                if (node.Right is { } right)
                    Walk(right);
            }

            static void Sum(int n)
            {
                void Split(int size)
                {
                    if (size <= 1)
                        return;
                    var t = new Thread(() => Split(size / 2));
                    {|#1:t.Start()|};
                    Split(size / 2);
                }

                Split(n);
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithArguments("Thread.Start", "recursive call"),
        Verify.Diagnostic().WithLocation(1).WithArguments("Thread.Start", "recursive call"));

    [Fact]
    public Task Helper_that_starts_a_thread_is_reported_at_the_call_in_the_loop() => Verify.VerifyAnalyzerAsync(
        Usings + """
        class Server
        {
            private readonly TcpListener _listener = new(IPAddress.Loopback, 0);

            static void Serve(TcpClient client) { }

            void StartWorker(TcpClient client)
            {
                var worker = new Thread(() => Serve(client)) { IsBackground = true };
                worker.Start();
            }

            static void Launch(TcpClient client) => new ClientHandler(client);

            public void Run()
            {
                {|#2:while (true)
                {
                    var client = _listener.AcceptTcpClient();
                    {|#0:StartWorker(client)|};
                }|}
            }

            public static void RunAll(IEnumerable<TcpClient> clients)
            {
                {|#3:foreach (var client in clients)
                    {|#1:Launch(client)|};|}
            }
        }

        sealed class ClientHandler
        {
            public ClientHandler(TcpClient client) => new Thread(() => client.Close()).Start();
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithLocation(2).WithArguments("StartWorker", "accepted connection"),
        Verify.Diagnostic().WithLocation(1).WithLocation(3).WithArguments("Launch", "item of 'clients'"));

    [Fact]
    public Task Starts_in_lambdas_local_functions_and_instance_members_are_reported() => Verify.VerifyAnalyzerAsync(
        Usings + """
        class Pump
        {
            private readonly BlockingCollection<string> _inbox = new();

            static void Handle(string message) { }

            public Task RunAsync() => Task.Run(() =>
            {
                {|#2:foreach (var message in _inbox.GetConsumingEnumerable())
                    {|#0:new Thread(() => Handle(message)).Start()|};|}
            });

            public void Run(string[] files)
            {
                void StartAll()
                {
                    {|#3:foreach (var file in files)
                        {|#1:new Thread(() => Handle(file)).Start()|};|}
                }

                StartAll();
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithLocation(2).WithArguments("Thread.Start", "message"),
        Verify.Diagnostic().WithLocation(1).WithLocation(3).WithArguments("Thread.Start", "item of 'files'"));

    [Fact]
    public Task Start_all_then_join_all_over_an_unbounded_collection_is_reported() => VerifyBody(
        """
        var threads = new List<Thread>();
        foreach (var order in orders) { var t = new Thread(() => Handle(order)); [|t.Start()|]; threads.Add(t); }
        foreach (var t in threads) t.Join();
        """);

    // ---- What is not reported ----

    [Theory]
    [InlineData("for (int i = 0; i < 10; i++) new Thread(Work).Start();")]
    [InlineData("for (int i = 1; i <= 100; i++) { var t = new Thread(Work); t.Start(); }")]
    [InlineData("for (int i = 0; i < 128; ++i) new Thread(Work).Start();")]
    [InlineData("for (int i = 900; i < 1000; i++) new Thread(Work).Start();")]
    [InlineData("for (int i = 10; i > 0; i--) new Thread(Work).Start();")]
    [InlineData("int k = 0; while (k < 20) { new Thread(Work).Start(); k++; }")]
    [InlineData("for (int i = 0; i < n && i < 8; i++) new Thread(Work).Start();")]
    [InlineData("int started = 0; while (true) { if (started >= 16) break; new Thread(Work).Start(); started++; }")]
    public Task Loops_bounded_by_a_small_constant_are_not_reported(string body) => VerifyBody(body);

    [Theory]
    [InlineData("for (int i = 0; i < Environment.ProcessorCount; i++) new Thread(Work).Start();")]
    [InlineData("for (int i = 0; i < Environment.ProcessorCount * 2; i++) new Thread(Work).Start();")]
    [InlineData("for (int i = 0; i < Math.Min(n, Environment.ProcessorCount); i++) new Thread(Work).Start();")]
    [InlineData("int workers = Environment.ProcessorCount; for (int i = 0; i < workers; i++) new Thread(Work).Start();")]
    [InlineData("for (int i = Environment.ProcessorCount; i > 0; i--) new Thread(Work).Start();")]
    [InlineData("foreach (var i in System.Linq.Enumerable.Range(0, Environment.ProcessorCount)) new Thread(Work).Start();")]
    public Task Loops_bounded_by_the_processor_count_are_not_reported(string body) => VerifyBody(body);

    [Theory]
    [InlineData("foreach (var name in new[] { \"a\", \"b\", \"c\" }) new Thread(() => Handle(name)).Start();")]
    [InlineData("foreach (var name in new string[] { \"a\", \"b\" }) { var t = new Thread(() => Handle(name)); t.Start(); }")]
    [InlineData("var names = new[] { \"a\", \"b\" }; foreach (var name in names) new Thread(() => Handle(name)).Start();")]
    [InlineData("foreach (var i in System.Linq.Enumerable.Range(1, 10)) new Thread(Work).Start();")]
    public Task Foreach_over_a_short_array_literal_is_not_reported(string body) => VerifyBody(body);

#if CURRENT_ROSLYN
    // C# 12 collection expressions: the floor's C# 11 cannot parse them.
    [Theory]
    [InlineData("foreach (var name in (string[])[\"a\", \"b\", \"c\"]) new Thread(() => Handle(name)).Start();")]
    [InlineData("int[] ids = [1, 2, 3]; foreach (var id in ids) new Thread(() => Handle(id)).Start();")]
    [InlineData("List<string> names = [\"a\", \"b\"]; foreach (var name in names) { var t = new Thread(() => Handle(name)); t.Start(); }")]
    public Task Foreach_over_a_short_collection_expression_is_not_reported(string body) => VerifyBody(body);

    [Fact]
    public Task Foreach_over_a_readonly_field_initialised_with_a_short_collection_expression_is_not_reported() => Verify.VerifyAnalyzerAsync(
        Usings + """
        class Workers
        {
            private static readonly int[] Ids = [1, 2, 3];
            static void Handle(int id) { }
            static void StartAll() { foreach (var id in Ids) new Thread(() => Handle(id)).Start(); }
        }
        """);

    [Theory]
    [InlineData("int[] ids = [1, 2, ..orders]; {|#1:foreach (var id in ids) {|#0:new Thread(() => Handle(id)).Start()|};|}", "item of 'ids'")]
    [InlineData("{|#1:foreach (var id in (int[])[..orders, 3]) {|#0:new Thread(() => Handle(id)).Start()|};|}", "item of '[..orders, 3]'")]
    public Task A_collection_expression_that_spreads_an_unbounded_collection_is_reported(string body, string driver) => VerifyBody(
        body, Verify.Diagnostic().WithLocation(0).WithLocation(1).WithArguments("Thread.Start", driver));
#endif

    [Theory]
    [InlineData("var worker = new Thread(Work) { IsBackground = true }; worker.Start();")]
    [InlineData("var worker = new Thread(() => { while (true) Handle(jobs.Take()); }); worker.Start();")]
    [InlineData("var t = new Thread(Work); for (int i = 0; i < n; i++) { if (i == 0) t.Start(); }")]
    [InlineData("foreach (var order in orders) { if (order > 10) { new Thread(Work).Start(); break; } }")]
    [InlineData("Task.Factory.StartNew(Work, TaskCreationOptions.LongRunning);")]
    public Task A_single_long_lived_thread_is_not_reported(string body) => VerifyBody(body);

    [Theory]
    [InlineData("foreach (var order in orders) Task.Run(() => Handle(order));")]
    [InlineData("while (true) { var c = listener.AcceptTcpClient(); _ = Task.Run(() => Handle(c)); }")]
    [InlineData("foreach (var order in orders) ThreadPool.QueueUserWorkItem(_ => Handle(order));")]
    [InlineData("foreach (var order in orders) Task.Factory.StartNew(() => Handle(order));")]
    [InlineData("foreach (var order in orders) Task.Factory.StartNew(() => Handle(order), TaskCreationOptions.DenyChildAttach);")]
    [InlineData("Parallel.ForEach(orders, new ParallelOptions { MaxDegreeOfParallelism = 4 }, order => Handle(order));")]
    [InlineData("foreach (var order in orders) { var t = new Thread(() => Handle(order)); t.Start(); t.Join(); }")]
    public Task Pooled_or_serialised_work_is_not_reported(string body) => VerifyBody(body);

    [Fact]
    public Task Start_all_then_join_all_with_a_bounded_count_is_not_reported() => VerifyBody(
        """
        var threads = new List<Thread>();
        for (int i = 0; i < 100; i++) { var t = new Thread(Work); t.Start(); threads.Add(t); }
        foreach (var t in threads) t.Join();
        """);

    [Fact]
    public Task Depth_limited_recursion_and_start_once_helpers_are_not_reported() => Verify.VerifyAnalyzerAsync(
        Usings + """
        class Sorter
        {
            private Thread? _worker;

            void Sort(int[] items, int depth)
            {
                if (depth >= 3)
                {
                    Array.Sort(items);
                    return;
                }

                new Thread(() => Sort(items, depth + 1)).Start();
                Sort(items, depth + 1);
            }

            void EnsureWorker()
            {
                if (_worker != null)
                    return;
                var worker = new Thread(() => { });
                worker.Start();
                _worker = worker;
            }

            void Pump(BlockingCollection<int> jobs)
            {
                while (true)
                {
                    jobs.Take();
                    EnsureWorker();
                }
            }
        }
        """);

    [Theory]
    [InlineData("1000", false)]
    [InlineData("999", true)]
    [InlineData("not a number", true)]
    public Task Raising_the_bound_accepts_larger_constant_loops(string bound, bool reported) => new Verify.Test
    {
        TestCode = Usings + "class C { static void Work() { } static void Run() { for (int i = 0; i < 1000; i++) " + (reported ? "[|new Thread(Work).Start()|]" : "new Thread(Work).Start()") + "; } }",
        TestState =
        {
            AnalyzerConfigFiles = { ("/.editorconfig", "root = true\n[*.cs]\nlockstep.LS4001.max_threads_per_loop = " + bound + "\n") },
        },
    }.RunAsync();

    [Fact]
    public Task Lowering_the_bound_reports_small_constant_loops() => new Verify.Test
    {
        TestCode = Usings + "class C { static void Work() { } static void Run() { for (int i = 0; i < 10; i++) [|new Thread(Work).Start()|]; foreach (var x in new[] { 1, 2 }) new Thread(Work).Start(); } }",
        TestState =
        {
            AnalyzerConfigFiles = { ("/.editorconfig", "root = true\n[*.cs]\nlockstep.LS4001.max_threads_per_loop = 4\n") },
        },
    }.RunAsync();

    // ---- Code fixes ----

    [Fact]
    public Task Start_all_then_join_all_becomes_Parallel_ForEach() => Verify.VerifyCodeFixAsync(
        Usings + """
        static class Orders
        {
            static void Process(string order) => Console.WriteLine(order);

            public static void ProcessAll(IReadOnlyList<string> orders)
            {
                Console.WriteLine("start");
                var threads = new List<Thread>();
                foreach (var order in orders)
                {
                    var t = new Thread(() => Process(order));
                    [|t.Start()|];
                    threads.Add(t);
                }

                foreach (var t in threads)
                    t.Join();
                Console.WriteLine("done");
            }
        }
        """,
        Usings + """
        static class Orders
        {
            static void Process(string order) => Console.WriteLine(order);

            public static void ProcessAll(IReadOnlyList<string> orders)
            {
                Console.WriteLine("start");
                Parallel.ForEach(orders, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, order => Process(order));
                Console.WriteLine("done");
            }
        }
        """);

    [Fact]
    public Task Method_group_started_with_the_item_becomes_a_Parallel_ForEach_lambda() => Verify.VerifyCodeFixAsync(
        """
        using System.Collections.Generic;
        using System.Threading;

        static class Orders
        {
            static void Process(object? order) { }

            public static void ProcessAll(string[] orders)
            {
                var workers = new List<Thread>();
                foreach (var order in orders)
                {
                    var worker = new Thread(Process);
                    workers.Add(worker);
                    [|worker.Start(order)|];
                }

                foreach (var worker in workers)
                {
                    worker.Join();
                }
            }
        }
        """,
        // Roslyn 4.5 ends an import it places before all the others with CRLF whatever the file or the options use;
        // newer versions follow the configured end of line.
        (RoslynLeg.IsCurrent ? "using System;\n" : "using System;\r\n") + """
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;

        static class Orders
        {
            static void Process(object? order) { }

            public static void ProcessAll(string[] orders)
            {
                Parallel.ForEach(orders, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, order => Process(order));
            }
        }
        """);

    [Fact]
    public Task Thread_per_connection_in_async_code_moves_to_a_BoundedWorkQueue() => Verify.VerifyCodeFixAsync(
        Usings + """
        class Server
        {
            static void Handle(TcpClient client) => client.Dispose();

            static async Task RunAsync(TcpListener listener, CancellationToken cancellationToken)
            {
                listener.Start();
                while (!cancellationToken.IsCancellationRequested)
                {
                    TcpClient client = await listener.AcceptTcpClientAsync(cancellationToken);
                    [|new Thread(() => Handle(client)).Start()|]; // one per client
                }
            }
        }
        """,
        Usings.Replace("using System.Threading.Tasks;\n", "using System.Threading.Tasks;\nusing Lockstep;\n") + """
        class Server
        {
            static void Handle(TcpClient client) => client.Dispose();

            static async Task RunAsync(TcpListener listener, CancellationToken cancellationToken)
            {
                listener.Start();
                await using var queue = new BoundedWorkQueue();
                while (!cancellationToken.IsCancellationRequested)
                {
                    TcpClient client = await listener.AcceptTcpClientAsync(cancellationToken);
                    await queue.EnqueueAsync(() => Handle(client)); // one per client
                }
            }
        }
        """);

    [Fact]
    public Task Every_start_in_a_loop_shares_one_queue_and_thread_settings_go() => Verify.VerifyCodeFixAsync(
        """
        using System.Threading;
        using System.Threading.Channels;
        using System.Threading.Tasks;
        using Lockstep;

        class Consumer
        {
            static void Log(string message) { }
            static void Store(object? message) { }

            static async Task RunAsync(ChannelReader<string> queue, CancellationToken cancellationToken)
            {
                await foreach (var message in queue.ReadAllAsync(cancellationToken))
                {
                    var logger = new Thread(() => Log(message));
                    logger.IsBackground = true;
                    logger.Name = "log " + message;
                    [|logger.Start()|];
                    var store = new Thread(Store);
                    [|store.Start(message)|];
                    [|Task.Factory.StartNew(() => Log(message), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default)|];
                }
            }
        }
        """,
        """
        using System.Threading;
        using System.Threading.Channels;
        using System.Threading.Tasks;
        using Lockstep;

        class Consumer
        {
            static void Log(string message) { }
            static void Store(object? message) { }

            static async Task RunAsync(ChannelReader<string> queue, CancellationToken cancellationToken)
            {
                await using var queue2 = new BoundedWorkQueue();
                await foreach (var message in queue.ReadAllAsync(cancellationToken))
                {
                    await queue2.EnqueueAsync(() => Log(message));
                    await queue2.EnqueueAsync(() => Store(message));
                    await queue2.EnqueueAsync(() => Log(message), cancellationToken);
                }
            }
        }
        """);

    [Fact]
    public Task Fix_All_rewrites_every_loop_of_the_document() => new Verify.Test
    {
        TestCode = Usings + """
        class Server
        {
            static void Handle(object client) { }

            static async Task RunAsync(TcpListener listener, Socket socket)
            {
                while (true)
                {
                    var client = await listener.AcceptTcpClientAsync();
                    [|new Thread(() => Handle(client)).Start()|];
                }
            }

            static async Task PumpAsync(ChannelReader<int> reader)
            {
                while (true)
                {
                    int job = await reader.ReadAsync();
                    [|new Thread(() => Handle(job)).Start()|];
                }
            }
        }
        """,
        FixedCode = Usings.Replace("using System.Threading.Tasks;\n", "using System.Threading.Tasks;\nusing Lockstep;\n") + """
        class Server
        {
            static void Handle(object client) { }

            static async Task RunAsync(TcpListener listener, Socket socket)
            {
                await using var queue = new BoundedWorkQueue();
                while (true)
                {
                    var client = await listener.AcceptTcpClientAsync();
                    await queue.EnqueueAsync(() => Handle(client));
                }
            }

            static async Task PumpAsync(ChannelReader<int> reader)
            {
                await using var queue = new BoundedWorkQueue();
                while (true)
                {
                    int job = await reader.ReadAsync();
                    await queue.EnqueueAsync(() => Handle(job));
                }
            }
        }
        """,
        CodeActionEquivalenceKey = UnboundedThreadCreationFixerKeys.BoundedWorkQueue,
    }.RunAsync();

    // Not offered: a thread used after it starts (the rewrite would lose that use), a foreground thread started under a
    // lock in a loop that ends (the loop cannot wait for a slot holding the lock, and nothing else would wait for the
    // work), a list of threads read after the joins, a for loop whose threads share its variable
    // (the original races on it; any rewrite would change what it computes), a foreground thread in a loop that can leave
    // the method early (the wait for the work where the loop ends would be skipped), a culture set on the thread (a pool
    // thread would format differently), work that waits for other work (under a bound it could wait for ever).
    [Theory]
    [InlineData("static async Task RunAsync(TcpListener listener) { while (true) { var c = await listener.AcceptTcpClientAsync(); var t = new Thread(() => Handle(c)); [|t.Start()|]; Remember(t); } }")]
    [InlineData("static void Run(List<object> items) { foreach (var item in items) { lock (Gate) { [|new Thread(() => Handle(item)).Start()|]; } } }")]
    [InlineData("static void Run(List<object> items) { var threads = new List<Thread>(); foreach (var item in items) { var t = new Thread(() => Handle(item)); [|t.Start()|]; threads.Add(t); } foreach (var t in threads) t.Join(); Console.WriteLine(threads.Count); }")]
    [InlineData("static void Run(List<object> items) { var threads = new List<Thread>(); for (int i = 0; i < items.Count; i++) { var t = new Thread(() => Handle(i)); [|t.Start()|]; threads.Add(t); } foreach (var t in threads) t.Join(); }")]
    [InlineData("static void Run(List<object> items) { foreach (var item in items) { if (item is null) return; [|new Thread(() => Handle(item)).Start()|]; } }")]
    [InlineData("static void Run(List<object> items) { foreach (var item in items) { var t = new Thread(() => Handle(item)); t.CurrentCulture = System.Globalization.CultureInfo.InvariantCulture; [|t.Start()|]; } }")]
    [InlineData("static void Run(List<ManualResetEventSlim> items) { foreach (var item in items) { [|new Thread(() => item.Wait()).Start()|]; } }")]
    public Task No_fix_where_it_cannot_be_done_correctly(string member)
    {
        string source = Usings.Replace("using System.Threading.Tasks;\n", "using System.Threading.Tasks;\nusing Lockstep;\n")
            + "class C { static readonly object Gate = new(); static void Handle(object o) { } static void Remember(Thread t) { } " + member + " }";
        return Verify.VerifyNoFixAsync(source);
    }

    [Fact]
    public Task A_thread_per_connection_in_synchronous_code_becomes_pool_work_under_a_semaphore() => Verify.VerifyCodeFixAsync(
        // The accept loop waits for a free slot before it hands the next client over; the loop never ends, so nothing follows it.
        Usings + """
        class Server
        {
            static void Handle(TcpClient client) => client.Dispose();

            static void Run(TcpListener listener)
            {
                while (true)
                {
                    var client = listener.AcceptTcpClient();
                    [|new Thread(() => Handle(client)).Start()|];
                }
            }
        }
        """,
        Usings + """
        class Server
        {
            static void Handle(TcpClient client) => client.Dispose();

            static void Run(TcpListener listener)
            {
                var slots = new Semaphore(Environment.ProcessorCount, Environment.ProcessorCount);
                while (true)
                {
                    var client = listener.AcceptTcpClient();
                    slots.WaitOne();
                    ThreadPool.QueueUserWorkItem(state => { try { Handle(client); } finally { slots.Release(); } });
                }
            }
        }
        """);

    [Fact]
    public Task Foreground_threads_per_item_become_pool_work_that_the_method_waits_for_where_the_loop_ends() => Verify.VerifyCodeFixAsync(
        // Foreground threads kept the process alive until their work was done; pool threads do not, so the method takes
        // every slot back after the loop, which is to say it waits for the last item.
        Usings + """
        class Orders
        {
            static void Process(object? order) { }

            public static void ProcessAll(List<string> orders)
            {
                foreach (var order in orders)
                {
                    var worker = new Thread(Process) { Name = "order" };
                    [|worker.Start(order)|];
                }
            }
        }
        """,
        Usings + """
        class Orders
        {
            static void Process(object? order) { }

            public static void ProcessAll(List<string> orders)
            {
                var slots = new Semaphore(Environment.ProcessorCount, Environment.ProcessorCount);
                foreach (var order in orders)
                {
                    slots.WaitOne();
                    ThreadPool.QueueUserWorkItem(state => { try { Process(state); } finally { slots.Release(); } }, order);
                }

                for (int slot = 0; slot < Environment.ProcessorCount; slot++)
                    slots.WaitOne();
            }
        }
        """);

    [Fact]
    public Task Background_threads_per_message_in_async_code_without_the_runtime_library_become_pool_work() => new Verify.Test
    {
        // No BoundedWorkQueue to hand the work to, and no semaphore to wait for without blocking the async code: background
        // threads did not keep the process alive, so plain pool work keeps what the program does; the pool is the bound.
        ReferenceRuntimeLibrary = false,
        TestCode = Usings + """
        class Consumer
        {
            static void Handle(object message) { }

            static async Task RunAsync(ChannelReader<string> reader)
            {
                while (await reader.WaitToReadAsync())
                {
                    var message = await reader.ReadAsync();
                    var t = new Thread(o => Handle(o!));
                    t.IsBackground = true;
                    [|t.Start(message)|];
                }
            }
        }
        """,
        FixedCode = Usings + """
        class Consumer
        {
            static void Handle(object message) { }

            static async Task RunAsync(ChannelReader<string> reader)
            {
                while (await reader.WaitToReadAsync())
                {
                    var message = await reader.ReadAsync();
                    ThreadPool.QueueUserWorkItem(o => Handle(o!), message);
                }
            }
        }
        """,
    }.RunAsync();

    [Theory]
    [InlineData("[|Task.Factory.StartNew(() => Handle(order), TaskCreationOptions.LongRunning)|]", "Task.Factory.StartNew(() => Handle(order), TaskCreationOptions.None)")]
    [InlineData("[|Task.Factory.StartNew(() => Handle(order), CancellationToken.None, TaskCreationOptions.LongRunning | TaskCreationOptions.DenyChildAttach, TaskScheduler.Default)|]", "Task.Factory.StartNew(() => Handle(order), CancellationToken.None, TaskCreationOptions.DenyChildAttach, TaskScheduler.Default)")]
    [InlineData("tasks.Add([|Task.Factory.StartNew(() => Handle(order), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)|])", "tasks.Add(Task.Factory.StartNew(() => Handle(order), CancellationToken.None, TaskCreationOptions.None, TaskScheduler.Default))")]
    public Task A_LongRunning_task_per_item_runs_on_the_thread_pool(string start, string fixedStart)
    {
        // The same task, with the same exceptions and scheduler, on a pool thread instead of a thread of its own.
        static string Source(string call) =>
            Usings + "class C { static void Handle(object o) { } static Task Run(List<int> orders) { var tasks = new List<Task>(); foreach (var order in orders) { " + call + "; } return Task.WhenAll(tasks); } }";
        return Verify.VerifyCodeFixAsync(Source(start), Source(fixedStart));
    }

    [Fact]
    public Task A_background_thread_started_by_a_helper_called_per_connection_becomes_pool_work() => Verify.VerifyCodeFixAsync(
        // The fix rewrites the start inside the helper: a background thread, like a pool thread, does not keep the process alive.
        Usings + """
        class Server
        {
            private readonly TcpListener _listener = new(IPAddress.Loopback, 0);

            static void Serve(TcpClient client) { }

            void StartWorker(TcpClient client)
            {
                var worker = new Thread(() => Serve(client)) { IsBackground = true };
                worker.Start();
            }

            public void Run()
            {
                while (true)
                {
                    var client = _listener.AcceptTcpClient();
                    [|StartWorker(client)|];
                }
            }
        }
        """,
        Usings + """
        class Server
        {
            private readonly TcpListener _listener = new(IPAddress.Loopback, 0);

            static void Serve(TcpClient client) { }

            void StartWorker(TcpClient client)
            {
                ThreadPool.QueueUserWorkItem(state => Serve(client));
            }

            public void Run()
            {
                while (true)
                {
                    var client = _listener.AcceptTcpClient();
                    StartWorker(client);
                }
            }
        }
        """);

    [Fact]
    public Task A_background_thread_per_recursive_call_becomes_pool_work_and_a_foreground_one_gets_no_fix() => new Verify.Test
    {
        // A foreground thread kept the process alive until its work was done; started once per call, nothing after it could
        // wait for the work instead, so it gets no fix.
        TestCode = Usings + """
        class Node { public Node? Left, Right; }

        class Tree
        {
            void Walk(Node node)
            {
                if (node.Left is { } left)
                    [|new Thread(() => Walk(left)) { IsBackground = true }.Start()|];
                if (node.Right is { } right)
                    Walk(right);
            }

            void Visit(Node node)
            {
                if (node.Left is { } left)
                    [|new Thread(() => Visit(left)).Start()|];
                if (node.Right is { } right)
                    Visit(right);
            }
        }
        """,
        FixedCode = Usings + """
        class Node { public Node? Left, Right; }

        class Tree
        {
            void Walk(Node node)
            {
                if (node.Left is { } left)
                    ThreadPool.QueueUserWorkItem(state => Walk(left));
                if (node.Right is { } right)
                    Walk(right);
            }

            void Visit(Node node)
            {
                if (node.Left is { } left)
                    [|new Thread(() => Visit(left)).Start()|];
                if (node.Right is { } right)
                    Visit(right);
            }
        }
        """,
        FixedState = { MarkupHandling = MarkupMode.Allow },
    }.RunAsync();

    [Fact]
    public Task Fix_All_applies_each_sites_own_form_and_equals_applying_them_one_by_one() => new Verify.Test
    {
        // Sites with every form and a site without a fix in one document: Fix All, started from any of them (or from none,
        // as dotnet format may), gives what applying the fixes one by one gives.
        TestCode = Usings + """
        class Mixed
        {
            static void Handle(object o) { }
            static void Remember(Thread t) { }

            static async Task ServeAsync(TcpListener listener)
            {
                while (true)
                {
                    var client = await listener.AcceptTcpClientAsync();
                    [|new Thread(() => Handle(client)).Start()|];
                }
            }

            static void RunAll(List<int> items)
            {
                foreach (var item in items)
                {
                    [|Task.Factory.StartNew(() => Handle(item), TaskCreationOptions.LongRunning)|];
                    var t = new Thread(() => Handle(item));
                    [|t.Start()|];
                    Remember(t);
                }

                for (int i = 0; i < items.Count; i++)
                    [|new Thread(() => Handle(items)).Start()|];
            }
        }
        """,
        FixedCode = Usings.Replace("using System.Threading.Tasks;\n", "using System.Threading.Tasks;\nusing Lockstep;\n") + """
        class Mixed
        {
            static void Handle(object o) { }
            static void Remember(Thread t) { }

            static async Task ServeAsync(TcpListener listener)
            {
                await using var queue = new BoundedWorkQueue();
                while (true)
                {
                    var client = await listener.AcceptTcpClientAsync();
                    await queue.EnqueueAsync(() => Handle(client));
                }
            }

            static void RunAll(List<int> items)
            {
                foreach (var item in items)
                {
                    Task.Factory.StartNew(() => Handle(item), TaskCreationOptions.None);
                    var t = new Thread(() => Handle(item));
                    [|t.Start()|];
                    Remember(t);
                }

                var slots = new Semaphore(Environment.ProcessorCount, Environment.ProcessorCount);
                for (int i = 0; i < items.Count; i++)
                {
                    slots.WaitOne();
                    ThreadPool.QueueUserWorkItem(state => { try { Handle(items); } finally { slots.Release(); } });
                }

                for (int slot = 0; slot < Environment.ProcessorCount; slot++)
                    slots.WaitOne();
            }
        }
        """,
        FixedState = { MarkupHandling = MarkupMode.Allow },
    }.RunAsync();

    [Fact]
    public Task A_start_under_a_lock_in_a_loop_that_never_ends_becomes_plain_pool_work() => Verify.VerifyCodeFixAsync(
        // No slot can be waited for while the lock is held; queueing does not wait, and the loop never ends, so nothing
        // after it would have waited for the foreground threads either. The pool is the bound.
        Usings + "class C { static readonly object Gate = new(); static void Handle(object o) { } static async Task RunAsync(TcpListener listener) { while (true) { var c = await listener.AcceptTcpClientAsync(); lock (Gate) { [|new Thread(() => Handle(c)).Start()|]; } } } }",
        Usings + "class C { static readonly object Gate = new(); static void Handle(object o) { } static async Task RunAsync(TcpListener listener) { while (true) { var c = await listener.AcceptTcpClientAsync(); lock (Gate) { ThreadPool.QueueUserWorkItem(state => Handle(c)); } } } }");

    [Fact]
    public Task No_fix_for_foreground_threads_of_a_loop_that_ends_in_async_code_without_the_runtime_library() => new Verify.Test
    {
        // No queue; a semaphore wait would block the async code; pool work would not keep the process alive as the
        // foreground threads did.
        TestCode = Usings + "class C { static void Handle(object o) { } static async Task RunAsync(List<object> items) { foreach (var item in items) { await Task.Yield(); [|new Thread(() => Handle(item)).Start()|]; } } }",
        FixedCode = Usings + "class C { static void Handle(object o) { } static async Task RunAsync(List<object> items) { foreach (var item in items) { await Task.Yield(); [|new Thread(() => Handle(item)).Start()|]; } } }",
        ReferenceRuntimeLibrary = false,
    }.RunAsync();

    [Fact]
    public Task No_queue_fix_without_the_runtime_library_but_plain_pool_work_in_a_loop_that_never_ends() => new Verify.Test
    {
        TestCode = Usings + "class C { static void Handle(object o) { } static async Task RunAsync(TcpListener l) { while (true) { var c = await l.AcceptTcpClientAsync(); [|new Thread(() => Handle(c)).Start()|]; } } }",
        FixedCode = Usings + "class C { static void Handle(object o) { } static async Task RunAsync(TcpListener l) { while (true) { var c = await l.AcceptTcpClientAsync(); ThreadPool.QueueUserWorkItem(state => Handle(c)); } } }",
        ReferenceRuntimeLibrary = false,
    }.RunAsync();

    private static class UnboundedThreadCreationFixerKeys
    {
        public const string BoundedWorkQueue = Lockstep.Analyzers.Rules.ThreadCreation.UnboundedThreadCreationFixer.EquivalenceKey;
    }
}
