namespace Lockstep.Analyzers.Tests.Verifiers;

/// <summary>
/// Which compiler diagnostics in the test sources take part in the comparison. Compiler diagnostics below the
/// level are ignored unless their ID is expected (then they are compared like any other diagnostic).
/// </summary>
public enum CompilerDiagnostics
{
    /// <summary>No compiler diagnostic is compared unless expected.</summary>
    None,

    /// <summary>Compiler errors must be expected (the default: test code has to compile).</summary>
    Errors,

    /// <summary>Compiler errors and warnings must be expected.</summary>
    Warnings,

    /// <summary>Errors, warnings and info diagnostics must be expected.</summary>
    Suggestions,

    /// <summary>Every compiler diagnostic, hidden ones included, must be expected.</summary>
    All,
}
