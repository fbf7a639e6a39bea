using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

// Blocking sleeps and waits inside async code (LS3001-LS3003):
// coroutines on one event-loop thread, the traffic-light Event and a pool with done-callbacks. Seconds are scaled
// to tenths of a second.
//
// Pitfalls/AsyncBlocking.cs holds the programs as first written; every line Lockstep flags ends with the ID it
// reports. Fixed/AsyncBlocking.cs is this file after Lockstep's code fixes, and nothing else: a test applies the
// fixes and compares. So the comments here describe both versions: the blocking call and what replaces it.
// The file stays within C# 11 so that the tests, which parse it with the Roslyn floor (4.5), can read it.
namespace Lockstep.Samples.Pitfalls;

/// <summary>The programs of this family, as the runner lists them.</summary>
public static class AsyncBlocking
{
    public static IReadOnlyList<(string Name, string Demonstrates, Func<Task> RunAsync)> Programs { get; } = new (string, string, Func<Task>)[]
    {
        ("coroutines",
            "Coroutines a, b and func1, func2, spawned together on one event-loop thread. "
            + "A blocking Thread.Sleep, or a helper that sleeps, stops every coroutine: the total is the sum of the sleeps. "
            + "Awaiting Task.Delay lets them overlap: the total is the longest sleep.",
            Coroutines.RunAsync),
        ("traffic-light",
            "The traffic-light Event: the light counts down 3-2-1 and sets a TaskCompletionSource, nine cars wait at the line. "
            + "Blocking sleeps hold the loop so no car reaches the line before green, and a car blocking in Wait() before green "
            + "would deadlock it. Awaiting lets all nine line up during the countdown and sprint on green.",
            TrafficLight.RunAsync),
        ("pool-callbacks",
            "ThreadPoolExecutor(12).submit(test, 'jack').add_done_callback(func) for 23 tests, the pool bounded by a SemaphoreSlim. "
            + "A synchronous SemaphoreSlim.Wait makes submitting block until a slot frees; .Result and Task.WaitAll block the caller. "
            + "WaitAsync and await keep submitting instant. The callback's .Result is fine: its task has completed.",
            PoolWithCallbacks.RunAsync),
    };
}

/// <summary>
/// Coroutines: a() sleeps 2 s and b() 3 s, func1() 3 s and func2() 5 s; spawned together and joined,
/// they take max(…) with a cooperative sleep, and sum(…) when the sleep blocks the one thread they share.
/// </summary>
public static class Coroutines
{
    public static async Task RunAsync()
    {
        // s1 = spawn(a); s2 = spawn(b); s1.join(); s2.join(); print(time.time() - start_time)
        long startTime = Stopwatch.GetTimestamp();
        await EventLoop.RunAsync(() => Task.WhenAll(A(), B()));
        Console.WriteLine($"a and b took {Stopwatch.GetElapsedTime(startTime).TotalSeconds:F2} s (one after the other: 0.50 s, overlapped: 0.30 s)");

        // The same with func1 and func2, which sleep through a synchronous helper.
        startTime = Stopwatch.GetTimestamp();
        await EventLoop.RunAsync(() => Task.WhenAll(Func1(), Func2()));
        Console.WriteLine($"func1 and func2 took {Stopwatch.GetElapsedTime(startTime).TotalSeconds:F2} s (one after the other: 0.80 s, overlapped: 0.50 s)");
    }

    private static async Task A()
    {
        // Like spawning a coroutine, calling A() only schedules it: it starts when the loop gets to it.
        await Task.Yield();
        Console.WriteLine("a running");
        // Thread.Sleep is a blocking sleep: it blocks the loop thread and every coroutine on
        // it. await Task.Delay gives the thread back to the loop until the time is up.
        Thread.Sleep(200); // LS3001
        Console.WriteLine("a end of execution");
    }

    private static async Task B()
    {
        await Task.Yield();
        Console.WriteLine("b running");
        Thread.Sleep(300); // LS3001
        Console.WriteLine("b end of execution");
    }

    private static async Task Func1()
    {
        await Task.Yield();
        Console.WriteLine("func1 running");
        // Pause looks harmless from here but sleeps inside: Lockstep follows the call (LS3003) and the fix
        // switches to its async counterpart.
        Pause(300); // LS3003
        Console.WriteLine("func1 over");
    }

    private static async Task Func2()
    {
        await Task.Yield();
        Console.WriteLine("func2 running");
        Pause(500); // LS3003
        Console.WriteLine("func2 over");
    }

    /// <summary>Waits synchronously; fine on a thread of its own, not on a thread that async code shares.</summary>
    public static void Pause(int milliseconds) => Thread.Sleep(milliseconds);

    /// <summary>The asynchronous counterpart of <see cref="Pause"/>.</summary>
    public static Task PauseAsync(int milliseconds) => Task.Delay(milliseconds);
}

/// <summary>
/// Scenario: the traffic light. light() counts down 3-2-1 with a sleep before each step, then event.set(); nine cars
/// print that they are waiting, event.wait(), then sprint. Here the event is a TaskCompletionSource and the light
/// and the cars are coroutines on one event-loop thread.
/// </summary>
public static class TrafficLight
{
    public static async Task RunAsync()
    {
        long startTime = Stopwatch.GetTimestamp();
        await EventLoop.RunAsync(() =>
        {
            // event = Event(). RunContinuationsAsynchronously: setting it queues the waiting cars on the loop
            // instead of running them inside the light's SetResult call.
            var green = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var racers = new List<Task> { Light(green) };
            for (var i = 1; i < 10; i++)
                racers.Add(Car($"Marshmallow SR{i}", green));

            return Task.WhenAll(racers);
        });
        Console.WriteLine($"The race took {Stopwatch.GetElapsedTime(startTime).TotalSeconds:F2} s");
    }

    private static async Task Light(TaskCompletionSource green)
    {
        await Task.Yield();
        Console.WriteLine("Red street light with red light on, waiting for green light>>>");
        // While the light sleeps synchronously no car can move, not even to the line; awaiting Task.Delay lets
        // them line up during the countdown.
        Thread.Sleep(100); // LS3001
        Console.WriteLine("3");
        Thread.Sleep(100); // LS3001
        Console.WriteLine("2");
        Thread.Sleep(100); // LS3001
        Console.WriteLine("1");
        Thread.Sleep(100); // LS3001
        Console.WriteLine("The green light is on! Games start!");
        green.SetResult();
    }

    private static async Task Car(string name, TaskCompletionSource green)
    {
        await Task.Yield();
        Console.WriteLine($"{name} Waiting at the traffic light at the starting line");
        // event.wait(). A synchronous Wait() on the loop thread would block the light that has to turn green:
        // a deadlock, avoided in the blocking version only because the light's sleeps hold every car back until
        // green. Awaiting the task parks the car and leaves the thread to the light.
        green.Task.Wait(); // LS3002
        Console.WriteLine($"Games start! {name} sprint!");
    }
}

/// <summary>
/// Scenario: p = ProcessPoolExecutor(12); for i in range(1, 24): p.submit(test, 'jack').add_done_callback(func),
/// where test() sleeps 2 s and returns 'job done' and func(a) prints a.result().
/// </summary>
public static class PoolWithCallbacks
{
    public static async Task RunAsync()
    {
        long startTime = Stopwatch.GetTimestamp();
        var p = new Pool(12);
        var futures = new List<Task<string>>();
        var callbacks = new List<Task>();
        for (var i = 1; i < 24; i++)
        {
            Task<string> future = p.Submit(Test, "jack");
            futures.Add(future);
            // add_done_callback(func): the continuation runs once the test has finished.
            callbacks.Add(future.ContinueWith(a =>
            {
                Console.WriteLine("I will be responsible for collecting the results");
                // Not flagged: a ContinueWith continuation starts only after its antecedent completed, so reading
                // a.Result here returns at once and never blocks.
                Console.WriteLine(a.Result);
            }, TaskScheduler.Default));
        }

        // Submitting is asynchronous here: the loop should not wait for the pool to free a slot.
        Console.WriteLine($"23 tests submitted after {Stopwatch.GetElapsedTime(startTime).TotalSeconds:F2} s");

        // print(res.result()): the first test has not finished yet; reading its result waits for it.
        string first = futures[0].Result; // LS3002
        Console.WriteLine($"First result: {first}, after {Stopwatch.GetElapsedTime(startTime).TotalSeconds:F2} s");

        // p.shutdown(): wait for every test and its callback.
        Task.WaitAll(callbacks.ToArray()); // LS3002
        string[] results = await Task.WhenAll(futures);
        Console.WriteLine($"{results.Length} results collected after {Stopwatch.GetElapsedTime(startTime).TotalSeconds:F2} s");
    }

    private static async Task<string> Test(string name)
    {
        Console.WriteLine($"Test is running Tester{name}>>>");
        // time.sleep(2) stands for I/O; in async code the I/O is awaited.
        await Task.Delay(200);
        Console.WriteLine($"Test Execution Completed Tester{name}>>>");
        return "job done";
    }

    /// <summary>An executor for async work: at most <c>maxWorkers</c> submitted functions run at once.</summary>
    private sealed class Pool
    {
        private readonly SemaphoreSlim _slots;

        public Pool(int maxWorkers) => _slots = new SemaphoreSlim(maxWorkers, maxWorkers);

        public async Task<string> Submit(Func<string, Task<string>> fn, string arg)
        {
            // Take a slot before starting fn. Waiting synchronously blocks whoever submits until a running test
            // finishes; WaitAsync returns the task to the submitter at once and starts fn when a slot frees.
            _slots.Wait(); // LS3002
            try
            {
                return await fn(arg);
            }
            finally
            {
                _slots.Release();
            }
        }
    }
}

/// <summary>
/// A single-threaded event loop, the way a coroutine scheduler runs every coroutine on one thread: async code started by
/// <see cref="RunAsync"/> runs on one dedicated thread, and each continuation waits its turn there.
/// </summary>
internal sealed class EventLoop : SynchronizationContext
{
    private readonly BlockingCollection<(SendOrPostCallback Callback, object? State)> _queue = new();

    /// <summary>Runs <paramref name="main"/> and everything it awaits on a new loop thread; completes as its task does.</summary>
    public static Task RunAsync(Func<Task> main)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var loop = new EventLoop();
        var thread = new Thread(() => loop.Run(main, done)) { Name = "event loop", IsBackground = true };
        thread.Start();
        return done.Task;
    }

    // Every await on the loop thread captures this context, so its continuation comes back here.
    public override void Post(SendOrPostCallback d, object? state) => _queue.Add((d, state));

    public override SynchronizationContext CreateCopy() => this;

    private void Run(Func<Task> main, TaskCompletionSource done)
    {
        SetSynchronizationContext(this);
        Task task;
        try
        {
            task = main();
        }
        catch (Exception exception)
        {
            task = Task.FromException(exception);
        }

        // The loop ends when main's task has completed; its last continuation has run here by then.
        task.ContinueWith(_ => _queue.CompleteAdding(), TaskScheduler.Default);
        foreach (var (callback, state) in _queue.GetConsumingEnumerable())
            callback(state);

        done.SetFromTask(task);
    }
}
