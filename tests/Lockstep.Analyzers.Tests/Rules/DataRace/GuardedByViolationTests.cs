using System.Threading.Tasks;
using Xunit;
using Verify = Lockstep.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    Lockstep.Analyzers.Rules.DataRace.GuardedByViolationAnalyzer,
    Lockstep.Analyzers.Rules.DataRace.GuardedByViolationFixer>;

namespace Lockstep.Analyzers.Tests.Rules.DataRace;

public sealed class GuardedByViolationTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using Lockstep;

        """;

    [Fact]
    public Task Guarded_field_accessed_without_its_lock_is_reported_and_fixed() => Verify.VerifyCodeFixAsync(
        Usings + """
        class Inventory
        {
            private readonly object _sync = new();
            [GuardedBy(nameof(_sync))] private int _count;

            public void Add()
            {
                lock (_sync) { _count++; }
            }

            public void Remove()
            {
                [|_count|]--;
            }
        }
        """,
        Usings + """
        class Inventory
        {
            private readonly object _sync = new();
            [GuardedBy(nameof(_sync))] private int _count;

            public void Add()
            {
                lock (_sync) { _count++; }
            }

            public void Remove()
            {
                lock (_sync)
                {
                    _count--;
                }
            }
        }
        """);

    [Fact]
    public Task Message_names_the_member_and_the_lock() => Verify.VerifyAnalyzerAsync(
        Usings + """
        class Inventory
        {
            private readonly object _sync = new();
            [GuardedBy(nameof(_sync))] private int _count;
            public int Count => {|#0:_count|};
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithArguments("_count", "_sync"));

    [Theory]
    [InlineData("public int Read() => [|_count|];")]
    [InlineData("public static void Touch(Inventory other) { [|other._count|] = 1; }")]
    [InlineData("public Func<int> Later() { lock (_sync) { return () => [|_count|]; } }")]
    [InlineData("public void Other() { lock (_other) { [|_count|]++; } }")]
    [InlineData("public void Call() { [|Flush()|]; }")]
    [InlineData("public int P { get { return [|Items|].Count; } }")]
    public Task Every_unguarded_access_form_is_reported(string member) => Verify.VerifyAnalyzerAsync(
        Usings + "class Inventory { private readonly object _sync = new(); private readonly object _other = new(); "
        + "[GuardedBy(nameof(_sync))] private int _count; [GuardedBy(nameof(_sync))] private List<int> Items { get; } = new(); "
        + "[RequiresLock(nameof(_sync))] private void Flush() { _count = 0; } " + member + " }");

    private const string Inventory = "class Inventory { private readonly object _sync = new(); [GuardedBy(nameof(_sync))] private int _count; ";

    [Theory]
    [InlineData("public int Read() => [|_count|];", "public int Read() { lock (_sync) { return _count; } }")]
    [InlineData("public int Count => [|_count|];", "public int Count { get { lock (_sync) { return _count; } } }")]
    [InlineData("public void Reset() => [|_count|] = 0;", "public void Reset() { lock (_sync) { _count = 0; } }")]
    [InlineData("public static void Touch(Inventory other) { [|other._count|] = 1; }", "public static void Touch(Inventory other) { lock (other._sync) { other._count = 1; } }")]
    public Task The_lock_is_taken_in_expression_bodies_and_on_the_object_whose_member_is_used(string member, string fixedMember) => Verify.VerifyCodeFixAsync(
        // Through 'other', the guard is the other object's lock, not this one's (a static member has none).
        Usings + Inventory + member + " }",
        Usings + Inventory + fixedMember + " }");

    [Fact]
    public Task An_access_in_a_local_declaration_has_no_fix() => Verify.VerifyCodeFixAsync(
        // A lock around the declaration would end the local's scope before its use.
        Usings + Inventory + "public void Print() { int seen = [|_count|]; Console.WriteLine(seen); } }",
        Usings + Inventory + "public void Print() { int seen = [|_count|]; Console.WriteLine(seen); } }");

    [Fact]
    public Task An_access_inside_a_lambda_has_no_fix() => Verify.VerifyCodeFixAsync(
        // The lambda runs later, outside the lock around its creation: the lock would have to go inside the lambda.
        Usings + Inventory + "public Func<int> Later() { lock (_sync) { return () => [|_count|]; } } }",
        Usings + Inventory + "public Func<int> Later() { lock (_sync) { return () => [|_count|]; } } }");

    [Fact]
    public Task Guarded_accesses_that_hold_the_lock_are_not_reported() => Verify.VerifyAnalyzerAsync(
        Usings + """
        class Inventory
        {
            private readonly object _sync = new();
            private readonly ReaderWriterLockSlim _rw = new();
            [GuardedBy(nameof(_sync))] private int _count;
            [GuardedBy(nameof(_rw))] private int _size;
            [GuardedBy("this")] private int _version;

            public Inventory() { _count = 1; _size = 1; }

            public void Add() { lock (_sync) { _count++; Flush(); Helper(); } }
            public void Grow() { _rw.EnterWriteLock(); try { _size++; } finally { _rw.ExitWriteLock(); } }
            public void Bump() { lock (this) { _version++; } }
            public int Peek(Inventory other) { lock (_sync) { return other._count; } }

            [RequiresLock(nameof(_sync))]
            private void Flush() { _count = 0; Helper(); }

            private void Helper() { _count += 2; }
        }
        """);

    [Fact]
    public Task Without_the_runtime_library_the_rule_does_nothing() => new Verify.Test
    {
        TestCode = "class C { private int _count; void M() => _count++; }",
        ReferenceRuntimeLibrary = false,
    }.RunAsync();
}
