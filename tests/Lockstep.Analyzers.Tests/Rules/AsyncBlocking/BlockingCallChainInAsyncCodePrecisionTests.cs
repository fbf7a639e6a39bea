using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = Lockstep.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    Lockstep.Analyzers.Rules.AsyncBlocking.BlockingCallChainInAsyncCodeAnalyzer,
    Lockstep.Analyzers.Rules.AsyncBlocking.BlockingCallChainInAsyncCodeFixer>;

namespace Lockstep.Analyzers.Tests.Rules.AsyncBlocking;

/// <summary>
/// LS3003 on the shapes real libraries use: each negative test is correct code a careful engineer writes, in our own
/// words, with the meaning of a pattern that the real-code panel reported falsely; each positive test keeps the true
/// finding next to it.
/// </summary>
public sealed class BlockingCallChainInAsyncCodePrecisionTests
{
    private const string Usings = """
        using System;
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;

        """;

    private static Task VerifyClass(string body, params DiagnosticResult[] expected) =>
        Verify.VerifyAnalyzerAsync(Usings + "class C\n{\n" + body + "\n}\n", expected);

    [Fact]
    public Task Waits_with_a_zero_timeout_never_block() => VerifyClass(
        """
            private readonly SemaphoreSlim _signal = new(0);
            private readonly ManualResetEventSlim _done = new();
            private readonly object _gate = new();

            // Draining stale permits, and "take it if nobody holds it" helpers, return at once.
            void Drain() { while (_signal.Wait(0)) { } }
            bool TryTakeInstant() => _signal.Wait(TimeSpan.Zero);
            bool IsDone() => _done.Wait(0);
            bool TryEnterNow() { bool taken = false; Monitor.TryEnter(_gate, 0, ref taken); if (taken) Monitor.Exit(_gate); return taken; }
            void YieldSlice() => Thread.Sleep(0);

            async Task RunAsync()
            {
                Drain();
                _ = TryTakeInstant();
                _ = IsDone();
                _ = TryEnterNow();
                YieldSlice();
                await Task.Yield();
            }
        """);

    [Fact]
    public Task Waits_with_a_real_timeout_still_block() => VerifyClass(
        """
            private readonly SemaphoreSlim _signal = new(0);
            bool TryTake() => _signal.Wait(50);
            async Task RunAsync() { _ = {|#0:TryTake()|}; await Task.Yield(); }
        """,
        Verify.Diagnostic().WithLocation(0).WithArguments("TryTake", "async method 'RunAsync'", "TryTake → SemaphoreSlim.Wait"));
}
