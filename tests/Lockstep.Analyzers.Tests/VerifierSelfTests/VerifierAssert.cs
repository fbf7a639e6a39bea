using System;
using System.Threading.Tasks;
using Xunit.Abstractions;

namespace Lockstep.Analyzers.Tests.VerifierSelfTests;

/// <summary>Helpers for tests that expect the verifier to fail.</summary>
internal static class VerifierAssert
{
    /// <summary>Runs a verification that must fail, and returns its message (also written to the test output for review).</summary>
    public static async Task<string> FailsAsync(Func<Task> verification, ITestOutputHelper? output = null)
    {
        var exception = await Assert.ThrowsAsync<VerifierException>(verification);
        output?.WriteLine(exception.Message);
        return exception.Message;
    }
}
