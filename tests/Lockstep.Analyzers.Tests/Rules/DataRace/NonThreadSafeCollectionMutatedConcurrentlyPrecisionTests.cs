using System.Threading.Tasks;
using Xunit;
using Verify = Lockstep.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    Lockstep.Analyzers.Rules.DataRace.NonThreadSafeCollectionMutatedConcurrentlyAnalyzer,
    Lockstep.Analyzers.Rules.DataRace.NonThreadSafeCollectionMutatedConcurrentlyFixer>;

namespace Lockstep.Analyzers.Tests.Rules.DataRace;

/// <summary>LS1003 on code real libraries write: which collections two strands really share.</summary>
public sealed class NonThreadSafeCollectionMutatedConcurrentlyPrecisionTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;

        """;

    [Fact]
    public Task A_collection_local_to_each_call_of_a_helper_is_its_own() => Verify.VerifyAnalyzerAsync(
        // Every task parses its own file: each call of Parse has its own list, also where a local function or an inline
        // lambda of Parse adds to it.
        Usings + """
        static class Loader
        {
            public static List<string> Parse(string[] lines)
            {
                var result = new List<string>();
                var keys = new HashSet<string>();
                void Add(string line) { if (keys.Add(line)) result.Add(line); }
                foreach (var line in lines)
                    Add(line);
                lines.ToList().ForEach(line => result.Add(line.Trim()));
                return result;
            }

            public static Task LoadAll(string[][] files) => Task.WhenAll(files.Select(file => Task.Run(() => Parse(file))));
        }
        """);

    [Fact]
    public Task A_collection_the_started_code_captures_from_its_starter_is_shared() => Verify.VerifyAnalyzerAsync(
        Usings + """
        static class Loader
        {
            public static List<string> LoadAll(string[] files)
            {
                var all = new List<string>();
                var tasks = files.Select(file => Task.Run(() => [|all.Add(file)|])).ToArray();
                Task.WaitAll(tasks);
                return all;
            }
        }
        """);
}
