using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

// Thread creation and worker lifecycle (LS4001, LS4002): the
// TCP server that opens a process (here: a thread) per accepted client and echoes every line in upper case, the
// classic "for i in range(1000): p = Process(target=work); p.start()" next to its warning that threads cannot be
// created without limit, and a hundred workers started in a loop, with the warning "if you join here, the children
// run one after another".
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
        ("echo-server",
            "The classic TCP echo server on 127.0.0.1 (a free port), serving 20 clients that connect at once and send three "
            + "lines each. A thread per accepted client: as many handlers run at once as clients are connected; handed to a "
            + "BoundedWorkQueue: at most one per processor, the others wait their turn.",
            EchoServerDemo.RunAsync),
        ("thousand-threads",
            "The classic 'create 1000 processes' as threads: a thousand short CPU-bound work items. A thread each costs more "
            + "to create than the work it runs (and with longer work, hundreds would run at once); Parallel.ForEach with one "
            + "worker per processor runs the same items in a fraction of the time.",
            ThousandThreads.RunAsync),
    };
}

/// <summary>
/// The classic server: <c>while True: sock, addr = server.accept(); Process(target=get_talk, args=(sock,)).start()</c>,
/// with <c>get_talk</c> echoing each line in upper case until the client closes. Counts its handlers so the runner (and
/// the test in tests/Lockstep.Samples.Tests) can see how many run at once.
/// </summary>
public sealed class EchoServer
{
    private int _active;
    private int _maxActive;
    private int _served;

    /// <summary>Handlers running now.</summary>
    public int ActiveHandlers => Volatile.Read(ref _active);

    /// <summary>The most handlers that ran at the same time so far.</summary>
    public int MaxActiveHandlers => Volatile.Read(ref _maxActive);

    /// <summary>Clients whose handler has finished.</summary>
    public int ClientsServed => Volatile.Read(ref _served);

    /// <summary>
    /// Accepts clients on <paramref name="listener"/> (started by the caller) until <paramref name="cancellationToken"/> is
    /// cancelled, then returns once every accepted client has been served.
    /// </summary>
    public async Task RunAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        try
        {
            await using var queue = new BoundedWorkQueue();
            while (!cancellationToken.IsCancellationRequested)
            {
                TcpClient client = await listener.AcceptTcpClientAsync(cancellationToken);
                await queue.EnqueueAsync(() => Talk(client));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: no more clients are accepted.
        }
    }

    /// <summary>The classic get_talk: receive, upper-case, send back, until the client closes the connection.</summary>
    private void Talk(TcpClient client)
    {
        int now = Interlocked.Increment(ref _active);
        for (int seen = Volatile.Read(ref _maxActive); now > seen; seen = Volatile.Read(ref _maxActive))
        {
            if (Interlocked.CompareExchange(ref _maxActive, now, seen) == seen)
                break;
        }

        try
        {
            using (client)
            using (var stream = client.GetStream())
            using (var reader = new StreamReader(stream))
            using (var writer = new StreamWriter(stream) { AutoFlush = true })
            {
                // A client that stops sending is dropped after five seconds instead of holding its handler for ever.
                client.ReceiveTimeout = 5000;
                string? line;
                while ((line = reader.ReadLine()) != null)
                    writer.WriteLine(line.ToUpperInvariant());
            }
        }
        catch (IOException)
        {
            // The client went away or timed out; its handler ends.
        }
        finally
        {
            Interlocked.Decrement(ref _active);
            Interlocked.Increment(ref _served);
        }
    }
}

/// <summary>The classic client: connect, send each message, print (here: return) what comes back, close.</summary>
public static class EchoClient
{
    public static async Task<string[]> TalkAsync(int port, IReadOnlyList<string> lines, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
        using var stream = client.GetStream();
        using var reader = new StreamReader(stream);
        using var writer = new StreamWriter(stream) { AutoFlush = true };
        var replies = new string[lines.Count];
        for (int i = 0; i < lines.Count; i++)
        {
            await writer.WriteLineAsync(lines[i].AsMemory(), cancellationToken);
            replies[i] = await reader.ReadLineAsync(cancellationToken) ?? throw new IOException("The server closed the connection.");
        }

        return replies;
    }
}

/// <summary>Starts the server on a free loopback port, drives 20 clients at once, prints what came back, and stops.</summary>
public static class EchoServerDemo
{
    public static async Task RunAsync()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var server = new EchoServer();
        using var stop = new CancellationTokenSource();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        Task serving = server.RunAsync(listener, stop.Token);
        try
        {
            var clients = Enumerable.Range(0, 20)
                .Select(i => EchoClient.TalkAsync(port, new[] { $"hello from client {i}", "how are you", "bye" }, timeout.Token))
                .ToArray();
            string[][] replies = await Task.WhenAll(clients);
            Console.WriteLine($"client 0 got: {string.Join(" / ", replies[0])}");
            int correct = replies.Count(r => r.Length == 3 && r[0] == r[0].ToUpperInvariant() && r[2] == "BYE");
            Console.WriteLine($"{correct} of {replies.Length} clients got every line back in upper case");
        }
        finally
        {
            stop.Cancel();
            await serving.WaitAsync(TimeSpan.FromSeconds(20));
            listener.Stop();
        }

        Console.WriteLine($"{server.ClientsServed} clients served; at most {server.MaxActiveHandlers} handlers ran at once on {Environment.ProcessorCount} processors");
    }
}

/// <summary>The classic <c>for i in range(1000): p = Process(target=work); p.start()</c>, joined at the end.</summary>
public static class ThousandThreads
{
    private const int Items = 1000;
    private static int s_running;
    private static int s_peak;
    private static long s_total;

    public static Task RunAsync()
    {
        var watch = Stopwatch.StartNew();
        Parallel.ForEach(Enumerable.Range(0, Items), new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, id => Work(id));
        Console.WriteLine($"{Items} work items done in {watch.Elapsed.TotalMilliseconds:F0} ms (checksum {Volatile.Read(ref s_total)})");
        Console.WriteLine($"at most {Volatile.Read(ref s_peak)} ran at once on {Environment.ProcessorCount} processors");
        return Task.CompletedTask;
    }

    /// <summary>A little CPU-bound work: less than starting a thread costs.</summary>
    private static void Work(int id)
    {
        int now = Interlocked.Increment(ref s_running);
        for (int seen = Volatile.Read(ref s_peak); now > seen; seen = Volatile.Read(ref s_peak))
        {
            if (Interlocked.CompareExchange(ref s_peak, now, seen) == seen)
                break;
        }

        long sum = Enumerable.Range(0, 20_000).Sum(i => (long)((i ^ id) & 7));
        Interlocked.Add(ref s_total, sum);
        Interlocked.Decrement(ref s_running);
    }
}

/// <summary>The classic p.start(); p.join() in one loop.</summary>
public static class JoinInStartLoop
{
    public static Task RunAsync()
    {
        var watch = Stopwatch.StartNew();
        var workers = new List<Thread>();
        // Each worker reads the loop variable i. Joined in its iteration, it reads i before the loop moves on; started all
        // first, the workers would read whatever i is by then, so the fix gives each iteration its own copy.
        for (int i = 0; i < 10; i++)
        {
            var iCopy = i;
            var worker = new Thread(() => Work("user" + iCopy));
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
