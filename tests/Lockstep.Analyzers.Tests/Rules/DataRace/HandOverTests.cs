using System.Threading.Tasks;
using Xunit;
using CheckVerify = Lockstep.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    Lockstep.Analyzers.Rules.DataRace.UnsynchronizedCheckThenActAnalyzer,
    Lockstep.Analyzers.Rules.DataRace.UnsynchronizedCheckThenActFixer>;
using RmwVerify = Lockstep.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    Lockstep.Analyzers.Rules.DataRace.UnsynchronizedReadModifyWriteAnalyzer,
    Lockstep.Analyzers.Rules.DataRace.UnsynchronizedReadModifyWriteFixer>;

namespace Lockstep.Analyzers.Tests.Rules.DataRace;

/// <summary>
/// A reader that runs either on a thread of its own or as a task, chosen once per object, and whose thread hands over
/// to the task as its very last step: at any moment one of them reads, so their updates of the reader's state do not
/// race. The same code without the hand-over (the thread keeps reading after starting the task) races.
/// </summary>
public sealed class HandOverTests
{
    private const string Reader = """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        public sealed class Reader
        {
            private readonly bool _synchronous;
            private volatile int _status;
            private long _received;

            public Reader(bool synchronous) { _synchronous = synchronous; }

            public long Received => Interlocked.Read(ref _received);

            public void Start()
            {
                if (_synchronous)
                {
                    StartThread(this);

                    static void StartThread(Reader reader)
                    {
                        var thread = new Thread(() => reader.ReadSync()) { IsBackground = true };
                        thread.Start();
                    }
                }
                else
                {
                    StartTask();
                }
            }

            private void StartTask() => Task.Run(() => ReadAsync());

            private async Task ReadAsync()
            {
                if (_status != 3)
                    _status = 1;
                for (int i = 0; i < 10; i++)
                {
                    await Task.Delay(1);
                    Count(1);
                }
            }

            private void ReadSync()
            {
                try
                {
                    for (int i = 0; i < 10; i++)
                    {
                        Count(1);
                        if (i == 5)
                        {
                            _status = 3;
                            return;
                        }
                    }
                }
                finally
                {
                    if (_status == 3)
                        StartTask();
                }
            }

            private void Count(int n)
            {
                _received += n;
            }
        }

        public static class Readers
        {
            // A reconnect timer starts a reader per tick, each on the reader Connect returns: the reader's thread, started
            // by a static local function handed 'this', works on that reader, not on one shared by the ticks.
            private static readonly Timer Reconnect = new Timer(_ => Connect().Start(), null, 0, 1000);

            private static Reader Connect() => new Reader(true);
        }
        """;

    [Fact]
    public Task A_thread_that_hands_over_to_a_task_as_its_last_step_does_not_race_with_it() => RmwVerify.VerifyAnalyzerAsync(Reader);

    [Fact]
    public Task The_task_started_by_the_hand_over_or_by_the_other_branch_runs_once_per_reader() => CheckVerify.VerifyAnalyzerAsync(Reader);

    [Fact]
    public Task A_thread_that_keeps_counting_after_starting_the_task_races_with_it() => RmwVerify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        public sealed class Reader
        {
            private readonly bool _synchronous;
            private long _received;

            public Reader(bool synchronous) { _synchronous = synchronous; }

            public void Start()
            {
                if (_synchronous)
                    new Thread(ReadSync).Start();
                else
                    StartTask();
            }

            private void StartTask() => Task.Run(() => ReadAsync());

            private async Task ReadAsync()
            {
                await Task.Delay(1);
                Count(1);
            }

            private void ReadSync()
            {
                StartTask();
                for (int i = 0; i < 10; i++)
                    Count(1);
            }

            private void Count(int n)
            {
                {|#0:_received += n|};
            }
        }
        """,
        RmwVerify.Diagnostic().WithLocation(0).WithArguments("_received", "updated", "the thread running 'ReadSync' started at line 15 and by the task started at line 20"));
}
