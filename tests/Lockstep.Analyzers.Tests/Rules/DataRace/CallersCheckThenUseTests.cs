using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Xunit;
using CheckVerify = Lockstep.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    Lockstep.Analyzers.Rules.DataRace.UnsynchronizedCheckThenActAnalyzer,
    Lockstep.Analyzers.Rules.DataRace.UnsynchronizedCheckThenActFixer>;
using CollectionVerify = Lockstep.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    Lockstep.Analyzers.Rules.DataRace.NonThreadSafeCollectionMutatedConcurrentlyAnalyzer,
    Lockstep.Analyzers.Rules.DataRace.NonThreadSafeCollectionMutatedConcurrentlyFixer>;

namespace Lockstep.Analyzers.Tests.Rules.DataRace;

/// <summary>
/// Concurrency from callers, the reads that break when another member changes the location: a field checked for null
/// and read again to be used (LS1002), and a collection walked outside the lock under which other members change it
/// (LS1003). A Warning when the type shows it guards the location (the breaking change is made under the type's own lock,
/// or the field is volatile); a suggestion against an unlocked change.
/// </summary>
public sealed class CallersCheckThenUseTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading;

        """;

    /// <summary>The reader's member and the member whose change breaks the read, as the message names them.</summary>
    private static string Origin(string member, string changer) => $"concurrent calls of '{member}' and by concurrent calls of '{changer}'";

    private static DiagnosticResult Check(int location, string field, string member, string changer, DiagnosticSeverity severity = DiagnosticSeverity.Warning) =>
        CheckVerify.Diagnostic().WithLocation(location).WithSeverity(severity).WithArguments(field, Origin(member, changer));

    private static DiagnosticResult Walk(int location, string field, string type, string member, string changer, DiagnosticSeverity severity = DiagnosticSeverity.Warning) =>
        CollectionVerify.Diagnostic().WithLocation(location).WithSeverity(severity).WithArguments(field, type, Origin(member, changer));

    // ---- Null check then use ----

    [Fact]
    public Task A_null_check_then_use_outside_the_lock_that_clears_the_field_is_a_warning_and_reads_once() => CheckVerify.VerifyCodeFixAsync(
        Usings + """
        public sealed class Channel
        {
            private readonly object _sync = new();
            private Action<int>? _handler;
            private Connection? _connection;

            public void Attach(Action<int> handler, Connection connection) { lock (_sync) { _handler = handler; _connection = connection; } }
            public void Close() { lock (_sync) { _handler = null; _connection = null; } }

            public void Raise(int value)
            {
                if ({|#0:_handler != null|})
                    _handler(value);
            }

            public bool IsOpen
            {
                get
                {
                    return {|#1:this._connection is not null|} && this._connection.IsOpen;
                }
            }

            public int Describe()
            {
                int id = {|#2:_connection != null|} ? _connection.Id : 0;
                return id;
            }
        }

        public sealed class Connection
        {
            public int Id { get; set; }
            public bool IsOpen { get; set; }
        }
        """,
        new[] { Check(0, "_handler", "Channel.Raise", "Channel.Close"), Check(1, "_connection", "Channel.IsOpen", "Channel.Close"), Check(2, "_connection", "Channel.Describe", "Channel.Close") },
        Usings + """
        public sealed class Channel
        {
            private readonly object _sync = new();
            private Action<int>? _handler;
            private Connection? _connection;

            public void Attach(Action<int> handler, Connection connection) { lock (_sync) { _handler = handler; _connection = connection; } }
            public void Close() { lock (_sync) { _handler = null; _connection = null; } }

            public void Raise(int value)
            {
                var handler = _handler;
                if (handler != null)
                    handler(value);
            }

            public bool IsOpen
            {
                get
                {
                    var connection = this._connection;
                    return connection is not null && connection.IsOpen;
                }
            }

            public int Describe()
            {
                var connection = _connection;
                int id = connection != null ? connection.Id : 0;
                return id;
            }
        }

        public sealed class Connection
        {
            public int Id { get; set; }
            public bool IsOpen { get; set; }
        }
        """);

    [Fact]
    public Task Other_shapes_are_reported_lambda_local_function_static_through_a_call_and_an_interface() => CheckVerify.VerifyCodeFixAsync(
        Usings + """
        public interface ISink { void Send(string message); }

        public sealed class Relay : ISink
        {
            private static readonly object s_sync = new();
            private static ISink? s_fallback;
            private readonly object _sync = new();
            private ISink? _target;

            public static void SetFallback(ISink sink) { lock (s_sync) { s_fallback = sink; } }
            public static void ClearFallback() { lock (s_sync) { s_fallback = null; } }
            public void Connect(ISink target) { lock (_sync) { _target = target; } }
            public void Disconnect() { lock (_sync) { _target = null; } }

            // Through the interface: callers of ISink.Send reach this private helper.
            void ISink.Send(string message) => Forward(message);

            private void Forward(string message)
            {
                if ({|#0:_target != null|})
                    _target.Send(message);
            }

            public static void SendFallback(string message)
            {
                if ({|#1:s_fallback != null|})
                    s_fallback.Send(message);
            }

        }

        public sealed class Pump
        {
            private readonly object _sync = new();
            private Action<string>? _sink;
            public void Attach(Action<string> sink) { lock (_sync) { _sink = sink; } }
            public void Detach() { lock (_sync) { _sink = null; } }

            public void SendAll(string[] messages)
            {
                // Started work: its lambda runs alongside the callers of Detach.
                System.Threading.Tasks.Task.Run(() =>
                {
                    foreach (var message in messages)
                    {
                        if ({|#2:_sink != null|})
                            _sink(message);
                    }
                });
            }
        }

        public sealed class Relay2
        {
            private readonly object _sync = new();
            private ISink? _target;
            public void Connect(ISink target) { lock (_sync) { _target = target; } }
            public void Disconnect() { lock (_sync) { _target = null; } }

            public void SendTwice(string message)
            {
                Send();
                Send();

                void Send()
                {
                    if ({|#3:_target != null|})
                        _target.Send(message);
                }
            }
        }
        """,
        new[]
        {
            Check(0, "_target", "Relay.ISink.Send", "Relay.Disconnect"),
            Check(1, "s_fallback", "Relay.SendFallback", "Relay.ClearFallback"),
            CheckVerify.Diagnostic().WithLocation(2).WithSeverity(DiagnosticSeverity.Warning).WithArguments("_sink", "the task started at line 46 and by concurrent calls of 'Pump.Detach'"),
            Check(3, "_target", "Relay2.SendTwice", "Relay2.Disconnect"),
        },
        Usings + """
        public interface ISink { void Send(string message); }

        public sealed class Relay : ISink
        {
            private static readonly object s_sync = new();
            private static ISink? s_fallback;
            private readonly object _sync = new();
            private ISink? _target;

            public static void SetFallback(ISink sink) { lock (s_sync) { s_fallback = sink; } }
            public static void ClearFallback() { lock (s_sync) { s_fallback = null; } }
            public void Connect(ISink target) { lock (_sync) { _target = target; } }
            public void Disconnect() { lock (_sync) { _target = null; } }

            // Through the interface: callers of ISink.Send reach this private helper.
            void ISink.Send(string message) => Forward(message);

            private void Forward(string message)
            {
                var target = _target;
                if (target != null)
                    target.Send(message);
            }

            public static void SendFallback(string message)
            {
                var fallback = s_fallback;
                if (fallback != null)
                    fallback.Send(message);
            }

        }

        public sealed class Pump
        {
            private readonly object _sync = new();
            private Action<string>? _sink;
            public void Attach(Action<string> sink) { lock (_sync) { _sink = sink; } }
            public void Detach() { lock (_sync) { _sink = null; } }

            public void SendAll(string[] messages)
            {
                // Started work: its lambda runs alongside the callers of Detach.
                System.Threading.Tasks.Task.Run(() =>
                {
                    foreach (var message in messages)
                    {
                        var sink = _sink;
                        if (sink != null)
                            sink(message);
                    }
                });
            }
        }

        public sealed class Relay2
        {
            private readonly object _sync = new();
            private ISink? _target;
            public void Connect(ISink target) { lock (_sync) { _target = target; } }
            public void Disconnect() { lock (_sync) { _target = null; } }

            public void SendTwice(string message)
            {
                Send();
                Send();

                void Send()
                {
                    var target = _target;
                    if (target != null)
                        target.Send(message);
                }
            }
        }
        """);

    [Fact]
    public Task A_check_then_use_in_an_expression_body_is_reported_without_a_fix() => CheckVerify.VerifyNoFixAsync(
        // No statement to declare the local before; turning the member into a block is more than the repair asks for.
        Usings + """
        public sealed class Session
        {
            private volatile Connection? _connection;
            public void Open(Connection connection) => _connection = connection;
            public void Close() => _connection = null;
            public int Id => {|#0:_connection != null|} ? _connection.Id : 0;
            public bool IsOpen() => {|#1:_connection != null|} && _connection.IsOpen;
        }

        public sealed class Lease
        {
            // Cleared atomically: the code treats the field as shared.
            private Connection? _connection;
            public void Take(Connection connection) => Volatile.Write(ref _connection, connection);
            public void Release() => Interlocked.Exchange(ref _connection, null);
            public int Id => {|#2:_connection != null|} ? _connection.Id : 0;
        }

        public sealed class Connection
        {
            public int Id { get; set; }
            public bool IsOpen { get; set; }
        }
        """,
        Check(0, "_connection", "Session.Id", "Session.Close"),
        Check(1, "_connection", "Session.IsOpen", "Session.Close"),
        Check(2, "_connection", "Lease.Id", "Lease.Release"));

    [Fact]
    public Task Against_an_unlocked_clear_the_check_then_use_is_a_suggestion() => CheckVerify.VerifyCodeFixAsync(
        // The type locks for the field's other writes but clears it without the lock: it may leave the order of Reset and
        // Notify to its callers. A suggestion, as for check-then-act found through callers.
        Usings + """
        public sealed class Watcher
        {
            private readonly object _sync = new();
            private Action? _callback;
            public void Watch(Action callback) { lock (_sync) { _callback = callback; } }
            public void Reset() => _callback = null;

            public void Notify()
            {
                if ({|#0:_callback != null|})
                {
                    _callback.Invoke();
                }
            }
        }
        """,
        Check(0, "_callback", "Watcher.Notify", "Watcher.Reset", DiagnosticSeverity.Info),
        Usings + """
        public sealed class Watcher
        {
            private readonly object _sync = new();
            private Action? _callback;
            public void Watch(Action callback) { lock (_sync) { _callback = callback; } }
            public void Reset() => _callback = null;

            public void Notify()
            {
                var callback = _callback;
                if (callback != null)
                {
                    callback.Invoke();
                }
            }
        }
        """);

    [Fact]
    public Task Two_checks_in_one_block_get_two_locals() => CheckVerify.VerifyCodeFixAsync(
        Usings + """
        public sealed class Twice
        {
            private readonly object _sync = new();
            private Action? m_done;
            public void Set(Action done) { lock (_sync) { m_done = done; } }
            public void Clear() { lock (_sync) { m_done = null; } }

            public void Finish()
            {
                if ({|#0:m_done != null|})
                    m_done();
                if ({|#1:m_done != null|})
                    m_done.Invoke();
            }
        }
        """,
        new[] { Check(0, "m_done", "Twice.Finish", "Twice.Clear"), Check(1, "m_done", "Twice.Finish", "Twice.Clear") },
        Usings + """
        public sealed class Twice
        {
            private readonly object _sync = new();
            private Action? m_done;
            public void Set(Action done) { lock (_sync) { m_done = done; } }
            public void Clear() { lock (_sync) { m_done = null; } }

            public void Finish()
            {
                var done = m_done;
                if (done != null)
                    done();
                var done2 = m_done;
                if (done2 != null)
                    done2.Invoke();
            }
        }
        """);

    [Fact]
    public Task Reading_once_is_not_offered_where_it_would_change_what_the_code_does() => CheckVerify.VerifyNoFixAsync(
        // A call before the check could change the field; a loop re-reads it on purpose; a call of the type's own member
        // in between could replace it; an else-if has no block to declare the local in.
        Usings + """
        public sealed class Careful
        {
            private readonly object _sync = new();
            private Worker? _worker;
            public void Start(Worker worker) { lock (_sync) { _worker = worker; } }
            public void Stop() { lock (_sync) { _worker = null; } }
            private bool Ready() => true;

            public void EffectFirst()
            {
                if (Ready() && {|#0:_worker != null|})
                    _worker.Run();
            }

            public void Loop()
            {
                if ({|#1:_worker != null|})
                {
                    for (int i = 0; i < 3; i++)
                        _worker.Run();
                }
            }

            public void OwnCallBetween()
            {
                if ({|#2:_worker != null|})
                {
                    Refresh();
                    _worker.Run();
                }
            }

            private void Refresh() { }

            public void ElseIf(int attempt)
            {
                if (attempt == 0)
                    Refresh();
                else if ({|#3:_worker != null|})
                    _worker.Run();
            }
        }

        public sealed class Worker { public void Run() { } }
        """,
        Check(0, "_worker", "Careful.EffectFirst", "Careful.Stop"),
        Check(1, "_worker", "Careful.Loop", "Careful.Stop"),
        Check(2, "_worker", "Careful.OwnCallBetween", "Careful.Stop"),
        Check(3, "_worker", "Careful.ElseIf", "Careful.Stop"));

    [Fact]
    public Task Null_checks_that_read_once_or_cannot_go_stale_are_quiet() => CheckVerify.VerifyAnalyzerAsync(
        Usings + """
        public sealed class Quiet
        {
            private readonly object _sync = new();
            private readonly Action? _fixed;
            private Action? _handler;
            private Action? _guarded;
            private Action? _setOnly;

            public Quiet(Action? handler) { _fixed = handler; }

            public void Attach(Action handler) { lock (_sync) { _handler = handler; _guarded = handler; _setOnly = handler; } }
            public void Detach() { lock (_sync) { _handler = null; } }
            public void DetachGuarded() { lock (_sync) { _guarded = null; } }

            // Read once into a local: the check and the use see the same value.
            public void Copy() { var handler = _handler; if (handler != null) handler(); }

            // ?. reads once.
            public void Conditional() => _handler?.Invoke();

            // readonly, assigned in the constructor only.
            public void Fixed() { if (_fixed != null) _fixed(); }

            // The check and the use both under the lock that guards every write.
            public void Locked() { lock (_sync) { if (_guarded != null) _guarded(); } }

            // Never set back to null: another value is just as usable.
            public void NeverCleared() { if (_setOnly != null) _setOnly(); }

            // The use is in a lambda: it runs later, and reads the field then.
            public Action Later() { if (_handler != null) return () => _handler?.Invoke(); return () => { }; }

            // Checked again under the lock: the locked check decides.
            public void Rechecked() { if (_guarded != null) { lock (_sync) { if (_guarded != null) _guarded(); } } }
        }

        public sealed class Plain
        {
            // Nothing says this type is for several threads.
            private Action? _handler;
            public void Set(Action? handler) => _handler = handler;
            public void Clear() => _handler = null;
            public void Raise() { if (_handler != null) _handler(); }
        }
        """);

    // ---- Iteration outside the lock ----

    [Fact]
    public Task Walking_a_collection_outside_the_lock_its_changes_take_is_a_warning() => CollectionVerify.VerifyNoFixAsync(
        // Holding the lock for the whole loop would run its body under the lock; which snapshot to take is the author's
        // call, so no fix.
        Usings + """
        public sealed class Subscribers
        {
            private readonly object _sync = new();
            private readonly List<Action> _handlers = new();
            private readonly Dictionary<string, int> _counts = new();
            private static readonly List<string> s_names = new();

            public void Add(Action handler) { lock (_sync) { _handlers.Add(handler); } }
            public void Remove(Action handler) { lock (_sync) { _handlers.Remove(handler); } }
            public void Count(string key) { lock (_sync) { _counts[key] = 1; } }
            public static void Name(string name) { lock (typeof(Subscribers)) { s_names.Add(name); } }

            public void RaiseAll()
            {
                foreach (var handler in {|#0:_handlers|})
                    handler();
            }

            public int Total => {|#1:_counts|}.Values.Sum();

            public string[] Names() => {|#2:_handlers|}.Select(h => h.Method.Name).ToArray();

            public IEnumerable<string> Keys()
            {
                var keys = new List<string>();
                foreach (var key in {|#3:_counts|}.Keys)
                    keys.Add(key);
                return keys;
            }

            public static string Joined() => string.Concat({|#4:s_names|}.Where(n => n.Length > 0));

            public void RaiseLater() => System.Threading.Tasks.Task.Run(() => { foreach (var handler in {|#5:_handlers|}) handler(); });
        }
        """,
        Walk(0, "_handlers", "List<Action>", "Subscribers.RaiseAll", "Subscribers.Add"),
        Walk(1, "_counts", "Dictionary<string, int>", "Subscribers.Total", "Subscribers.Count"),
        Walk(2, "_handlers", "List<Action>", "Subscribers.Names", "Subscribers.Add"),
        Walk(3, "_counts", "Dictionary<string, int>", "Subscribers.Keys", "Subscribers.Count"),
        Walk(4, "s_names", "List<string>", "Subscribers.Joined", "Subscribers.Name"),
        CollectionVerify.Diagnostic().WithLocation(5).WithSeverity(DiagnosticSeverity.Warning).WithArguments("_handlers", "List<Action>", "the task started at line 37 and by concurrent calls of 'Subscribers.Add'"));

    [Fact]
    public Task Walking_a_collection_changed_without_the_lock_is_a_suggestion() => CollectionVerify.VerifyAnalyzerAsync(
        // The lock guards replacing the list, not changing it: the type may leave ordering Write and Length to its callers.
        Usings + """
        public sealed class Journal
        {
            private readonly object _sync = new();
            private List<string> _lines = new();
            public void Reset() { lock (_sync) { _lines = new List<string>(); } }
            public void Write(string line) => {|#0:_lines.Add(line)|};
            public int Length()
            {
                int length = 0;
                foreach (var line in {|#1:_lines|})
                    length += line.Length;
                return length;
            }
        }
        """,
        CollectionVerify.Diagnostic().WithLocation(0).WithSeverity(DiagnosticSeverity.Info).WithArguments("_lines", "List<string>", "concurrent calls of 'Journal.Write'"),
        Walk(1, "_lines", "List<string>", "Journal.Length", "Journal.Write", DiagnosticSeverity.Info));

    [Fact]
    public Task A_walk_by_code_that_takes_the_lock_elsewhere_or_is_told_it_holds_it_is_a_suggestion() => CollectionVerify.VerifyNoFixAsync(
        // Knows takes the lock itself (to load once) and then walks outside it: a choice the code does not explain (the
        // list may be complete once loaded). Count is told by its caller that the lock is held. Both stay suggestions.
        Usings + """
        public sealed class Codecs
        {
            private readonly object _sync = new();
            private readonly List<string> _names = new();
            private bool _loaded;

            public void Register(string name) { lock (_sync) { _names.Add(name); } }

            private void Load()
            {
                lock (_sync)
                {
                    if (_loaded)
                        return;
                    _names.Add("default");
                    _loaded = true;
                }
            }

            public bool Knows(string name)
            {
                if (!_loaded)
                    Load();
                foreach (var known in {|#0:_names|})
                {
                    if (known == name)
                        return true;
                }

                return false;
            }

            public int Count(bool lockHeld)
            {
                if (false == lockHeld)
                    throw new InvalidOperationException("hold the lock");
                int count = 0;
                foreach (var name in {|#1:_names|})
                    count += name.Length;
                return count;
            }
        }
        """,
        Walk(0, "_names", "List<string>", "Codecs.Knows", "Codecs.Register", DiagnosticSeverity.Info),
        Walk(1, "_names", "List<string>", "Codecs.Count", "Codecs.Register", DiagnosticSeverity.Info));

    [Fact]
    public Task Walks_under_the_lock_over_snapshots_or_safe_collections_are_quiet() => CollectionVerify.VerifyAnalyzerAsync(
        Usings + """
        public sealed class Quiet
        {
            private readonly object _sync = new();
            private readonly List<string> _names = new();
            private readonly List<string> _fixedNames;
            private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _counts = new();
            private System.Collections.Immutable.ImmutableList<string> _snapshot = System.Collections.Immutable.ImmutableList<string>.Empty;

            public Quiet(IEnumerable<string> names)
            {
                _fixedNames = new List<string>(names);
                _fixedNames.Add("default");
            }

            public void Add(string name) { lock (_sync) { _names.Add(name); _snapshot = _snapshot.Add(name); } }
            public void Count(string name) => _counts[name] = 1;

            // Under the lock its changes take.
            public int Locked() { lock (_sync) { int n = 0; foreach (var name in _names) n += name.Length; return n; } }

            // A copy taken under the lock, walked outside it.
            public int Copied()
            {
                string[] copy;
                lock (_sync) { copy = _names.ToArray(); }
                int n = 0;
                foreach (var name in copy) n += name.Length;
                return n;
            }

            // Asking the collection directly does not walk it.
            public int Size() => _names.Count();

            // Concurrent and immutable collections, and one changed only while the object is constructed.
            public int Concurrent() { int n = 0; foreach (var pair in _counts) n += pair.Value; return n; }
            public int Immutable() { int n = 0; foreach (var name in _snapshot) n += name.Length; return n; }
            public int Fixed() { int n = 0; foreach (var name in _fixedNames) n += name.Length; return n; }
        }

        public sealed class Plain
        {
            private readonly List<string> _names = new();
            public void Add(string name) => _names.Add(name);
            public int Length() { int n = 0; foreach (var name in _names) n += name.Length; return n; }
        }
        """);

    // ---- The early-exit form: if (_x == null) return; _x.Use(); ----

    [Fact]
    public Task A_use_after_an_early_exit_on_null_is_reported_in_methods_properties_and_static_members() => CheckVerify.VerifyNoFixAsync(
        Usings + """
        public sealed class Session
        {
            private static readonly object Gate = new();
            private static Session? _current;
            private readonly object _sync = new();
            private volatile Connection? _connection;

            public void Open(Connection connection) { lock (_sync) { _connection = connection; } }
            public void Close() { lock (_sync) { _connection = null; } }
            public static void Install(Session session) { lock (Gate) { _current = session; } }
            public static void Uninstall() { lock (Gate) { _current = null; } }

            public void Send(int value)
            {
                if ({|#0:_connection == null|})
                    return;

                _connection.Write(value);
            }

            public int Id
            {
                get
                {
                    if ({|#1:_connection is null|})
                        throw new InvalidOperationException("closed");
                    return _connection.Id;
                }
            }

            public static void Ping()
            {
                if ({|#2:null == _current|})
                    return;
                _current.Send(0);
            }
        }

        public sealed class Connection
        {
            public int Id { get; set; }
            public void Write(int value) { }
        }
        """,
        Check(0, "_connection", "Session.Send", "Session.Close"),
        Check(1, "_connection", "Session.Id", "Session.Close"),
        Check(2, "_current", "Session.Ping", "Session.Uninstall"));

    [Fact]
    public Task An_early_exit_on_null_followed_by_a_local_copy_a_conditional_access_or_a_change_is_quiet() => CheckVerify.VerifyAnalyzerAsync(
        Usings + """
        public sealed class Session
        {
            private readonly object _sync = new();
            private Connection? _connection;

            public void Open(Connection connection) { lock (_sync) { _connection = connection; } }
            public void Close() { lock (_sync) { _connection = null; } }

            public void ReadOnce(int value)
            {
                var connection = _connection;
                if (connection == null)
                    return;
                connection.Write(value);
            }

            public void Conditional(int value)
            {
                if (_connection == null)
                    return;
                _connection?.Write(value);
            }

            public void UnderTheLock(int value)
            {
                lock (_sync)
                {
                    if (_connection == null)
                        return;
                    _connection.Write(value);
                }
            }

            public bool CheckedAgainUnderTheLock()
            {
                if (_connection == null)
                    return false;
                lock (_sync)
                {
                    if (_connection is null || _connection.Id == 0)
                        return false;
                    return true;
                }
            }

            public void NothingAfter()
            {
                if (_connection == null)
                    return;
                Console.WriteLine("open");
            }
        }

        public sealed class Connection
        {
            public int Id { get; set; }
            public void Write(int value) { }
        }
        """);

    // ---- The indexed walk: a bound checked against the count, then an index re-read ----

    [Fact]
    public Task An_indexed_walk_outside_the_lock_that_removes_elements_is_a_warning() => CollectionVerify.VerifyNoFixAsync(
        Usings + """
        public sealed class Registry
        {
            private readonly object _sync = new();
            private readonly List<string> _names = new();

            public void Add(string name) { lock (_sync) { _names.Add(name); } }
            public void Remove(string name) { lock (_sync) { _names.Remove(name); } }

            public int TotalLength()
            {
                int total = 0;
                for (int i = 0; i < _names.Count; i++)
                    total += {|#0:_names|}[i].Length;
                return total;
            }

            public string Last()
            {
                string last = "";
                var count = _names.Count;
                for (int i = 0; i < count; i++)
                    last = {|#1:_names|}[i];
                return last;
            }
        }
        """,
        Walk(0, "_names", "List<string>", "Registry.TotalLength", "Registry.Add"),
        Walk(1, "_names", "List<string>", "Registry.Last", "Registry.Add"));

    [Fact]
    public Task An_indexed_walk_under_the_lock_or_of_a_copy_or_by_a_fixed_index_is_quiet() => CollectionVerify.VerifyAnalyzerAsync(
        Usings + """
        public sealed class Registry
        {
            private readonly object _sync = new();
            private readonly List<string> _names = new();

            public void Add(string name) { lock (_sync) { _names.Add(name); } }
            public void Remove(string name) { lock (_sync) { _names.Remove(name); } }

            public int Locked()
            {
                lock (_sync)
                {
                    int total = 0;
                    for (int i = 0; i < _names.Count; i++)
                        total += _names[i].Length;
                    return total;
                }
            }

            public int OfACopy()
            {
                string[] copy;
                lock (_sync) { copy = _names.ToArray(); }
                int total = 0;
                for (int i = 0; i < copy.Length; i++)
                    total += copy[i].Length;
                return total;
            }
        }
        """);
}
