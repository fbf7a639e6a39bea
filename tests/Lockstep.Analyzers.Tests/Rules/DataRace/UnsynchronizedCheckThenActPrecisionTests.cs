using System.Threading.Tasks;
using Xunit;
using ReadModifyWriteVerify = Lockstep.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    Lockstep.Analyzers.Rules.DataRace.UnsynchronizedReadModifyWriteAnalyzer,
    Lockstep.Analyzers.Rules.DataRace.UnsynchronizedReadModifyWriteFixer>;
using Verify = Lockstep.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    Lockstep.Analyzers.Rules.DataRace.UnsynchronizedCheckThenActAnalyzer,
    Lockstep.Analyzers.Rules.DataRace.UnsynchronizedCheckThenActFixer>;

namespace Lockstep.Analyzers.Tests.Rules.DataRace;

/// <summary>
/// LS1002 on lazy initialisation as real libraries write it: racing initialisers of an immutable value lose nothing;
/// racing initialisers of something mutable or disposable do.
/// </summary>
public sealed class UnsynchronizedCheckThenActPrecisionTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;

        """;

    [Fact]
    public Task Lazy_initialisation_of_an_immutable_value_is_idempotent() => Verify.VerifyAnalyzerAsync(
        Usings + """
        sealed class Endpoint
        {
            public Endpoint(string host) => Host = host;
            public string Host { get; }
        }
        enum Mode { Unknown, Fast, Safe }
        static class Settings
        {
            private static string? s_version;
            private static Endpoint? s_default;
            private static Mode s_mode;
            private static bool? s_supportsDatabases;
            private static Task<int>? s_zero;

            public static Task<int> Zero => s_zero ??= Task.FromResult(0);
            public static string Version => s_version ??= typeof(Settings).Assembly.GetName().Version!.ToString();
            public static Endpoint Default
            {
                get
                {
                    if (s_default == null)
                        s_default = new Endpoint("localhost");
                    return s_default;
                }
            }

            public static Mode CurrentMode()
            {
                if (s_mode == default)
                    s_mode = Environment.ProcessorCount > 1 ? Mode.Fast : Mode.Safe;
                return s_mode;
            }

            public static bool SupportsDatabases()
            {
                if (!s_supportsDatabases.HasValue)
                    s_supportsDatabases = Environment.ProcessorCount > 0;
                return s_supportsDatabases.Value;
            }

            public static void Start()
            {
                for (int i = 0; i < 4; i++)
                    new Thread(() => { _ = Version; _ = Default; _ = CurrentMode(); _ = SupportsDatabases(); _ = Zero; }).Start();
            }
        }
        """);

    [Fact]
    public Task Lazy_creation_of_something_mutable_or_disposable_is_still_reported() => Verify.VerifyAnalyzerAsync(
        Usings + """
        static class Pool
        {
            private static List<int>? s_items;
            private static Stream? s_log;

            public static void Add(int item)
            {
                // Two threads can each create a list; the item added to the losing one is lost.
                if ([|s_items == null|])
                    s_items = new List<int>();
                s_items.Add(item);
            }

            // Two threads can each open a stream; the loser's is never closed.
            public static Stream Log => [|s_log ??= new MemoryStream()|];

            public static void Start()
            {
                for (int i = 0; i < 4; i++)
                {
                    int item = i;
                    new Thread(() => { Add(item); _ = Log; }).Start();
                }
            }
        }
        """);

    [Fact]
    public Task Keeping_the_first_of_existing_values_creates_nothing_to_lose() => Verify.VerifyAnalyzerAsync(
        Usings + """
        sealed class Health
        {
            private Exception? _firstError;
            public void Fail(Exception error) => _firstError ??= error;
            public void Start() { for (int i = 0; i < 2; i++) new Thread(() => Fail(new InvalidOperationException())).Start(); }
        }
        """);

    [Fact]
    public Task Double_checked_locking_rechecks_under_the_lock() => Verify.VerifyAnalyzerAsync(
        Usings + """
        sealed class Gateways
        {
            private readonly object _sync = new();
            private List<string> _live = new();
            private readonly List<string> _known = new() { "a" };

            // The unlocked check only skips the lock on the fast path; the change is decided again under the lock.
            public List<string> Live()
            {
                if (_live.Count == 0)
                {
                    lock (_sync)
                    {
                        if (_live.Count == 0)
                            _live = new List<string>(_known);
                    }
                }

                return _live;
            }

            public void Start() { for (int i = 0; i < 2; i++) new Thread(() => Live()).Start(); }
        }
        """);

    [Fact]
    public Task A_recheck_under_the_lock_by_an_early_return_or_a_fresh_read_counts_too() => Verify.VerifyAnalyzerAsync(
        Usings + """
        sealed class Registry
        {
            private readonly object _sync = new();
            private bool _loaded;
            private bool _closing;
            private long _version;
            private readonly Dictionary<string, long> _seen = new();

            // The unlocked test skips the lock when there is nothing to do; under the lock the state is read again and
            // the method leaves when another thread got there first.
            public void Close()
            {
                if (!_closing && _loaded)
                {
                    lock (_sync)
                    {
                        if (_closing || !_loaded)
                            return;
                        _loaded = false;
                        _closing = true;
                    }
                }
            }

            // The version decided on is the one read under the lock.
            public void Touch(string key, long seen)
            {
                if (seen != _version)
                {
                    lock (_sync)
                    {
                        var version = _version;
                        _seen[key] = version;
                        _version = version + 1;
                    }
                }
            }

            public void Load() { lock (_sync) { _loaded = true; } }
            public void Start() { for (int i = 0; i < 2; i++) new Thread(() => { Load(); Touch("a", 1); Close(); }).Start(); }
        }
        """);

    [Fact]
    public Task A_cache_filled_through_a_replaced_local_is_not_an_update() => ReadModifyWriteVerify.VerifyAnalyzerAsync(
        // The local is replaced before the write-back: the write does not carry the value read, so no update is lost.
        // Racing callers parse the same rule twice at worst.
        Usings + """
        sealed class Schedule
        {
            private readonly string _text = "daily";
            private volatile string[]? _parsed;

            public string[] Parsed()
            {
                var parsed = _parsed;
                if (parsed == null)
                {
                    parsed = _text.Split(',');
                    _parsed = parsed;
                }

                return parsed;
            }

            public void Start() { for (int i = 0; i < 2; i++) new Thread(() => Parsed()).Start(); }
        }
        """);

    [Fact]
    public Task Lazily_fetching_an_existing_object_is_a_suggestion_creating_a_disposable_one_is_a_warning() => Verify.VerifyAnalyzerAsync(
        Usings + """
        interface IServices { object Get(Type type); }
        sealed class Bridge : IDisposable { public void Dispose() { } }
        sealed class Endpoint
        {
            private readonly IServices _services;
            private object? _target;
            private Bridge? _bridge;
            public Endpoint(IServices services) => _services = services;

            // Racing callers fetch the same registered object twice at worst.
            public object Target() => {|#0:_target ??= _services.Get(typeof(object))|};

            // Racing callers each create a bridge; the loser's is never disposed.
            public Bridge Connect() => {|#1:_bridge ??= CreateBridge()|};
            private static Bridge CreateBridge() { var bridge = new Bridge(); return bridge; }

            public void Start() { for (int i = 0; i < 2; i++) new Thread(() => { Target(); Connect(); }).Start(); }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithSeverity(Microsoft.CodeAnalysis.DiagnosticSeverity.Info).WithArguments("_target", "threads started at line 22"),
        Verify.Diagnostic().WithLocation(1).WithArguments("_bridge", "threads started at line 22"));
}
