using System.Threading.Tasks;
using Xunit;
using Verify = Lockstep.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    Lockstep.Analyzers.Rules.Usage.UnknownLockNameAnalyzer,
    Lockstep.Analyzers.Rules.Usage.UnknownLockNameFixer>;

namespace Lockstep.Analyzers.Tests.Rules.Usage;

public sealed class UnknownLockNameTests
{
    [Fact]
    public Task Misspelt_GuardedBy_name_is_replaced_by_nameof_of_the_lock() => Verify.VerifyCodeFixAsync(
        """
        using Lockstep;

        class Account
        {
            private readonly object _sync = new();

            [GuardedBy({|#0:"_snyc"|})]
            private long _balance;
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithArguments("GuardedBy", "_balance", "_snyc", "Account"),
        """
        using Lockstep;

        class Account
        {
            private readonly object _sync = new();

            [GuardedBy(nameof(_sync))]
            private long _balance;
        }
        """);

    [Fact]
    public Task RequiresLock_on_a_property_naming_a_misspelt_lock_is_fixed() => Verify.VerifyCodeFixAsync(
        """
        using Lockstep;

        class Queue
        {
            private readonly object _gate = new();

            [RequiresLock([|"_gates"|])]
            private int Count => 0;
        }
        """,
        """
        using Lockstep;

        class Queue
        {
            private readonly object _gate = new();

            [RequiresLock(nameof(_gate))]
            private int Count => 0;
        }
        """);

    [Fact]
    public Task RequiresLock_on_a_method_naming_a_renamed_lock_is_reported_without_a_guess() => Verify.VerifyNoFixAsync(
        """
        using Lockstep;

        class Queue
        {
            private readonly object _gate = new();

            [RequiresLock({|#0:"_lock"|})]
            private void Trim() { }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithArguments("RequiresLock", "Trim", "_lock", "Queue"));

    [Fact]
    public Task Each_unknown_name_of_AcquiredBefore_and_AcquiredAfter_is_reported() => Verify.VerifyCodeFixAsync(
        """
        using Lockstep;

        class Ledger
        {
            [AcquiredBefore(nameof(_audit), [|"_jornal"|])]
            private readonly object _accounts = new();

            private readonly object _audit = new();

            [AcquiredAfter([|"_acounts"|])]
            private readonly object _journal = new();
        }
        """,
        """
        using Lockstep;

        class Ledger
        {
            [AcquiredBefore(nameof(_audit), nameof(_journal))]
            private readonly object _accounts = new();

            private readonly object _audit = new();

            [AcquiredAfter(nameof(_accounts))]
            private readonly object _journal = new();
        }
        """);

    [Fact]
    public Task Name_of_a_method_is_reported_without_a_fix_when_no_lock_is_close() => Verify.VerifyNoFixAsync(
        """
        using Lockstep;

        class Cache
        {
            private readonly object _sync = new();

            [GuardedBy({|#0:nameof(Refresh)|})]
            private int _entries;

            private void Refresh() { }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithArguments("GuardedBy", "_entries", "Refresh", "Cache"));

    [Fact]
    public Task Existing_names_this_properties_and_base_class_locks_are_not_reported() => Verify.VerifyAnalyzerAsync(
        """
        using Lockstep;

        class Base
        {
            protected readonly object SyncRoot = new();
        }

        class Derived : Base
        {
            private object Gate { get; } = new();

            [GuardedBy(nameof(SyncRoot))]
            private int _a;

            [GuardedBy("Gate")]
            private int _b;

            [GuardedBy("this")]
            private int _c;

            [RequiresLock(nameof(Gate))]
            private void Helper() { }

            [AcquiredBefore("this")]
            private readonly object _first = new();
        }
        """);

    [Fact]
    public Task Attributes_of_the_same_name_from_another_library_are_not_reported() => new Verify.Test
    {
        ReferenceRuntimeLibrary = false,
        TestCode = """
            using System;

            [AttributeUsage(AttributeTargets.Field)]
            sealed class GuardedByAttribute : Attribute { public GuardedByAttribute(string name) { } }

            class C
            {
                [GuardedBy("nothing")]
                private int _n;
            }
            """,
    }.RunAsync();
}
