using System.Threading.Tasks;
using Xunit;
using Verify = Lockstep.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    Lockstep.Analyzers.Rules.LockUsage.BlockingCallUnderLockAnalyzer,
    Lockstep.Analyzers.Rules.LockUsage.BlockingCallUnderLockFixer>;

namespace Lockstep.Analyzers.Tests.Rules.LockUsage;

/// <summary>
/// LS5002 on the shapes real libraries use: waits that cannot block, and semaphores that are signals rather than
/// locks. Correct code in our own words, next to the mistakes that must still be reported.
/// </summary>
public sealed class BlockingCallUnderLockPrecisionTests
{
    private const string Usings = """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        """;

    private static Task VerifyClass(string body) => Verify.VerifyAnalyzerAsync(Usings + "class C\n{\n" + body + "\n}\n");

    [Fact]
    public Task Draining_a_signal_under_a_lock_does_not_block() => VerifyClass(
        """
            private readonly object _gate = new();
            private readonly SemaphoreSlim _ready;
            public C() => _ready = new SemaphoreSlim(0);

            void Loop()
            {
                while (true)
                {
                    // The signal semaphore is waited on outside the lock; inside, only permits known to be there are taken.
                    _ready.Wait();
                    lock (_gate)
                    {
                        while (_ready.CurrentCount > 0)
                            _ready.Wait();
                        if (_ready.Wait(0))
                            return;
                    }
                }
            }
        """);

    [Fact]
    public Task Waiting_on_a_signal_semaphore_holds_no_lock() => VerifyClass(
        """
            private readonly SemaphoreSlim _dispatch = new(0);
            private int _handled;

            // _dispatch counts pending work; waiting for it again later is not "blocking while holding _dispatch".
            void Dispatch()
            {
                while (true)
                {
                    _dispatch.Wait();
                    _handled++;
                    _dispatch.Wait();
                }
            }
        """);

    [Fact]
    public Task A_result_read_in_the_completed_case_of_a_status_switch_does_not_block() => VerifyClass(
        """
            private readonly object _gate = new();
            private int _last;

            void OnCompleted(Task<int> task)
            {
                switch (task.Status)
                {
                    case TaskStatus.RanToCompletion:
                        lock (_gate)
                        {
                            _last = task.Result;
                        }

                        break;
                    case TaskStatus.Faulted:
                        break;
                }
            }
        """);

    [Fact]
    public Task A_wait_on_a_mutex_semaphore_under_another_lock_is_still_reported() => Verify.VerifyNoFixAsync(
        Usings + """
        class C
        {
            private readonly object _gate = new();
            private readonly SemaphoreSlim _io = new(1, 1);
            private readonly SemaphoreSlim _signal = new(0);
            void M()
            {
                lock (_gate)
                {
                    [|_io.Wait()|];
                    _io.Release();
                    [|_signal.Wait()|];
                }
            }
        }
        """);
}
