using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Lockstep.Tests.Scopes;

/// <summary>
/// The scopes that must be released on the thread that took them (<see cref="OrderedLock.Scope"/>,
/// <see cref="Guarded{T}.Scope"/>) are ref structs on .NET 8 and later, so holding one across an <c>await</c> is a
/// compile error rather than a <see cref="System.Threading.SynchronizationLockException"/> at run time. These tests
/// compile snippets against the library the tests run with and check which ones the compiler refuses.
/// </summary>
public sealed class ThreadBoundScopeTests
{
    private const string Usings = "using System.Threading; using System.Threading.Tasks; using Lockstep;\n";

    [Theory]
    [InlineData("using (new OrderedLock(\"a\").EnterScope()) { await Task.Yield(); }")]
    [InlineData("using var scope = new OrderedLock(\"a\").EnterScope(); await Task.Yield();")]
    [InlineData("if (new OrderedLock(\"a\").TryEnterScope(System.TimeSpan.Zero, out var scope)) { using (scope) { await Task.Yield(); } }")]
    [InlineData("using (var counter = new Guarded<int>(0).Lock()) { counter.Value++; await Task.Yield(); counter.Value++; }")]
    public void Holding_a_thread_bound_scope_across_an_await_does_not_compile(string body)
    {
        var errors = Compile($"class C {{ async Task M() {{ {body} }} }}", LanguageVersion.CSharp13);

        Assert.Contains("CS4007", errors); // Instance of type '...Scope' cannot be preserved across 'await'
    }

    [Theory]
    [InlineData("class C { OrderedLock.Scope _held; }", "CS8345")] // a field of a ref struct type in a class
    [InlineData("class C { object M(OrderedLock l) => l.EnterScope(); }", "CS0029")] // boxing
    [InlineData("class C { System.Action M(Guarded<int> g) { var s = g.Lock(); return () => s.Value++; } }", "CS8175")] // captured
    [InlineData("class C { Task M(OrderedLock l) => Task.Run(() => { var s = l.EnterScope(); return Task.Run(() => s.Dispose()); }); }", "CS8175")]
    public void A_thread_bound_scope_cannot_leave_its_thread_through_a_field_a_box_or_a_lambda(string source, string error)
    {
        Assert.Contains(error, Compile(source, LanguageVersion.CSharp13));
    }

    [Theory]
    [InlineData("await Task.Yield(); using (new OrderedLock(\"a\").EnterScope()) { } await Task.Yield();")]
    [InlineData("await Task.Yield(); using (var v = new Guarded<int>(0).Lock()) { v.Value++; }")]
    public void A_thread_bound_scope_not_held_across_an_await_compiles_in_an_async_method(string body)
    {
        Assert.Empty(Compile($"class C {{ async Task M() {{ {body} }} }}", LanguageVersion.CSharp13));
    }

    [Theory]
    [InlineData(LanguageVersion.CSharp8)]
    [InlineData(LanguageVersion.CSharp12)]
    [InlineData(LanguageVersion.CSharp13)]
    public void Synchronous_code_uses_the_scopes_as_before(LanguageVersion version)
    {
        const string source = """
            class C
            {
                readonly OrderedLock _a = new OrderedLock("a", rank: 1);
                readonly Guarded<int> _count = new Guarded<int>(0);
                void M()
                {
                    using (_a.EnterScope()) { }
                    using (var count = _count.Lock()) { count.Value++; }
                    if (_a.TryEnterScope(System.TimeSpan.Zero, out var scope)) { using (scope) { } }
                    using (Locks.AcquireInOrder(_a, new object())) { }
                }
            }
            """;

        Assert.Empty(Compile(source, version));
    }

    [Theory]
    [InlineData(LanguageVersion.CSharp8)]
    [InlineData(LanguageVersion.CSharp12)]
    public void The_scope_the_lock_order_fixes_write_compiles_in_async_methods_of_any_language_version(LanguageVersion version)
    {
        // LS2001 and LS2002 turn nested lock statements into this, also inside async methods; a ref struct would not
        // compile there before C# 13, so Locks.Scope stays a class.
        const string source = """
            class C
            {
                readonly object _a = new object(), _b = new object();
                async Task M()
                {
                    await Task.Yield();
                    using (Locks.AcquireInOrder(_a, _b)) { }
                }
            }
            """;

        Assert.Empty(Compile(source, version));
    }

    [Fact]
    public void An_AsyncLock_scope_may_be_held_across_an_await()
    {
        Assert.Empty(Compile(
            "class C { readonly AsyncLock _l = new AsyncLock(); async Task M() { using (await _l.LockAsync()) { await Task.Yield(); } } }",
            LanguageVersion.CSharp8));
    }

    // Compiles the source as a library against the framework the tests run on and the Lockstep assembly they load;
    // returns the IDs of the errors, distinct.
    private static List<string> Compile(string source, LanguageVersion version)
    {
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Select(path => MetadataReference.CreateFromFile(path))
            .Append(MetadataReference.CreateFromFile(typeof(OrderedLock).Assembly.Location));
        var compilation = CSharpCompilation.Create(
            "Snippet",
            new[] { CSharpSyntaxTree.ParseText(Usings + source, new CSharpParseOptions(version)) },
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        // Emit, not only GetDiagnostics: the compiler finds what is held across an await when it lowers async methods.
        using var output = new MemoryStream();
        return compilation.Emit(output).Diagnostics
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(d => d.Id)
            .Distinct()
            .ToList();
    }
}
