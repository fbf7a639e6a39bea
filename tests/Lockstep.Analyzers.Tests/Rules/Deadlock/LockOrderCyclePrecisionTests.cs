using System.Threading.Tasks;
using Xunit;
using Verify = Lockstep.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    Lockstep.Analyzers.Rules.Deadlock.LockOrderCycleAnalyzer,
    Lockstep.Analyzers.Rules.Deadlock.LockOrderCycleFixer>;

namespace Lockstep.Analyzers.Tests.Rules.Deadlock;

/// <summary>LS2001 on code real libraries write: which locks two orders really share.</summary>
public sealed class LockOrderCyclePrecisionTests
{
    private const string Usings = """
        using System;
        using System.Threading;

        """;

    [Fact]
    public Task Locks_of_an_object_the_method_just_made_are_not_the_shared_ones() => Verify.VerifyAnalyzerAsync(
        // Cancelling opens a second, private connector and breaks it on failure: its SyncObj is not this one's, so
        // CancelLock -> (new connector's) SyncObj does not order against SyncObj -> CancelLock.
        Usings + """
        sealed class Connector
        {
            private readonly object _sync = new();
            private readonly object _cancel = new();

            public void Break() { lock (_sync) { Console.WriteLine("broken"); } }

            public void Cancel()
            {
                lock (_cancel)
                {
                    var other = new Connector();
                    other.Break();
                }
            }

            public void Close()
            {
                lock (_sync)
                {
                    lock (_cancel) { Console.WriteLine("closing"); }
                }
            }
        }
        """);
}
