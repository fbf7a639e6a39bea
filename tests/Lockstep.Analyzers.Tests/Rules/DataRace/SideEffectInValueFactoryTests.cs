using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Xunit;
using Verify = Lockstep.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    Lockstep.Analyzers.Rules.DataRace.SideEffectInValueFactoryAnalyzer,
    Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace Lockstep.Analyzers.Tests.Rules.DataRace;

public sealed class SideEffectInValueFactoryTests
{
    private const string Usings = """
        using System;
        using System.Collections.Concurrent;
        using System.Collections.Generic;
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;

        """;

    private const string Connection = """

        sealed class Connection : IDisposable
        {
            public Connection(string name) { }
            public void Dispose() { }
        }
        """;

    /// <summary>The rule has no code fix: its test code is its fixed code, so every case also asserts that nothing is offered.</summary>
    private static Task VerifyReported(string source) => Verify.VerifyNoFixAsync(Usings + source + Connection);

    private static Task VerifyNoReport(string source) => Verify.VerifyAnalyzerAsync(Usings + source + Connection);

    [Fact]
    public Task Lambda_creating_a_disposable_value_is_reported() => VerifyReported(
        """
        sealed class Pool
        {
            private readonly ConcurrentDictionary<string, Connection> _connections = new();

            public Connection Get(string name) => _connections.GetOrAdd(name, [|n => new Connection(n)|]);
        }
        """);

    [Fact]
    public Task Message_names_the_call_and_the_effect() => Verify.VerifyCodeFixAsync(
        Usings + """
        sealed class Pool
        {
            private readonly ConcurrentDictionary<string, Connection> _connections = new();

            public Connection Get(string name) => _connections.GetOrAdd(name, {|#0:n => new Connection(n)|});
        }
        """ + Connection,
        Verify.Diagnostic().WithLocation(0).WithSeverity(DiagnosticSeverity.Warning).WithArguments("GetOrAdd", "creates 'Connection', which must be disposed", ""),
        Usings + """
        sealed class Pool
        {
            private readonly ConcurrentDictionary<string, Connection> _connections = new();

            public Connection Get(string name) => _connections.GetOrAdd(name, {|#0:n => new Connection(n)|});
        }
        """ + Connection);

    [Fact]
    public Task Static_method_group_creating_a_disposable_is_reported() => VerifyReported(
        """
        static class Pool
        {
            private static readonly ConcurrentDictionary<string, Connection> s_connections = new();

            public static Connection Get(string name) => s_connections.GetOrAdd(name, [|Open|]);

            private static Connection Open(string name) => new Connection(name);
        }
        """);

    [Fact]
    public Task Instance_method_group_starting_a_timer_is_reported() => VerifyReported(
        """
        sealed class Heartbeats
        {
            private readonly ConcurrentDictionary<string, Timer> _timers = new();

            public void Watch(string peer) => _timers.GetOrAdd(peer, [|StartTimer|]);

            private Timer StartTimer(string peer) => new Timer(_ => Ping(peer), null, 0, 1000);

            private void Ping(string peer) { }
        }
        """);

    [Fact]
    public Task Local_function_factory_is_reported() => VerifyReported(
        """
        sealed class Pool
        {
            private readonly ConcurrentDictionary<string, Connection> _connections = new();

            public Connection Get(string name)
            {
                return _connections.GetOrAdd(name, [|Create|]);

                static Connection Create(string key) => new Connection(key);
            }
        }
        """);

    [Fact]
    public Task Factory_with_an_argument_is_reported() => VerifyReported(
        """
        sealed class Pool
        {
            private readonly ConcurrentDictionary<string, Connection> _connections = new();

            public Connection Get(string name, string suffix) => _connections.GetOrAdd(name, [|(n, s) => new Connection(n + s)|], suffix);
        }
        """);

    [Fact]
    public Task AddOrUpdate_factories_are_reported() => VerifyReported(
        """
        sealed class Pool
        {
            private readonly ConcurrentDictionary<string, Connection> _connections = new();

            public void Reset(string name) => _connections.AddOrUpdate(name, [|n => new Connection(n)|], [|(n, old) => new Connection(n)|]);
        }
        """);

    [Fact]
    public Task Factory_starting_a_thread_is_reported() => VerifyReported(
        """
        sealed class Workers
        {
            private readonly ConcurrentDictionary<int, Thread> _workers = new();

            public Thread For(int id) => _workers.GetOrAdd(id, [|i =>
            {
                var thread = new Thread(() => Work(i));
                thread.Start();
                return thread;
            }|]);

            private static void Work(int i) { }
        }
        """);

    [Fact]
    public Task Factory_registering_on_a_token_is_reported() => VerifyReported(
        """
        sealed class Waiters
        {
            private readonly ConcurrentDictionary<int, TaskCompletionSource<bool>> _waiters = new();
            private readonly CancellationToken _stopping;

            public Waiters(CancellationToken stopping) => _stopping = stopping;

            public Task<bool> WaitFor(int id) => _waiters.GetOrAdd(id, [|i =>
            {
                var source = new TaskCompletionSource<bool>();
                _stopping.Register(() => source.TrySetCanceled());
                return source;
            }|]).Task;
        }
        """);

    [Fact]
    public Task Factory_subscribing_to_an_event_of_a_long_lived_object_is_reported() => VerifyReported(
        """
        sealed class Bus { public event EventHandler? Changed; public void Raise() => Changed?.Invoke(this, EventArgs.Empty); }

        sealed class Views
        {
            private readonly ConcurrentDictionary<string, View> _views = new();
            private readonly Bus _bus = new();

            public View Get(string name) => _views.GetOrAdd(name, [|n =>
            {
                var view = new View();
                _bus.Changed += view.OnChanged;
                return view;
            }|]);
        }

        sealed class View { public void OnChanged(object? sender, EventArgs e) { } }
        """);

    [Fact]
    public Task Factory_adding_to_another_collection_is_reported() => VerifyReported(
        """
        sealed class Registry
        {
            private readonly ConcurrentDictionary<string, object> _byName = new();
            private readonly ConcurrentQueue<object> _all = new();

            public object Get(string name) => _byName.GetOrAdd(name, [|n =>
            {
                var item = new object();
                _all.Enqueue(item);
                return item;
            }|]);
        }
        """);

    [Fact]
    public Task Factory_reaching_a_disposable_through_a_helper_is_reported() => VerifyReported(
        """
        sealed class Pool
        {
            private readonly ConcurrentDictionary<string, Connection> _connections = new();

            public Connection Get(string name) => _connections.GetOrAdd(name, [|n => Open(n.Trim())|]);

            private static Connection Open(string name) => Connect(name);

            private static Connection Connect(string name)
            {
                var connection = new Connection(name);
                return connection;
            }
        }
        """);

    [Fact]
    public Task Factory_reaching_a_disposable_through_an_interface_with_one_implementation_is_reported() => VerifyReported(
        """
        interface IConnector { Connection Connect(string name); }

        sealed class Connector : IConnector
        {
            public Connection Connect(string name) => new Connection(name);
        }

        sealed class Pool
        {
            private readonly ConcurrentDictionary<string, Connection> _connections = new();
            private readonly IConnector _connector;

            public Pool(IConnector connector) => _connector = connector;

            public Connection Get(string name) => _connections.GetOrAdd(name, [|n => _connector.Connect(n)|]);
        }
        """);

    [Fact]
    public Task Effect_deeper_than_two_calls_is_a_suggestion() => Verify.VerifyCodeFixAsync(
        Usings + """
        sealed class Pool
        {
            private readonly ConcurrentDictionary<string, Connection> _connections = new();

            public Connection Get(string name) => _connections.GetOrAdd(name, {|#0:n => A(n)|});

            private static Connection A(string n) => B(n);
            private static Connection B(string n) => C(n);
            private static Connection C(string n) => new Connection(n);
        }
        """ + Connection,
        Verify.Diagnostic().WithLocation(0).WithSeverity(DiagnosticSeverity.Info).WithArguments("GetOrAdd", "creates 'Connection', which must be disposed", " (through A → B → C)"),
        Usings + """
        sealed class Pool
        {
            private readonly ConcurrentDictionary<string, Connection> _connections = new();

            public Connection Get(string name) => _connections.GetOrAdd(name, {|#0:n => A(n)|});

            private static Connection A(string n) => B(n);
            private static Connection B(string n) => C(n);
            private static Connection C(string n) => new Connection(n);
        }
        """ + Connection);

    [Fact]
    public Task Cheap_and_pure_factories_are_not_reported() => VerifyNoReport(
        """
        sealed class Caches
        {
            private readonly ConcurrentDictionary<string, List<int>> _lists = new();
            private readonly ConcurrentDictionary<string, object> _locks = new();
            private readonly ConcurrentDictionary<int, string> _names = new();
            private readonly ConcurrentDictionary<string, int> _lengths = new();
            private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new();
            private readonly ConcurrentDictionary<string, Version> _versions = new();

            public void Use(string key, int id)
            {
                _lists.GetOrAdd(key, _ => new List<int>());
                _locks.GetOrAdd(key, _ => new object());
                _names.GetOrAdd(id, i => i.ToString());
                _lengths.AddOrUpdate(key, k => k.Length, (k, old) => old + 1);
                _gates.GetOrAdd(key, _ => new SemaphoreSlim(1, 1));
                _versions.GetOrAdd(key, k => new Version(1, k.Length));
            }
        }
        """);

    [Fact]
    public Task Lazy_values_are_not_reported() => VerifyNoReport(
        """
        sealed class Pool
        {
            private readonly ConcurrentDictionary<string, Lazy<Connection>> _connections = new();

            public Connection Get(string name) =>
                _connections.GetOrAdd(name, n => new Lazy<Connection>(() => new Connection(n), LazyThreadSafetyMode.ExecutionAndPublication)).Value;

            public Connection GetThroughMethod(string name) => _connections.GetOrAdd(name, Wrap).Value;

            private static Lazy<Connection> Wrap(string name) => new Lazy<Connection>(() => new Connection(name));
        }
        """);

    [Fact]
    public Task Disposable_used_and_disposed_inside_the_factory_is_not_reported() => VerifyNoReport(
        """
        sealed class Sizes
        {
            private readonly ConcurrentDictionary<string, string> _firstLines = new();
            private readonly ConcurrentDictionary<string, int> _counts = new();

            public string FirstLine(string path) => _firstLines.GetOrAdd(path, p =>
            {
                using var reader = new StreamReader(new FileStream(p, FileMode.Open));
                return reader.ReadLine() ?? "";
            });

            public int Count(string name) => _counts.GetOrAdd(name, n =>
            {
                var connection = new Connection(n);
                try { return n.Length; }
                finally { connection.Dispose(); }
            });

            public int CountWithUsingStatement(string name) => _counts.GetOrAdd(name, n =>
            {
                using (var connection = new Connection(n))
                    return n.Length;
            });
        }
        """);

    [Fact]
    public Task Immutable_values_are_not_reported() => VerifyNoReport(
        """
        sealed class Point
        {
            public Point(int x, int y) { X = x; Y = y; }
            public int X { get; }
            public int Y { get; }
        }

        sealed class Points
        {
            private readonly ConcurrentDictionary<int, Point> _points = new();
            private readonly ConcurrentDictionary<string, Uri> _uris = new();

            public Point Get(int i) => _points.GetOrAdd(i, k => new Point(k, k * 2));

            public Uri Parse(string text) => _uris.GetOrAdd(text, t => new Uri(t));
        }
        """);

    [Fact]
    public Task Plain_dictionary_is_not_this_rule() => VerifyNoReport(
        """
        sealed class Pool
        {
            private readonly Dictionary<string, Connection> _connections = new();

            public Connection Get(string name)
            {
                if (!_connections.TryGetValue(name, out var connection))
                    _connections[name] = connection = new Connection(name);
                return connection;
            }
        }
        """);

    [Fact]
    public Task Value_given_directly_is_not_a_factory() => VerifyNoReport(
        """
        sealed class Pool
        {
            private readonly ConcurrentDictionary<string, Connection> _connections = new();

            public Connection Get(string name, Connection made) => _connections.GetOrAdd(name, made);
        }
        """);

    [Fact]
    public Task Subscribing_to_the_new_object_own_event_is_not_reported() => VerifyNoReport(
        """
        sealed class Item { public event EventHandler? Changed; public void Raise() => Changed?.Invoke(this, EventArgs.Empty); }

        sealed class Items
        {
            private readonly ConcurrentDictionary<string, Item> _items = new();

            public Item Get(string name) => _items.GetOrAdd(name, n =>
            {
                var item = new Item();
                item.Changed += OnChanged;
                return item;
            });

            private static void OnChanged(object? sender, EventArgs e) { }
        }
        """);

    [Fact]
    public Task Disposable_a_helper_returns_to_a_using_is_not_reported() => VerifyNoReport(
        """
        sealed class Settings
        {
            private readonly ConcurrentDictionary<string, string> _values = new();

            public string Get(string path) => _values.GetOrAdd(path, Read);

            private static string Read(string path)
            {
                using var stream = Open(path);
                using var reader = new StreamReader(stream);
                return reader.ReadToEnd();
            }

            private static Stream Open(string path) => new FileStream(path, FileMode.Open);
        }
        """);

    [Fact]
    public Task Disposable_a_helper_keeps_in_a_static_field_is_reported() => VerifyReported(
        """
        static class Logs
        {
            private static readonly ConcurrentDictionary<string, string> s_names = new();
            private static Connection? s_last;

            public static string Name(string key) => s_names.GetOrAdd(key, [|k => Remember(k)|]);

            private static string Remember(string key)
            {
                s_last = new Connection(key);
                return key;
            }
        }
        """);

    [Fact]
    public Task Async_factory_returning_a_disposable_through_an_await_is_reported() => VerifyReported(
        """
        sealed class Pool
        {
            private readonly ConcurrentDictionary<string, Task<Connection>> _connections = new();

            public Task<Connection> Get(string name) => _connections.GetOrAdd(name, [|OpenAsync|]);

            private static async Task<Connection> OpenAsync(string name)
            {
                await Task.Yield();
                return new Connection(name);
            }
        }
        """);
}
