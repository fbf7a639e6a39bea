using System.Threading.Tasks;
using Xunit;
using Verify = Lockstep.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    Lockstep.Analyzers.Rules.LockUsage.LockNotReleasedOnAllPathsAnalyzer,
    Lockstep.Analyzers.Rules.LockUsage.LockNotReleasedOnAllPathsFixer>;

namespace Lockstep.Analyzers.Tests.Rules.LockUsage;

/// <summary>
/// LS5001 on the lock idioms real libraries use: each correct, each written here in our own words with the meaning of a
/// pattern the real-code panel reported falsely, next to the mistake that must still be reported.
/// </summary>
public sealed class LockNotReleasedOnAllPathsPrecisionTests
{
    private const string Usings = """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        """;

    private static Task VerifyClass(string body) => Verify.VerifyAnalyzerAsync(Usings + "class C\n{\n" + body + "\n}\n");

    [Fact]
    public Task A_flag_set_after_the_acquisition_guards_the_release() => VerifyClass(
        """
            private readonly SemaphoreSlim _gate = new(1, 1);
            private readonly object _sync = new();

            async Task SendAsync(CancellationToken ct)
            {
                bool acquired = false;
                try
                {
                    // Acquired inside the try so a cancelled wait still reaches the finally, which releases only if taken.
                    await _gate.WaitAsync(ct);
                    acquired = true;
                    await Task.Yield();
                }
                finally
                {
                    if (acquired)
                        _gate.Release();
                }
            }

            void Flush(bool wait)
            {
                bool taken = false;
                try
                {
                    if (wait)
                        Monitor.Enter(_sync, ref taken);
                    else
                        Monitor.TryEnter(_sync, 50, ref taken);
                }
                finally
                {
                    if (taken)
                        Monitor.Exit(_sync);
                }
            }

            void Poke()
            {
                bool taken = false;
                try
                {
                    taken = Monitor.TryEnter(_sync);
                    if (taken)
                        Console.WriteLine("poked");
                }
                finally
                {
                    if (taken)
                        Monitor.Exit(_sync);
                }
            }
        """);

    [Fact]
    public Task Giving_the_callers_lock_back_and_taking_it_again_is_balanced() => VerifyClass(
        """
            private readonly SemaphoreSlim _entities = new(1, 1);

            // Called with _entities held: lets the handler run without it, then takes it back for the caller.
            async Task NotifyAsync(Func<Task> handler)
            {
                _entities.Release();
                try
                {
                    await handler();
                }
                finally
                {
                    await _entities.WaitAsync();
                }
            }
        """);

    [Fact]
    public Task Hand_over_hand_locking_takes_the_next_lock_before_leaving_the_previous() => VerifyClass(
        """
            private readonly object _single = new();
            private readonly object _cancel = new();
            private bool _connected;

            void Cancel()
            {
                lock (_single)
                {
                    if (!_connected)
                        return;
                    Monitor.Enter(_cancel);
                }

                try
                {
                    Console.WriteLine("cancelling");
                }
                finally
                {
                    Monitor.Exit(_cancel);
                }
            }

            void Chain(object[] boxes)
            {
                object? previous = null;
                try
                {
                    foreach (var box in boxes)
                    {
                        Monitor.Enter(box);
                        if (previous != null)
                            Monitor.Exit(previous);
                        previous = box;
                    }
                }
                finally
                {
                    if (previous != null)
                        Monitor.Exit(previous);
                }
            }
        """);

    [Fact]
    public Task Early_exits_that_give_the_lock_back_first_are_fine() => VerifyClass(
        """
            private readonly object _sync = new();
            private readonly SemaphoreSlim _setup = new(1, 1);
            private int _state;

            Exception Break(Exception reason)
            {
                Monitor.Enter(_sync);
                var state = _state;
                if (state == 2)
                {
                    Monitor.Exit(_sync);
                    return reason;
                }

                try
                {
                    _state = 2;
                }
                finally
                {
                    Monitor.Exit(_sync);
                }

                return reason;
            }

            async Task SetupAsync(bool async, TimeSpan timeout)
            {
                var got = async ? await _setup.WaitAsync(timeout) : _setup.Wait(timeout);
                if (!got)
                    throw new TimeoutException();
                try
                {
                    _state = 1;
                }
                finally
                {
                    _setup.Release();
                }
            }
        """);

    [Fact]
    public Task A_concurrency_limiter_gives_its_permit_back_when_the_work_ends() => VerifyClass(
        """
            private readonly SemaphoreSlim _slots = new(4);

            async Task RunAsync(Func<Task> work)
            {
                await _slots.WaitAsync();
                _ = Task.Run(async () =>
                {
                    try { await work(); }
                    finally { _slots.Release(); }
                });
            }
        """);

    [Fact]
    public Task Work_that_can_fail_between_the_acquisition_and_the_try_is_still_reported() => VerifyClass(
        """
            private readonly object _sync = new();
            private int _count;
            static void Log(string message) => Console.WriteLine(message);

            void Add()
            {
                [|Monitor.Enter(_sync)|];
                Log("adding");
                try
                {
                    _count++;
                }
                finally
                {
                    Monitor.Exit(_sync);
                }
            }
        """);

    [Fact]
    public Task An_acquisition_whose_failure_leaves_then_a_protecting_try_is_fine() => VerifyClass(
        """
            private readonly SemaphoreSlim _closing = new(1, 1);
            private readonly object _sync = new();
            private readonly object _cleanup = new();
            private bool _closed;

            async Task CloseAsync(CancellationToken ct)
            {
                try
                {
                    await _closing.WaitAsync(ct);
                }
                catch
                {
                    return; // cancelled or disposed: this call does not own the close
                }

                try
                {
                    _closed = true;
                }
                finally
                {
                    _closing.Release();
                }
            }

            void Break()
            {
                Monitor.Enter(_sync);
                try
                {
                    // Take the cleanup lock before letting go of the state lock, so a concurrent Break cannot take it first.
                    Monitor.Enter(_cleanup);
                }
                finally
                {
                    Monitor.Exit(_sync);
                }

                try
                {
                    _closed = true;
                }
                finally
                {
                    Monitor.Exit(_cleanup);
                }
            }
        """);
}
