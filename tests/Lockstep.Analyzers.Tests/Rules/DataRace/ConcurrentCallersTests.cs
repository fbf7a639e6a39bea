using System.Threading.Tasks;
using Xunit;
using CheckVerify = Lockstep.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    Lockstep.Analyzers.Rules.DataRace.UnsynchronizedCheckThenActAnalyzer,
    Lockstep.Analyzers.Rules.DataRace.UnsynchronizedCheckThenActFixer>;
using CollectionVerify = Lockstep.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    Lockstep.Analyzers.Rules.DataRace.NonThreadSafeCollectionMutatedConcurrentlyAnalyzer,
    Lockstep.Analyzers.Rules.DataRace.NonThreadSafeCollectionMutatedConcurrentlyFixer>;
using Verify = Lockstep.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    Lockstep.Analyzers.Rules.DataRace.UnsynchronizedReadModifyWriteAnalyzer,
    Lockstep.Analyzers.Rules.DataRace.UnsynchronizedReadModifyWriteFixer>;

namespace Lockstep.Analyzers.Tests.Rules.DataRace;

/// <summary>
/// Concurrency from callers: a type that shows it is meant for several threads (it locks, holds a concurrent collection,
/// uses Interlocked or volatile, says it is thread-safe) has members its callers may run at the same time. A library
/// rarely starts its own threads; this is where its races are. Reported where the type itself shows the location is
/// shared: a read-modify-write outside the lock that guards the location's other writes, or of a volatile field.
/// </summary>
public sealed class ConcurrentCallersTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Threading;

        """;

    [Fact]
    public Task An_update_outside_the_lock_that_guards_the_other_writes_races_with_the_callers() => Verify.VerifyAnalyzerAsync(
        Usings + """
        public sealed class Meter
        {
            private readonly object _sync = new();
            private long _total;
            private static long s_instances;

            public void Add(long amount) { lock (_sync) { _total += amount; } }
            public void Subtract(long amount) { lock (_sync) { _total -= amount; } }
            public void Undo(long amount) => {|#0:_total -= amount|};
            public long Total { get { lock (_sync) { return _total; } } }
            public static void Created() { lock (typeof(Meter)) { s_instances++; } }
            public static void Reset() { lock (typeof(Meter)) { s_instances = 0; } }
            public static void Dropped() => Forget();
            private static void Forget() => {|#1:s_instances--|};
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithArguments("_total", "updated", "concurrent calls of 'Meter.Undo'"),
        Verify.Diagnostic().WithLocation(1).WithArguments("s_instances", "decremented", "concurrent calls of 'Meter.Dropped'"));

    [Fact]
    public Task A_single_locked_write_among_unlocked_ones_is_only_a_suggestion() => Verify.VerifyAnalyzerAsync(
        // One locked write may belong to another concern (a cancellation path); the type does not show that the lock
        // guards this field, so the race its callers could cause is reported as Info.
        Usings + """
        public sealed class Connector
        {
            private readonly object _cancel = new();
            private int _resets;
            public void Cancel() { lock (_cancel) { _resets = 0; } }
            public void Reset() => {|#0:_resets++|};
            public void ResetTwice() { {|#1:_resets += 2|}; }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithSeverity(Microsoft.CodeAnalysis.DiagnosticSeverity.Info).WithArguments("_resets", "incremented", "concurrent calls of 'Connector.Reset'"),
        Verify.Diagnostic().WithLocation(1).WithSeverity(Microsoft.CodeAnalysis.DiagnosticSeverity.Info).WithArguments("_resets", "updated", "concurrent calls of 'Connector.ResetTwice'"));

    [Fact]
    public Task Handlers_combined_outside_the_lock_lose_subscriptions() => Verify.VerifyAnalyzerAsync(
        Usings + """
        public sealed class Notifier
        {
            private readonly object _sync = new();
            private Action? _handlers;

            public void Subscribe(Action handler) => {|#0:_handlers += handler|};
            public void Unsubscribe(Action handler) { lock (_sync) { _handlers -= handler; } }
            public void Clear() { lock (_sync) { _handlers = null; } }
            public void Raise() => _handlers?.Invoke();
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithArguments("_handlers", "updated", "concurrent calls of 'Notifier.Subscribe'"));

    [Fact]
    public Task A_volatile_field_updated_by_read_modify_write_loses_updates() => Verify.VerifyAnalyzerAsync(
        Usings + """
        public sealed class Endpoint
        {
            private volatile int _unusable;
            public void Mark(int reasons) => {|#0:_unusable |= reasons|};
            public void Clear(int reasons) => {|#1:_unusable &= ~reasons|};
            public bool IsUsable => _unusable == 0;
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithArguments("_unusable", "updated", "concurrent calls of 'Endpoint.Mark'"),
        Verify.Diagnostic().WithLocation(1).WithArguments("_unusable", "updated", "concurrent calls of 'Endpoint.Clear'"));

    [Fact]
    public Task A_check_then_act_on_lock_free_state_is_only_a_suggestion() => CheckVerify.VerifyAnalyzerAsync(
        // Volatile or atomically swapped state without a lock is, in real libraries, mostly deliberate: a best-effort flag
        // or a reference replaced whole, whose author accepted the interleavings. A check-then-act inferred from callers
        // is a suggestion even beside a lock that guards the other writes: the method may be a helper its callers call
        // under that lock, or state one caller owns at a time.
        Usings + """
        public sealed class Bridge
        {
            private readonly object _sync = new();
            private volatile bool _reportNextFailure = true;
            private object? _current;
            private int _state;

            public void OnFailure()
            {
                if ({|#0:_reportNextFailure|})
                    _reportNextFailure = false;
            }

            public void Restore() => _reportNextFailure = true;
            public void Attach(object server) => Volatile.Write(ref _current, server);
            public void Detach(object expected) { if ({|#1:_current == expected|}) _current = null; }

            public void Open() { lock (_sync) { _state = 1; } }
            public void Close() { lock (_sync) { _state = 0; } }
            public void Reset() { if ({|#2:_state != 0|}) _state = 0; }
        }
        """,
        CheckVerify.Diagnostic().WithLocation(0).WithSeverity(Microsoft.CodeAnalysis.DiagnosticSeverity.Info).WithArguments("_reportNextFailure", "concurrent calls of 'Bridge.OnFailure'"),
        CheckVerify.Diagnostic().WithLocation(1).WithSeverity(Microsoft.CodeAnalysis.DiagnosticSeverity.Info).WithArguments("_current", "concurrent calls of 'Bridge.Detach'"),
        CheckVerify.Diagnostic().WithLocation(2).WithSeverity(Microsoft.CodeAnalysis.DiagnosticSeverity.Info).WithArguments("_state", "concurrent calls of 'Bridge.Reset'"));

    [Fact]
    public Task A_collection_changed_outside_the_lock_its_other_changes_take_is_a_suggestion() => CollectionVerify.VerifyAnalyzerAsync(
        Usings + """
        public sealed class Registry
        {
            private readonly object _sync = new();
            private readonly List<string> _names = new();
            public void Add(string name) { lock (_sync) { _names.Add(name); } }
            public void Remove(string name) { lock (_sync) { _names.Remove(name); } }
            public void AddUnsafe(string name) => {|#0:_names.Add(name)|};
            public int Count { get { lock (_sync) { return _names.Count; } } }
        }
        """,
        CollectionVerify.Diagnostic().WithLocation(0).WithSeverity(Microsoft.CodeAnalysis.DiagnosticSeverity.Info).WithArguments("_names", "List<string>", "concurrent calls of 'Registry.AddUnsafe'"));

    [Fact]
    public Task Types_with_no_sign_of_concurrent_use_and_consistent_locking_are_quiet() => Verify.VerifyAnalyzerAsync(
        Usings + """
        public sealed class Plain
        {
            // Nothing says this type is for several threads: its callers synchronise, or it is used on one.
            private int _count;
            public void Add() => _count++;
            public void Remove() => _count--;
        }

        public sealed class Consistent
        {
            private readonly object _sync = new();
            private int _count;
            private int _constructed;
            public Consistent() { _constructed++; }
            public void Add() { lock (_sync) { _count++; } }
            public void Remove() { lock (_sync) { _count--; } }
            private void OnlyInternal() => _count++;
        }

        public sealed class Counters
        {
            // Locks guard _hits; _misses is only ever updated in one place, and nothing shows it is meant to be shared.
            private readonly object _sync = new();
            private int _hits;
            private int _misses;
            public void Hit() { lock (_sync) { _hits++; } }
            public void Miss() => _misses++;
        }
        """);
}
