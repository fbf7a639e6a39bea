namespace Lockstep.Analyzers.Tests.Verifiers;

internal enum MarkupKind
{
    /// <summary><c>[|code|]</c>: the analyzer's default diagnostic.</summary>
    DefaultDiagnostic,

    /// <summary><c>{|ID:code|}</c>: a diagnostic with that ID.</summary>
    DiagnosticId,

    /// <summary><c>{|#0:code|}</c>: a location claimed by <c>DiagnosticResult.WithLocation(0)</c>.</summary>
    LocationKey,
}
