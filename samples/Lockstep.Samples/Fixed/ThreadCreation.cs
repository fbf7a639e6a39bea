using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

// Thread creation and worker lifecycle (LS4002), ported from the Python threading lessons in shared/seeds: a hundred
// workers started in a loop, with the lesson's warning "if you join here, the children run one after another".
//
// Pitfalls/ThreadCreation.cs holds the program as first written; every line Lockstep flags ends with the ID it reports.
// Fixed/ThreadCreation.cs is this file after Lockstep's code fixes, and nothing else: a test applies the fixes and
// compares. The file stays within C# 11 so that the tests, which parse it with the Roslyn floor (4.5), can read it.
namespace Lockstep.Samples.Fixed;

/// <summary>The programs of this family, as the runner lists them.</summary>
public static class ThreadCreation
{
    public static IReadOnlyList<(string Name, string Demonstrates, Func<Task> RunAsync)> Programs { get; } = new (string, string, Func<Task>)[]
    {
        ("join-in-start-loop",
            "Ten workers, each 'running' for 100 ms. Joined inside the loop that starts them, they run one after another "
            + "(about 1 s); started all first and joined after the loop, they run together (about 0.1 s).",
            JoinInStartLoop.RunAsync),
    };
}

/// <summary>The seed's p.start(); p.join() in one loop.</summary>
public static class JoinInStartLoop
{
    public static Task RunAsync()
    {
        var watch = Stopwatch.StartNew();
        var workers = new List<Thread>();
        for (int i = 0; i < 10; i++)
        {
            string name = "user" + i;
            var worker = new Thread(() => Work(name));
            worker.Start();
            workers.Add(worker);
        }

        foreach (var worker in workers)
            worker.Join();
        Console.WriteLine($"10 workers finished in {watch.Elapsed.TotalSeconds:F2} s");
        return Task.CompletedTask;
    }

    private static void Work(string name)
    {
        Console.WriteLine($"{name} is running");
        Thread.Sleep(100);
        Console.WriteLine($"{name} is over");
    }
}
