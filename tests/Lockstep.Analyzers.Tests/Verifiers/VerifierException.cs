using System;
using Xunit.Sdk;

namespace Lockstep.Analyzers.Tests.Verifiers;

/// <summary>
/// Thrown when a verification fails or a test is set up wrongly (bad markup, unknown diagnostic ID).
/// It derives from xunit's <see cref="XunitException"/> so the runner reports it as an assertion failure and
/// prints the message as-is; <c>Assert.ThrowsAnyAsync&lt;Exception&gt;</c> and
/// <c>Assert.ThrowsAsync&lt;VerifierException&gt;</c> both catch it.
/// </summary>
public sealed class VerifierException : XunitException
{
    public VerifierException(string message)
        : base(message)
    {
    }

    public VerifierException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
