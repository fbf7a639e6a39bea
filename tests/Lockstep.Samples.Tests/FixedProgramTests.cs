using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;

namespace Lockstep.Samples.Tests;

/// <summary>
/// Every program of <c>samples/Lockstep.Samples/Fixed</c>, which is what Lockstep's code fixes made of the pitfalls, runs
/// to the end and computes the right result: exact totals, every item processed, no deadlock. Each program writes its
/// result to the console, which is captured here; the deadline only turns a hang into a failure, it measures nothing.
/// The programs run one at a time (the console is the process's), in the "Console" collection.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class FixedProgramTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    /// <summary>What each fixed program must print: a line matching each pattern, as many times as given (or at least once).</summary>
    private static readonly Dictionary<string, (string Pattern, int Count)[]> Expected = new()
    {
        ["async-blocking/coroutines"] = new[] { ("^a end of execution$", 1), ("^b end of execution$", 1), ("^func1 over$", 1), ("^func2 over$", 1) },
        ["async-blocking/traffic-light"] = new[] { ("^Marshmallow SR\\d Waiting at the traffic light", 9), ("^Games start! Marshmallow SR\\d sprint!$", 9) },
        ["async-blocking/pool-callbacks"] = new[] { ("^23 tests submitted", 1), ("^Test Execution Completed Testerjack>>>$", 23), ("^job done$", 23), ("^23 results collected", 1) },
        ["data-races/ticket-office"] = new[] { ("^1 ticket on sale, 1 sold, 0 left$", 1), ("bought a ticket$", 1), ("found no ticket left$", 9) },
        ["data-races/gil-counter"] = new[] { ("^final num: 0 ", 1) },
        ["data-races/add-subtract"] = new[] { ("^total: 1 ", 1) },
        ["data-races/pool-results"] = new[] { ("^1000000 of 1000000 results collected \\(0 lost\\)$", 1) },
        ["data-races/bank-account"] = new[] { ("^balance: 40000 \\(expected 40000\\)$", 1) },
        ["data-races/guarded-counter"] = new[] { ("^final num: 0 \\(expected 0\\)$", 1), ("^--get num: ", 100) },
        ["deadlocks/mutex-ab"] = new[] { ("^All 10 threads finished: 10000000 locked sections", 1) },
        ["deadlocks/bank-transfer"] = new[] { ("account 1 has 1000, account 2 has 1000, total 2000 \\(unchanged\\)$", 1) },
        ["deadlocks/ranked-locks"] = new[] { ("^balance 0, 2000 audit entries", 1), ("^LockOrderValidator reported nothing", 1) },
        // Every worker sees its own iteration's number: each user is over exactly once.
        ["thread-creation/join-in-start-loop"] = Enumerable.Range(0, 10).Select(i => ($"^user{i} is over$", 1)).Append(("^10 workers finished", 1)).ToArray(),
        ["thread-creation/echo-server"] = new[] { ("^20 of 20 clients got every line back in upper case$", 1), ("^20 clients served;", 1) },
        ["thread-creation/thousand-threads"] = new[] { ("^1000 work items done in \\d+ ms \\(checksum 70000000\\)$", 1) },
        ["lock-hygiene/slow-ticket-office"] = new[] { ("^sold 10 tickets, 0 left, ", 1) },
        ["lock-hygiene/acquire-release"] = new[] { ("^sold 9, declined 1, 0 buyers still waiting for the lock$", 1) },
    };

    public static IEnumerable<object[]> Programs() =>
        Families().SelectMany(f => f.Programs.Select(p => new object[] { f.Name + "/" + p.Name }));

    [Fact]
    public void Every_fixed_program_has_expected_results()
    {
        var programs = Programs().Select(p => (string)p[0]).ToList();
        Assert.Equal(programs.OrderBy(p => p, StringComparer.Ordinal), Expected.Keys.OrderBy(k => k, StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Programs))]
    public async Task Fixed_program_computes_the_right_result(string program)
    {
        string family = program.Split('/')[0];
        string name = program.Split('/')[1];
        var run = Families().Single(f => f.Name == family).Programs.Single(p => p.Name == name).RunAsync;

        string output = await ConsoleCollection.CaptureAsync(run, Deadline);

        var lines = output.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        foreach (var (pattern, count) in Expected[program])
        {
            int found = lines.Count(l => Regex.IsMatch(l, pattern));
            Assert.True(found == count, $"{program}: expected {count} line(s) matching /{pattern}/, found {found}:\n{output}");
        }
    }

    private static IEnumerable<(string Name, IReadOnlyList<(string Name, string Demonstrates, Func<Task> RunAsync)> Programs)> Families() => new[]
    {
        ("async-blocking", Fixed.AsyncBlocking.Programs),
        ("data-races", Fixed.DataRaces.Programs),
        ("deadlocks", Fixed.Deadlocks.Programs),
        ("thread-creation", Fixed.ThreadCreation.Programs),
        ("lock-hygiene", Fixed.LockHygiene.Programs),
    };
}
