using System.Threading.Tasks;
using Xunit;
using Verify = Lockstep.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    Lockstep.Analyzers.Rules.Deadlock.ArgumentDependentLockOrderAnalyzer,
    Lockstep.Analyzers.Rules.Deadlock.ArgumentDependentLockOrderFixer>;

namespace Lockstep.Analyzers.Tests.Rules.Deadlock;

public sealed class ArgumentDependentLockOrderTests
{
    private const string Usings = """
        using System;
        using System.Threading;
        using System.Threading.Tasks;


        """;

    // What the fixes that use the runtime library leave at the top: the import goes with the others.
    private const string UsingsAndLockstep = """
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using Lockstep;


        """;

    private const string Account = """

        class Account
        {
            public readonly object Sync = new object();
            public readonly Lockstep.OrderedLock Gate = new Lockstep.OrderedLock("account");
            public int Id;
            public decimal Balance;
        }
        """;

    // ---- Reported ----

    [Fact]
    public Task Locking_both_arguments_in_parameter_order_becomes_AcquireInOrder() => Verify.VerifyCodeFixAsync(
        Usings + """
        static class Bank
        {
            public static void Transfer(Account from, Account to, decimal amount)
            {
                lock (from)
                {
                    lock ([|to|])
                    {
                        from.Balance -= amount;
                        to.Balance += amount;
                    }
                }
            }
        }
        """ + Account,
        UsingsAndLockstep + """
        static class Bank
        {
            public static void Transfer(Account from, Account to, decimal amount)
            {
                using (Locks.AcquireInOrder(from, to))
                {
                    from.Balance -= amount;
                    to.Balance += amount;
                }
            }
        }
        """ + Account);

    [Fact]
    public Task Message_shows_the_two_calls_that_deadlock() => Verify.VerifyAnalyzerAsync(
        Usings + "class Bank { void Swap(Account a, Account b) { lock ({|#1:a.Sync|}) { lock ({|#0:b.Sync|}) { (a.Balance, b.Balance) = (b.Balance, a.Balance); } } } }" + Account,
        Verify.Diagnostic().WithLocation(0).WithLocation(1).WithArguments("Swap", "a", "b", "Swap(a, b) and Swap(b, a)"));

    [Fact]
    public Task This_and_an_argument_of_the_same_type() => Verify.VerifyCodeFixAsync(
        Usings + """
        class Counter
        {
            private readonly object _sync = new object();
            private int _value;
            public void Add(Counter other)
            {
                lock ({|#1:_sync|})
                {
                    lock ({|#0:other._sync|}) { _value += other._value; }
                }
            }
        }
        """,
        // The additional location is the outer lock.
        new[] { Verify.Diagnostic().WithLocation(0).WithLocation(1).WithArguments("Add", "this", "other", "a.Add(b) and b.Add(a)") },
        UsingsAndLockstep + """
        class Counter
        {
            private readonly object _sync = new object();
            private int _value;
            public void Add(Counter other)
            {
                using (Locks.AcquireInOrder(_sync, other._sync))
                { _value += other._value; }
            }
        }
        """);

    [Fact]
    public Task Work_before_the_inner_lock_stays_inside_both() => Verify.VerifyCodeFixAsync(
        Usings + """
        static class Bank
        {
            public static void Move(Account from, Account to)
            {
                lock (from.Sync)
                {
                    decimal amount = from.Balance;
                    lock ([|to.Sync|]) { to.Balance += amount; }
                    from.Balance = 0;
                }
            }
        }
        """ + Account,
        UsingsAndLockstep + """
        static class Bank
        {
            public static void Move(Account from, Account to)
            {
                using (Locks.AcquireInOrder(from.Sync, to.Sync))
                {
                    decimal amount = from.Balance;
                    { to.Balance += amount; }
                    from.Balance = 0;
                }
            }
        }
        """ + Account);

    [Fact]
    public Task OrderedLock_scopes_in_a_local_function_are_taken_with_AcquireInOrder() => Verify.VerifyCodeFixAsync(
        // AcquireInOrder orders OrderedLocks by rank, then by a stable identity, whatever the arguments.
        Usings + """
        class Bank
        {
            void Run(Account x, Account y)
            {
                Pay(x, y);
                void Pay(Account from, Account to)
                {
                    using (from.Gate.EnterScope())
                    using ([|to.Gate.EnterScope()|])
                    {
                        to.Balance++;
                    }
                }
            }
        }
        """ + Account,
        UsingsAndLockstep + """
        class Bank
        {
            void Run(Account x, Account y)
            {
                Pay(x, y);
                void Pay(Account from, Account to)
                {
                    using (Locks.AcquireInOrder(from.Gate, to.Gate))
                    {
                        to.Balance++;
                    }
                }
            }
        }
        """ + Account);

    [Fact]
    public Task Fix_All_converts_every_method() => Verify.VerifyCodeFixAsync(
        Usings + """
        static class Bank
        {
            public static void Credit(Account a, Account b) { lock (a) { lock ([|b|]) { b.Balance++; } } }
            public static void Debit(Account a, Account b) { lock (a.Sync) { lock ([|b.Sync|]) { a.Balance--; } } }
        }
        """ + Account,
        UsingsAndLockstep + """
        static class Bank
        {
            public static void Credit(Account a, Account b) { using (Locks.AcquireInOrder(a, b)) { b.Balance++; } }
            public static void Debit(Account a, Account b) { using (Locks.AcquireInOrder(a.Sync, b.Sync)) { a.Balance--; } }
        }
        """ + Account);

    // ---- Not reported: normalised or not argument-dependent ----

    [Theory]
    [InlineData("if (from.Id < to.Id) { lock (from) { lock (to) { } } } else { lock (to) { lock (from) { } } }")] // ordered by a key, both branches
    [InlineData("if (from.Id < to.Id) { lock (from) { lock (to) { } } }")] // only under a comparison of the two
    [InlineData("var first = from.Id < to.Id ? from : to; var second = first == from ? to : from; lock (first) { lock (second) { } }")] // ordered locals
    [InlineData("using (Lockstep.Locks.AcquireInOrder(from, to)) { }")] // one global order
    [InlineData("lock (from) { } lock (to) { }")] // one at a time
    [InlineData("lock (from.Sync) { lock (to.Gate) { } }")] // different members: a fixed order of two lock classes
    [InlineData("lock (from) { if (Monitor.TryEnter(to, 50)) Monitor.Exit(to); }")] // a timed try gives up
    public Task Normalised_or_fixed_orders_are_not_reported(string body) => Verify.VerifyAnalyzerAsync(
        Usings + "static class Bank { public static void Transfer(Account from, Account to) { " + body + " } }" + Account);

    [Fact]
    public Task Arguments_of_different_types_are_not_interchangeable() => Verify.VerifyAnalyzerAsync(
        Usings + "class Ledger { } static class Bank { public static void Post(Account account, Ledger ledger) { lock (account) { lock (ledger) { } } } }" + Account);
}
