using System.Threading.Tasks;
using Xunit;
using Verify = Lockstep.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    Lockstep.Analyzers.Rules.Deadlock.LockOrderContradictsDeclaredOrderAnalyzer,
    Lockstep.Analyzers.Rules.Deadlock.LockOrderContradictsDeclaredOrderFixer>;

namespace Lockstep.Analyzers.Tests.Rules.Deadlock;

public sealed class LockOrderContradictsDeclaredOrderTests
{
    private const string Usings = """
        using System;
        using System.Threading;
        using Lockstep;

        """;

    [Fact]
    public Task Against_AcquiredBefore_the_nested_locks_are_put_in_the_declared_order() => Verify.VerifyCodeFixAsync(
        Usings + """
        class Bank
        {
            [AcquiredBefore(nameof(_ledger))]
            private readonly object _accounts = new object();
            private readonly object _ledger = new object();

            public void Audit()
            {
                lock (_ledger)
                {
                    lock ([|_accounts|]) { }
                }
            }
        }
        """,
        Usings + """
        class Bank
        {
            [AcquiredBefore(nameof(_ledger))]
            private readonly object _accounts = new object();
            private readonly object _ledger = new object();

            public void Audit()
            {
                lock (_accounts)
                {
                    lock (_ledger) { }
                }
            }
        }
        """);

    [Fact]
    public Task Message_names_the_declaration() => Verify.VerifyAnalyzerAsync(
        Usings + """
        class Bank
        {
            private readonly object _accounts = new object();
            [AcquiredAfter(nameof(_accounts))]
            private readonly object _ledger = new object();

            public void Audit() { lock ({|#1:_ledger|}) { lock ({|#0:_accounts|}) { } } }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithLocation(1).WithArguments("_accounts", "_ledger", "Bank.Audit", "[AcquiredAfter] on '_ledger' puts it after '_accounts'"));

    [Fact]
    public Task Against_OrderedLock_ranks_through_a_call() => Verify.VerifyAnalyzerAsync(
        Usings + """
        class Bank
        {
            private static readonly OrderedLock s_ledger = new OrderedLock("ledger", rank: 1);
            private static readonly OrderedLock s_audit = new OrderedLock("audit", 2);

            public static void Close()
            {
                using ({|#1:s_audit.EnterScope()|})
                {
                    {|#0:Post()|};
                }
            }

            private static void Post()
            {
                using ({|#2:s_ledger.EnterScope()|}) { }
            }
        }
        """,
        // The additional locations are the held acquisition and the one reached through the call.
        Verify.Diagnostic().WithLocation(0).WithLocation(1).WithLocation(2).WithArguments("s_ledger", "s_audit", "Bank.Close (via Post)", "the ranks put 's_ledger' (rank 1) before 's_audit' (rank 2)"));

    [Fact]
    public Task Ranked_scopes_are_swapped_and_Fix_All_fixes_each_place() => Verify.VerifyCodeFixAsync(
        Usings + """
        class Bank
        {
            private readonly OrderedLock _ledger = new OrderedLock("ledger", rank: 1);
            private readonly OrderedLock _audit = new OrderedLock("audit", rank: 2);

            void Close() { using (_audit.EnterScope()) { using ([|_ledger.EnterScope()|]) { } } }
            void Reopen()
            {
                using var audit = _audit.EnterScope();
                using var ledger = [|_ledger.EnterScope()|];
            }
        }
        """,
        Usings + """
        class Bank
        {
            private readonly OrderedLock _ledger = new OrderedLock("ledger", rank: 1);
            private readonly OrderedLock _audit = new OrderedLock("audit", rank: 2);

            void Close() { using (_ledger.EnterScope()) { using (_audit.EnterScope()) { } } }
            void Reopen()
            {
                using var audit = _ledger.EnterScope();
                using var ledger = _audit.EnterScope();
            }
        }
        """);

    [Fact]
    public Task A_place_with_another_path_the_same_way_gets_no_fix() => Verify.VerifyCodeFixAsync(
        // _b is taken before _a through _c elsewhere: putting M1 in the declared order would close the cycle a → b → c → a.
        Usings + Cycle("lock ([|_a|]) { }"),
        Usings + Cycle("lock ([|_a|]) { }"));

    private static string Cycle(string inner) =>
        "class C { [AcquiredBefore(nameof(_b))] private readonly object _a = new object(); private readonly object _b = new object(), _c = new object(); "
        + "void M1() { lock (_b) { " + inner + " } } void M2() { lock (_b) { lock (_c) { } } } void M3() { lock (_c) { lock (_a) { } } } }";

    [Theory]
    [InlineData("[AcquiredBefore(nameof(_b))] private readonly object _a = new object(); private readonly object _b = new object(); void M() { lock (_a) { lock (_b) { } } }")]
    [InlineData("private readonly object _a = new object(); [AcquiredAfter(nameof(_a))] private readonly object _b = new object(); void M() { lock (_a) { lock (_b) { } } }")]
    [InlineData("private readonly OrderedLock _a = new OrderedLock(\"a\", rank: 1); private readonly OrderedLock _b = new OrderedLock(\"b\", rank: 2); void M() { using (_a.EnterScope()) using (_b.EnterScope()) { } }")]
    [InlineData("private readonly OrderedLock _a = new OrderedLock(\"a\"); private readonly OrderedLock _b = new OrderedLock(\"b\", rank: 1); void M() { using (_b.EnterScope()) using (_a.EnterScope()) { } }")] // unranked locks are not rank-checked
    [InlineData("[AcquiredBefore(nameof(_b))] private readonly object _a = new object(); private readonly object _b = new object(); void M() { lock (_b) { } lock (_a) { } }")] // not nested
    [InlineData("[AcquiredBefore(nameof(_b))] private readonly object _a = new object(); private readonly object _b = new object(); void M() { lock (_b) { if (Monitor.TryEnter(_a, 10)) Monitor.Exit(_a); } }")] // a timed try gives up
    public Task The_declared_order_followed_or_not_applicable_is_not_reported(string members) => Verify.VerifyAnalyzerAsync(
        Usings + "class C { " + members + " }");

    [Fact]
    public Task A_name_resolves_in_the_annotated_type_only() => Verify.VerifyAnalyzerAsync(
        Usings + """
        class A { [AcquiredBefore("_b")] public readonly object _a = new object(); }
        class B
        {
            public readonly object _b = new object();
            void M(A a) { lock (_b) { lock (a._a) { } } }
        }
        """);
}
