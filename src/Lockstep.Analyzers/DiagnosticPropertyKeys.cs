namespace Lockstep.Analyzers;

/// <summary>Keys of <see cref="Microsoft.CodeAnalysis.Diagnostic.Properties"/> that analyzers fill for their code fixes.</summary>
public static class DiagnosticPropertyKeys
{
    /// <summary>Which awaited rewrite applies (an <c>AwaitFixKind</c> name); absent when there is none.</summary>
    public const string AwaitFix = "AwaitFix";

    /// <summary>LS3003: name of the awaitable counterpart of the blocking callee (<c>PauseAsync</c> for <c>Pause</c>).</summary>
    public const string AsyncCounterpart = "AsyncCounterpart";
}
