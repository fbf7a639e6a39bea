using System.Threading.Tasks;
using Xunit;
using Verify = Lockstep.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    Lockstep.Analyzers.Rules.LockUsage.LockOnWeakIdentityObjectAnalyzer,
    Lockstep.Analyzers.Rules.LockUsage.LockOnWeakIdentityObjectFixer>;

namespace Lockstep.Analyzers.Tests.Rules.LockUsage;

public sealed class LockOnWeakIdentityObjectTests
{
    private const string Usings = """
        using System;
        using System.Threading;

        """;

    [Fact]
    public Task Lock_on_this_moves_to_a_private_lock_object_at_every_site() => Verify.VerifyCodeFixAsync(
        Usings + """
        public class Account
        {
            private decimal _balance;

            public void Deposit(decimal amount)
            {
                lock ([|this|]) { _balance += amount; }
            }

            public void Withdraw(decimal amount)
            {
                lock ([|this|]) { _balance -= amount; }
            }
        }
        """,
        Usings + $$"""
        public class Account
        {
            private readonly {{RoslynLeg.LockType}} _sync = new();
            private decimal _balance;

            public void Deposit(decimal amount)
            {
                lock (_sync) { _balance += amount; }
            }

            public void Withdraw(decimal amount)
            {
                lock (_sync) { _balance -= amount; }
            }
        }
        """);

    [Fact]
    public Task From_CSharp_13_with_System_Threading_Lock_the_new_field_is_a_Lock() => new Verify.Test
    {
        // lock on a Lock is an error before C# 13 (CS9058), so only a new enough language gets one.
        LanguageVersion = Microsoft.CodeAnalysis.CSharp.LanguageVersion.Preview,
        TestCode = Usings + "public class Account { private decimal _balance; public void Deposit(decimal amount) { lock ([|this|]) { _balance += amount; } } }",
        FixedCode = Usings + "public class Account { private readonly Lock _sync = new(); private decimal _balance; public void Deposit(decimal amount) { lock (_sync) { _balance += amount; } } }",
    }.RunAsync();

    [Fact]
    public Task Monitor_pairs_move_together_to_an_object_lock() => Verify.VerifyCodeFixAsync(
        Usings + """
        public class Queue
        {
            private int _items;
            public void Put() { Monitor.Enter([|this|]); try { _items++; Monitor.Pulse(this); } finally { Monitor.Exit(this); } }
        }
        """,
        Usings + """
        public class Queue
        {
            private readonly object _sync = new();
            private int _items;
            public void Put() { Monitor.Enter(_sync); try { _items++; Monitor.Pulse(_sync); } finally { Monitor.Exit(_sync); } }
        }
        """);

    [Fact]
    public Task Message_says_who_else_can_take_the_lock() => Verify.VerifyAnalyzerAsync(
        Usings + "static class Registry { static int _n; public static void Add() { lock ({|#0:typeof(Registry)|}) { _n++; } } }",
        Verify.Diagnostic().WithLocation(0).WithArguments("'typeof(Registry)'", "shares the lock with any code in the process that locks the same Type object"));

    [Theory]
    [InlineData("static void M() { lock ([|typeof(C)|]) { } }")]
    [InlineData("void M() { lock ([|GetType()|]) { } }")]
    [InlineData("void M() { lock ([|\"gate\"|]) { } }")]
    [InlineData("private readonly string _name = \"n\"; void M() { lock ([|_name|]) { } }")]
    [InlineData("private int _count; void M() { Monitor.Enter([|_count|]); Monitor.Exit(_count); }")]
    [InlineData("private object _gate = new(); void Reset() => _gate = new object(); void M() { lock ([|_gate|]) { } }")]
    [InlineData("void M() { var gate = new object(); lock ([|gate|]) { } }")]
    [InlineData("void M() { Monitor.TryEnter([|this|]); }")]
    public Task Every_weak_lock_object_is_reported(string member) => Verify.VerifyAnalyzerAsync(Usings + "public class C { " + member + " }");

    [Fact]
    public Task This_is_reported_wherever_other_assemblies_can_reach_the_type() => Verify.VerifyAnalyzerAsync(
        Usings + """
        public class Outer
        {
            public void M() { lock ([|this|]) { } }
            public class Nested { public void M() { lock ([|this|]) { } } }
            protected class Protected { public void M() { lock ([|this|]) { } } }
        }
        """);

    [Fact]
    public Task This_in_a_type_only_its_own_assembly_can_reach_is_not_reported() => Verify.VerifyAnalyzerAsync(
        // Only the assembly's own code could lock the same object, and types like these often are their own monitor by
        // design; the hazard the rule is about (foreign code taking your lock) does not exist.
        Usings + """
        internal sealed class Activation
        {
            private int _state;
            public void Activate() { lock (this) { _state = 1; } }
            public void Deactivate() { Monitor.Enter(this); try { _state = 0; } finally { Monitor.Exit(this); } }
        }
        public class Host
        {
            internal class Worker { public void M() { lock (this) { } } }
            private class Inner { public void M() { lock (this) { } } }
        }
        """);

    [Fact]
    public Task Static_typeof_locks_get_a_static_lock_object() => Verify.VerifyCodeFixAsync(
        Usings + "class Registry { static int _n; public static void Add() { lock ([|typeof(Registry)|]) { _n++; } } public void Remove() { lock ([|typeof(Registry)|]) { _n--; } } }",
        Usings + "class Registry { private static readonly " + RoslynLeg.LockType + " s_sync = new(); static int _n; public static void Add() { lock (s_sync) { _n++; } } public void Remove() { lock (s_sync) { _n--; } } }");

    [Fact]
    public Task Private_readonly_lock_objects_are_not_reported() => Verify.VerifyAnalyzerAsync(
        Usings + """
        class Good
        {
            private readonly object _sync = new();
            private static readonly object s_sync = new();
            private readonly Lock _lock = new();
            private object _lazy = new();
            private readonly System.Collections.Generic.List<int> _items = new();
            private class Inner { public void M() { lock (this) { } } }
            public Good() { _lazy = new object(); }
            public void M(object callerLock)
            {
                lock (_sync) { }
                lock (s_sync) { }
                lock (_lock) { }
                lock (_lazy) { }
                lock (_items) { }
                lock (callerLock) { }
                var shared = new object();
                System.Threading.Tasks.Parallel.For(0, 2, _ => { lock (shared) { } });
            }
        }
        """);
}
