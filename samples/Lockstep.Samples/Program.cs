using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;

namespace Lockstep.Samples;

/// <summary>
/// Runs the sample programs: <c>dotnet run --project samples/Lockstep.Samples -- &lt;family&gt; &lt;pitfalls|fixed&gt; [program]</c>.
/// With no arguments it lists what is available.
/// </summary>
public static class Program
{
    // One line per family: its name, what it is about, and the program lists of Pitfalls/<File>.cs and Fixed/<File>.cs.
    // A new family is a new file pair plus one line here.
    private static readonly Family[] Families =
    [
        new("async-blocking", "blocking sleeps and waits inside async code (LS3001-LS3003)", "AsyncBlocking.cs", Pitfalls.AsyncBlocking.Programs, Fixed.AsyncBlocking.Programs),
        new("data-races", "unsynchronised read-modify-write, check-then-act and lists shared between threads (LS1001-LS1003, LS1005)", "DataRaces.cs", Pitfalls.DataRaces.Programs, Fixed.DataRaces.Programs),
        new("deadlocks", "inconsistent lock ordering (LS2001-LS2003)", "Deadlocks.cs", Pitfalls.Deadlocks.Programs, Fixed.Deadlocks.Programs),
        new("thread-creation", "a thread per client or per item, and waiting for workers inside the loop that starts them (LS4001-LS4002)", "ThreadCreation.cs", Pitfalls.ThreadCreation.Programs, Fixed.ThreadCreation.Programs),
        new("lock-hygiene", "locks not released on every path, blocking while holding a lock, weak lock objects (LS5001-LS5003)", "LockHygiene.cs", Pitfalls.LockHygiene.Programs, Fixed.LockHygiene.Programs),
    ];

    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 0)
        {
            PrintUsage();
            return 0;
        }

        var family = Families.FirstOrDefault(f => string.Equals(f.Name, args[0], StringComparison.OrdinalIgnoreCase));
        if (family is null || args.Length < 2 || args.Length > 3)
            return Fail(family is null ? $"Unknown family '{args[0]}'." : "Expected: <family> <pitfalls|fixed> [program].");

        bool isFixed;
        if (string.Equals(args[1], "pitfalls", StringComparison.OrdinalIgnoreCase))
            isFixed = false;
        else if (string.Equals(args[1], "fixed", StringComparison.OrdinalIgnoreCase))
            isFixed = true;
        else
            return Fail($"Unknown version '{args[1]}': use 'pitfalls' or 'fixed'.");

        var programs = isFixed ? family.Fixed : family.Pitfalls;
        if (args.Length == 3)
        {
            programs = programs.Where(p => string.Equals(p.Name, args[2], StringComparison.OrdinalIgnoreCase)).ToList();
            if (programs.Count == 0)
                return Fail($"Family '{family.Name}' has no program '{args[2]}'.");
        }

        Console.WriteLine(isFixed
            ? $"{family.Name}, fixed: the programs after Lockstep's code fixes (samples/Lockstep.Samples/Fixed/{family.File})"
            : $"{family.Name}, pitfalls: the programs as written, flagged by Lockstep (samples/Lockstep.Samples/Pitfalls/{family.File})");

        foreach (var (name, demonstrates, runAsync) in programs)
        {
            Console.WriteLine();
            Console.WriteLine($"=== {family.Name} {(isFixed ? "fixed" : "pitfalls")} {name}");
            Console.WriteLine(demonstrates);
            Console.WriteLine();
            long startTime = Stopwatch.GetTimestamp();
            await runAsync();
            Console.WriteLine($"--- {name} finished in {Stopwatch.GetElapsedTime(startTime).TotalSeconds:F2} s");
        }

        return 0;
    }

    private static void PrintUsage()
    {
        Console.WriteLine("Lockstep samples: classic concurrency pitfalls in C#, as written (pitfalls) and after Lockstep's code fixes (fixed).");
        Console.WriteLine();
        Console.WriteLine("Usage: dotnet run --project samples/Lockstep.Samples -- <family> <pitfalls|fixed> [program]");
        Console.WriteLine("See the diagnostics: dotnet build samples/Lockstep.Samples --no-incremental");
        foreach (var family in Families)
        {
            Console.WriteLine();
            Console.WriteLine($"{family.Name}: {family.Summary}");
            foreach (var (name, demonstrates, _) in family.Pitfalls)
                Console.WriteLine($"  {name,-16}{demonstrates}");
        }
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine(message);
        Console.Error.WriteLine("Run without arguments to list the families and their programs.");
        return 1;
    }

    private sealed record Family(
        string Name,
        string Summary,
        string File,
        IReadOnlyList<(string Name, string Demonstrates, Func<Task> RunAsync)> Pitfalls,
        IReadOnlyList<(string Name, string Demonstrates, Func<Task> RunAsync)> Fixed);
}
