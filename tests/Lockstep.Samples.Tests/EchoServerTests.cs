using System;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Lockstep.Samples.Fixed;
using Xunit.Abstractions;

namespace Lockstep.Samples.Tests;

/// <summary>
/// The fixed echo server (what the LS4001 fix made of the thread-per-client server) under real load: 200 clients at
/// once on 127.0.0.1, every line echoed in upper case, and never more handlers running than the queue allows. Every
/// wait has a deadline, so a bug fails the test instead of hanging it.
/// </summary>
public sealed class EchoServerTests
{
    private const int Clients = 200;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly ITestOutputHelper _output;

    public EchoServerTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task Fixed_server_echoes_200_concurrent_clients_with_at_most_one_handler_per_processor()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start(Clients);
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var server = new EchoServer();
        using var stop = new CancellationTokenSource();
        using var deadline = new CancellationTokenSource(Deadline);
        using var process = Process.GetCurrentProcess();
        int threadsBefore = ThreadCount(process);
        int peakThreads = threadsBefore;
        var watch = Stopwatch.StartNew();

        Task serving = server.RunAsync(listener, stop.Token);
        string[][] replies;
        using (var sampling = new CancellationTokenSource())
        {
            // Samples the process's thread count while the clients run (the queue must not add a thread per client).
            Task sampler = Task.Run(async () =>
            {
                while (!sampling.IsCancellationRequested && !deadline.IsCancellationRequested)
                {
                    peakThreads = Math.Max(peakThreads, ThreadCount(process));
                    await Task.Delay(5).ConfigureAwait(false);
                }
            });

            try
            {
                var clients = Enumerable.Range(0, Clients)
                    .Select(i => EchoClient.TalkAsync(port, new[] { $"hello from client {i}", "how are you?", $"bye {i}" }, deadline.Token))
                    .ToArray();
                replies = await Task.WhenAll(clients).WaitAsync(Deadline);
            }
            finally
            {
                sampling.Cancel();
                await sampler.WaitAsync(Deadline);
                stop.Cancel();
                await serving.WaitAsync(Deadline);
                listener.Stop();
            }
        }

        watch.Stop();
        _output.WriteLine(
            $"{Clients} clients in {watch.Elapsed.TotalMilliseconds:F0} ms; at most {server.MaxActiveHandlers} handlers at once "
            + $"(bound {Environment.ProcessorCount}); process threads {threadsBefore} before, peak {peakThreads} (+{peakThreads - threadsBefore})");

        for (int i = 0; i < Clients; i++)
            Assert.Equal(new[] { $"HELLO FROM CLIENT {i}", "HOW ARE YOU?", $"BYE {i}" }, replies[i]);

        Assert.Equal(Clients, server.ClientsServed);
        Assert.Equal(0, server.ActiveHandlers);
        Assert.InRange(server.MaxActiveHandlers, 1, Environment.ProcessorCount);

        // The handlers block pool threads, so the pool may add a few; a thread per client would add about 200.
        Assert.True(peakThreads - threadsBefore <= Environment.ProcessorCount + 32, $"the process grew by {peakThreads - threadsBefore} threads");
    }

    private static int ThreadCount(Process process)
    {
        process.Refresh();
        return process.Threads.Count;
    }
}
