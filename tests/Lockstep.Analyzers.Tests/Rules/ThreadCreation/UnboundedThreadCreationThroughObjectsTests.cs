using System.Threading.Tasks;
using Xunit;
using Verify = Lockstep.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    Lockstep.Analyzers.Rules.ThreadCreation.UnboundedThreadCreationAnalyzer,
    Lockstep.Analyzers.Rules.ThreadCreation.UnboundedThreadCreationFixer>;

namespace Lockstep.Analyzers.Tests.Rules.ThreadCreation;

/// <summary>
/// LS4001 where the thread hides behind an object, an array or a callback: a worker whose constructor makes its thread
/// and whose Start starts it, made per connection or item; a thread per element of an input collection kept in an
/// array; a thread started by a callback that runs per event, tick or connection.
/// </summary>
/// <remarks>
/// No fix for most of these forms, and their tests assert it: the thread is made or started in another member or type
/// than the loop or callback that drives the count (a constructor, a worker's Start, a handler), so bounding it is a change of
/// that type's design, not a rewrite of one start; a foreground thread per call also keeps the process alive, which pool
/// work would not. (A background thread started by a helper in the same document does get the pool fix.)
/// </remarks>
public sealed class UnboundedThreadCreationThroughObjectsTests
{
    private const string Usings = """
        using System;
        using System.Collections.Concurrent;
        using System.Collections.Generic;
        using System.IO;
        using System.Linq;
        using System.Net.Sockets;
        using System.Threading;
        using System.Threading.Tasks;

        """;

    private const string Worker = """

        sealed class Worker
        {
            private readonly Thread _thread;
            private readonly object _job;

            public Worker(object job)
            {
                _job = job;
                _thread = new Thread(Run) { IsBackground = true };
            }

            public void Start() => _thread.Start();

            public void Begin() => StartThread();

            private void StartThread() => _thread.Start();

            private void Run() => Console.WriteLine(_job);
        }
        """;

    // ---- A worker object that owns its thread ----

    [Fact]
    public Task A_worker_made_and_started_per_connection_is_reported() => Verify.VerifyNoFixAsync(
        Usings + """
        class Server
        {
            public void Run(TcpListener listener)
            {
                {|#1:while (true)
                {
                    var client = listener.AcceptTcpClient();
                    var worker = new Worker(client);
                    {|#0:worker.Start()|};
                }|}
            }

            public void RunAll(IEnumerable<string> jobs)
            {
                {|#3:foreach (var job in jobs)
                    {|#2:new Worker(job).Begin()|};|}
            }
        }
        """ + Worker,
        Verify.Diagnostic().WithLocation(0).WithLocation(1).WithArguments("Start", "accepted connection"),
        Verify.Diagnostic().WithLocation(2).WithLocation(3).WithArguments("Begin", "item of 'jobs'"));

    [Fact]
    public Task A_constructor_that_starts_the_thread_it_keeps_is_reported_where_objects_are_made_per_item() => Verify.VerifyNoFixAsync(
        Usings + """
        sealed class Reader
        {
            private readonly Thread _thread;

            public Reader(Stream stream)
            {
                _thread = new Thread(() => stream.ReadByte());
                _thread.Start();
            }
        }

        static class Readers
        {
            public static List<Reader> Open(IEnumerable<Stream> streams)
            {
                var readers = new List<Reader>();
                {|#1:foreach (var stream in streams)
                    readers.Add({|#0:new Reader(stream)|});|}
                return readers;
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithLocation(1).WithArguments("new Reader", "item of 'streams'"));

    [Fact]
    public Task Workers_made_once_or_a_bounded_number_of_times_are_not_reported() => Verify.VerifyAnalyzerAsync(
        Usings + """
        class Pool
        {
            public void Run(TcpListener listener)
            {
                // One worker, made before the loop: its Start runs once (a second call would throw).
                var single = new Worker("log");
                single.Start();

                // A fixed number of workers.
                for (int i = 0; i < 4; i++)
                    new Worker(i).Start();
                for (int i = 0; i < Environment.ProcessorCount; i++)
                {
                    var worker = new Worker(i);
                    worker.Begin();
                }
            }
        }
        """ + Worker);

    [Fact]
    public Task Workers_made_by_a_synchronous_projection_are_not_a_callback_per_item() => Verify.VerifyAnalyzerAsync(
        Usings + """
        sealed class PoolThread
        {
            private readonly Thread _thread;

            public PoolThread(int id)
            {
                _thread = new Thread(() => Console.WriteLine(id)) { IsBackground = true };
                _thread.Start();
            }
        }

        sealed class FixedPool
        {
            private readonly PoolThread[] _threads;

            // The projection runs on this thread, one element after another, while ToArray enumerates it: the pool's
            // size is its own setting, not a stream of items or events.
            public FixedPool(int size) => _threads = Enumerable.Range(0, size).Select(id => new PoolThread(id)).ToArray();
        }
        """);

    // ---- One thread per element of an input collection ----

    [Fact]
    public Task An_array_of_one_thread_per_input_element_is_reported() => Verify.VerifyNoFixAsync(
        Usings + """
        static class Batch
        {
            static void Process(string item) { }

            public static void RunTogether(List<string> items)
            {
                var threads = new Thread[items.Count];
                {|#1:for (int i = 0; i < threads.Length; i++)
                {
                    var item = items[i];
                    threads[i] = new Thread(() => Process(item));
                    {|#0:threads[i].Start()|};
                }|}

                foreach (var thread in threads)
                    thread.Join();
            }

            public static void RunInTwoSteps(List<string> items)
            {
                var threads = new Thread[items.Count];
                for (int i = 0; i < items.Count; i++)
                {
                    var item = items[i];
                    threads[i] = new Thread(() => Process(item));
                }

                {|#3:foreach (var thread in threads)
                    {|#2:thread.Start()|};|}
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithLocation(1).WithArguments("Thread.Start", "loop iteration"),
        Verify.Diagnostic().WithLocation(2).WithLocation(3).WithArguments("Thread.Start", "item of 'threads'"));

    [Fact]
    public Task An_array_of_a_fixed_number_of_threads_is_not_reported() => Verify.VerifyAnalyzerAsync(
        Usings + """
        static class Batch
        {
            static void Work() { }

            public static void Run()
            {
                var threads = new Thread[4];
                for (int i = 0; i < threads.Length; i++)
                {
                    threads[i] = new Thread(Work);
                    threads[i].Start();
                }

                var more = new Thread[Environment.ProcessorCount];
                for (int i = 0; i < more.Length; i++)
                    more[i] = new Thread(Work);
                foreach (var thread in more)
                    thread.Start();
            }
        }
        """);

    // ---- A thread per callback ----

    [Fact]
    public Task A_thread_per_file_system_event_is_reported() => Verify.VerifyNoFixAsync(
        Usings + """
        class Indexer
        {
            static void Index(string path) { }

            public void Watch(FileSystemWatcher watcher)
            {
                {|#1:watcher.Created += (s, e) => {|#0:new Thread(() => Index(e.FullPath)).Start()|}|};
                {|#3:watcher.Changed += OnChanged|};
                {|#5:watcher.Renamed += (s, e) => {|#4:StartIndexer(e.FullPath)|}|};
            }

            private void OnChanged(object sender, FileSystemEventArgs e)
            {
                var thread = new Thread(() => Index(e.FullPath));
                {|#2:thread.Start()|};
            }

            private static void StartIndexer(string path) => new Thread(() => Index(path)).Start();
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithLocation(1).WithArguments("Thread.Start", "file system event"),
        Verify.Diagnostic().WithLocation(2).WithLocation(3).WithArguments("Thread.Start", "file system event"),
        Verify.Diagnostic().WithLocation(4).WithLocation(5).WithArguments("StartIndexer", "file system event"));

    [Fact]
    public Task A_thread_per_timer_tick_accepted_connection_or_handled_connection_is_reported() => Verify.VerifyNoFixAsync(
        Usings + """
        class Service
        {
            private readonly Socket _listener;
            private readonly Timer _timer;

            static void Work() { }

            public Service(Socket listener)
            {
                _listener = listener;
                _timer = {|#1:new Timer(_ => {|#0:new Thread(Work).Start()|}, null, 0, 1000)|};
            }

            public void Start() => {|#3:_listener.BeginAccept(OnAccept, null)|};

            private void OnAccept(IAsyncResult result)
            {
                var client = _listener.EndAccept(result);
                _listener.BeginAccept(OnAccept, null);
                {|#2:new Thread(() => client.Close()).Start()|};
            }

            public async Task RunAsync(TcpListener listener)
            {
                while (true)
                {
                    var client = await listener.AcceptTcpClientAsync();
                    _ = {|#5:HandleAsync(client)|};
                }
            }

            private async Task HandleAsync(TcpClient client)
            {
                await Task.Yield();
                {|#4:new Thread(() => client.Close()).Start()|};
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithLocation(1).WithArguments("Thread.Start", "timer tick"),
        Verify.Diagnostic().WithLocation(2).WithLocation(3).WithArguments("Thread.Start", "accepted connection"),
        Verify.Diagnostic().WithLocation(4).WithLocation(5).WithArguments("Thread.Start", "accepted connection"));

    [Fact]
    public Task Callbacks_that_run_once_or_start_a_thread_once_are_not_reported() => Verify.VerifyAnalyzerAsync(
        Usings + """
        class Service
        {
            private Thread? _worker;

            static void Work() { }

            public Service(CancellationToken token, FileSystemWatcher watcher)
            {
                // Runs once, when the token is cancelled.
                token.Register(() => new Thread(Work).Start());

                // Fires once: an infinite period.
                _ = new Timer(_ => new Thread(Work).Start(), null, 1000, Timeout.Infinite);

                // A worker started behind a field test: one thread however often the event comes.
                watcher.Changed += (s, e) =>
                {
                    if (_worker == null)
                    {
                        _worker = new Thread(Work);
                        _worker.Start();
                    }
                };
            }
        }
        """);

    // ---- A per-item method of another object that starts a thread ----

    [Fact]
    public Task A_per_message_method_of_another_object_that_starts_a_thread_is_reported() => Verify.VerifyAnalyzerAsync(
        Usings + """
        interface IHandler
        {
            void Handle(string message);
        }

        sealed class ThreadPerMessageHandler : IHandler
        {
            static void Process(string message) { }

            public void Handle(string message) => Dispatch(message);

            private void Dispatch(string message)
            {
                var thread = new Thread(() => Process(message)) { IsBackground = true };
                thread.Start();
            }
        }

        static class Spawner
        {
            public static void Spawn(string message) => new Thread(() => { }).Start();
        }

        class Receiver
        {
            private readonly IHandler _handler;
            private readonly ThreadPerMessageHandler _concrete = new();

            public Receiver(IHandler handler) => _handler = handler;

            public void Pump(TextReader reader)
            {
                string? line;
                {|#1:while ((line = reader.ReadLine()) != null)
                    {|#0:_handler.Handle(line)|};|}
            }

            public void PumpConcrete(BlockingCollection<string> inbox)
            {
                {|#3:foreach (var message in inbox.GetConsumingEnumerable())
                    {|#2:_concrete.Handle(message)|};|}
            }

            public void PumpStatic(IEnumerable<string> messages)
            {
                {|#5:foreach (var message in messages)
                    {|#4:Spawner.Spawn(message)|};|}
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithLocation(1).WithArguments("Handle", "loop iteration"),
        Verify.Diagnostic().WithLocation(2).WithLocation(3).WithArguments("Handle", "message"),
        Verify.Diagnostic().WithLocation(4).WithLocation(5).WithArguments("Spawn", "item of 'messages'"));

    [Fact]
    public Task A_start_behind_a_lambda_or_local_function_called_per_item_is_reported() => Verify.VerifyNoFixAsync(
        Usings + """
        class Fanout
        {
            static void Process(string item) { }

            public void Run(List<string> items)
            {
                void Spawn(string item) => new Thread(() => Process(item)).Start();

                {|#1:foreach (var item in items)
                    {|#0:Spawn(item)|};|}
            }

            public Task RunLaterAsync(List<string> items) => Task.Run(() =>
            {
                {|#3:for (int i = 0; i < items.Count; i++)
                    {|#2:new Worker(items[i]).Start()|};|}
            });
        }
        """ + Worker,
        Verify.Diagnostic().WithLocation(0).WithLocation(1).WithArguments("Spawn", "item of 'items'"),
        Verify.Diagnostic().WithLocation(2).WithLocation(3).WithArguments("Start", "loop iteration"));

    [Fact]
    public Task Per_item_calls_whose_threads_are_bounded_are_not_reported() => Verify.VerifyAnalyzerAsync(
        Usings + """
        sealed class Handler
        {
            static void Process(string message) { }
            public void Handle(string message) => new Thread(() => Process(message)).Start();
        }

        class Receiver
        {
            private readonly Handler _handler = new();

            public void Fixed()
            {
                for (int i = 0; i < 4; i++)
                    _handler.Handle(i.ToString());
                foreach (var name in new[] { "in", "out" })
                    _handler.Handle(name);
                for (int i = 0; i < Environment.ProcessorCount; i++)
                    _handler.Handle("worker");
            }
        }
        """);

    [Fact]
    public Task A_start_behind_a_limiter_that_the_thread_releases_is_not_reported() => Verify.VerifyAnalyzerAsync(
        Usings + """
        sealed class Throttled
        {
            private readonly SemaphoreSlim _slots = new(8, 8);

            static void Process(string message) { }

            public void Handle(string message)
            {
                _slots.Wait();
                new Thread(() =>
                {
                    try { Process(message); }
                    finally { _slots.Release(); }
                }).Start();
            }

            public void Pump(BlockingCollection<string> inbox)
            {
                foreach (var message in inbox.GetConsumingEnumerable())
                    Handle(message);
            }

            public void PumpHere(BlockingCollection<string> inbox)
            {
                foreach (var message in inbox.GetConsumingEnumerable())
                {
                    _slots.Wait();
                    var thread = new Thread(() => Run(message));
                    thread.Start();
                }
            }

            private void Run(string message)
            {
                try { Process(message); }
                finally { _slots.Release(); }
            }

            public void PumpThrottledAtTheCall(BlockingCollection<string> inbox, Spawner spawner)
            {
                foreach (var message in inbox.GetConsumingEnumerable())
                {
                    _slots.Wait();
                    spawner.Spawn(message, _slots);
                }
            }
        }

        sealed class Spawner
        {
            public void Spawn(string message, SemaphoreSlim slots) => new Thread(() =>
            {
                try { Console.WriteLine(message); }
                finally { slots.Release(); }
            }).Start();
        }
        """);

    [Fact]
    public Task A_limiter_the_starter_gives_back_itself_bounds_nothing_and_is_reported() => Verify.VerifyAnalyzerAsync(
        Usings + """
        sealed class Throttled
        {
            private readonly SemaphoreSlim _slots = new(8, 8);

            static void Process(string message) { }

            public void Pump(BlockingCollection<string> inbox)
            {
                {|#1:foreach (var message in inbox.GetConsumingEnumerable())
                {
                    _slots.Wait();
                    try
                    {
                        {|#0:new Thread(() => Process(message)).Start()|};
                    }
                    finally
                    {
                        _slots.Release();
                    }
                }|}
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithLocation(1).WithArguments("Thread.Start", "message"));

    [Fact]
    public Task A_consumer_started_once_and_fed_per_message_is_not_reported() => Verify.VerifyAnalyzerAsync(
        Usings + """
        sealed class Consumer
        {
            private readonly System.Threading.Channels.Channel<string> _queue = System.Threading.Channels.Channel.CreateUnbounded<string>();
            private readonly Thread _thread;
            private int _started;
            private bool _running;

            public Consumer() => _thread = new Thread(Drain) { IsBackground = true };

            public void Post(string message)
            {
                EnsureStarted();
                StartIfIdle();
                _queue.Writer.TryWrite(message);
            }

            private void EnsureStarted()
            {
                if (Interlocked.Exchange(ref _started, 1) == 1)
                    return;
                _thread.Start();
            }

            private void StartIfIdle()
            {
                if (_running)
                    return;
                _running = true;
                new Thread(Drain).Start();
            }

            private void Drain()
            {
                while (_queue.Reader.TryRead(out var message))
                    Console.WriteLine(message);
            }
        }

        class Receiver
        {
            private readonly Consumer _consumer = new();

            public void Pump(TextReader reader)
            {
                var consumer = new Consumer();
                string? line;
                while ((line = reader.ReadLine()) != null)
                {
                    _consumer.Post(line);
                    consumer.Post(line);
                }
            }
        }
        """);
}
