using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace Lockstep.Samples.Tests;

/// <summary>
/// Tests that capture the console: the console belongs to the whole process, so they run alone, one after another.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCollection
{
    public const string Name = "Console";

    private static readonly SemaphoreSlim s_console = new(1, 1);

    /// <summary>Runs <paramref name="run"/> with the console written to a string, and returns what it wrote.</summary>
    public static async Task<string> CaptureAsync(Func<Task> run, TimeSpan deadline)
    {
        await s_console.WaitAsync();
        var original = Console.Out;
        var captured = new StringWriter();
        try
        {
            Console.SetOut(TextWriter.Synchronized(captured));
            await run().WaitAsync(deadline);
        }
        finally
        {
            Console.SetOut(original);
            s_console.Release();
        }

        return captured.ToString();
    }
}
