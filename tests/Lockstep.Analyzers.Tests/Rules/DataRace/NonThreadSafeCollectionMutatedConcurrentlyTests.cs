using System.Threading.Tasks;
using Xunit;
using Verify = Lockstep.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    Lockstep.Analyzers.Rules.DataRace.NonThreadSafeCollectionMutatedConcurrentlyAnalyzer,
    Lockstep.Analyzers.Rules.DataRace.NonThreadSafeCollectionMutatedConcurrentlyFixer>;

namespace Lockstep.Analyzers.Tests.Rules.DataRace;

public sealed class NonThreadSafeCollectionMutatedConcurrentlyTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Collections.Concurrent;
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;

        """;

    private static Task VerifyFix(string source, string fixedSource) => Verify.VerifyCodeFixAsync(Usings + source, Usings + fixedSource);

    private static Task VerifyNoReport(string source) => Verify.VerifyAnalyzerAsync(Usings + source);

    [Fact]
    public Task Local_list_filled_from_Parallel_For_becomes_a_ConcurrentBag() => VerifyFix(
        """
        static class Squares
        {
            public static int[] Compute(int n)
            {
                var results = new List<int>();
                Parallel.For(0, n, i => [|results.Add(i * i)|]);
                return results.OrderBy(x => x).ToArray();
            }
        }
        """,
        """
        static class Squares
        {
            public static int[] Compute(int n)
            {
                var results = new ConcurrentBag<int>();
                Parallel.For(0, n, i => results.Add(i * i));
                return results.OrderBy(x => x).ToArray();
            }
        }
        """);

    [Fact]
    public Task Message_names_the_collection_type() => Verify.VerifyAnalyzerAsync(
        Usings + """
        static class Squares
        {
            public static void Compute(int n)
            {
                var results = new List<int>();
                Parallel.For(0, n, i => {|#0:results.Add(i)|});
            }
        }
        """,
        Verify.Diagnostic().WithLocation(0).WithArguments("results", "List<int>", "the Parallel.For body at line 12"));

    [Fact]
    public Task Local_dictionary_with_indexer_writes_becomes_a_ConcurrentDictionary() => VerifyFix(
        """
        static class Lengths
        {
            public static int Count(string[] words)
            {
                Dictionary<string, int> lengths = new Dictionary<string, int>();
                Parallel.ForEach(words, w => { [|lengths[w] = w.Length|]; });
                return lengths.Count;
            }
        }
        """,
        """
        static class Lengths
        {
            public static int Count(string[] words)
            {
                ConcurrentDictionary<string, int> lengths = new ConcurrentDictionary<string, int>();
                Parallel.ForEach(words, w => { lengths[w] = w.Length; });
                return lengths.Count;
            }
        }
        """);

    [Fact]
    public Task A_local_used_in_ways_the_concurrent_type_does_not_support_gets_a_lock() => VerifyFix(
        """
        class Collector
        {
            public List<int> Collect(int n)
            {
                var results = new List<int>();
                Parallel.For(0, n, i => { [|results.Add(i)|]; });
                results.Sort();
                return results;
            }
        }
        """,
        $$"""
        class Collector
        {
            private readonly {{RoslynLeg.LockType}} _sync = new();

            public List<int> Collect(int n)
            {
                var results = new List<int>();
                Parallel.For(0, n, i => { lock (_sync) { results.Add(i); } });
                results.Sort();
                return results;
            }
        }
        """);

    [Fact]
    public Task Field_queue_mutated_by_threads_gets_a_lock() => VerifyFix(
        """
        class Log
        {
            private readonly Queue<string> _lines = new();
            void Write(string line) { [|_lines.Enqueue(line)|]; }
            public void Run() { for (int i = 0; i < 4; i++) { int n = i; new Thread(() => Write(n.ToString())).Start(); } }
        }
        """,
        $$"""
        class Log
        {
            private readonly {{RoslynLeg.LockType}} _sync = new();
            private readonly Queue<string> _lines = new();
            void Write(string line) { lock (_sync) { _lines.Enqueue(line); } }
            public void Run() { for (int i = 0; i < 4; i++) { int n = i; new Thread(() => Write(n.ToString())).Start(); } }
        }
        """);

    [Theory]
    [InlineData("_set.Add(1)")]
    [InlineData("_map.Remove(1)")]
    [InlineData("_stack.Push(1)")]
    [InlineData("_list.Insert(0, 1)")]
    [InlineData("_list.Clear()")]
    public Task Mutations_of_every_non_thread_safe_collection_are_reported(string mutation) => VerifyNoReport(
        "class C { private readonly HashSet<int> _set = new(); private readonly Dictionary<int, int> _map = new(); private readonly Stack<int> _stack = new(); private readonly List<int> _list = new(); "
        + "void Work() { [|" + mutation + "|]; } public void Run() => Parallel.For(0, 4, _ => Work()); }");

    [Fact]
    public Task Concurrent_collections_locked_mutations_and_per_iteration_lists_are_not_reported() => VerifyNoReport(
        """
        class Safe
        {
            private readonly object _sync = new();
            private readonly List<int> _guarded = new();
            private readonly ConcurrentQueue<int> _queue = new();
            public void Run(int n)
            {
                var bag = new ConcurrentBag<int>();
                Parallel.For(0, n, i =>
                {
                    bag.Add(i);
                    _queue.Enqueue(i);
                    lock (_sync) { _guarded.Add(i); }
                    var mine = new List<int> { i };
                    mine.Add(i);
                });
            }
        }
        """);

    [Fact]
    public Task Lists_filled_before_the_workers_start_and_read_after_they_join_are_not_reported() => VerifyNoReport(
        """
        static class Staged
        {
            public static int Run()
            {
                var inputs = new List<int>();
                for (int i = 0; i < 10; i++) inputs.Add(i);
                int sum = 0;
                Parallel.ForEach(inputs, x => Interlocked.Add(ref sum, x));
                inputs.Add(sum);
                return inputs.Count;
            }
        }
        """);
}
