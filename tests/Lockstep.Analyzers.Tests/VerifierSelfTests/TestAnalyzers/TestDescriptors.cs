using Microsoft.CodeAnalysis;

namespace Lockstep.Analyzers.Tests.VerifierSelfTests.TestAnalyzers;

/// <summary>Descriptors of the verifier's test-only analyzers; the TST prefix keeps them clear of real LS IDs.</summary>
internal static class TestDescriptors
{
    private const string Category = "VerifierSelfTest";

    public static readonly DiagnosticDescriptor FortyTwo = new(
        "TST001", "No 42", "Literal '{0}' is not allowed in '{1}'", Category, DiagnosticSeverity.Warning, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor BadClass = new(
        "TST101", "Bad class name", "Class '{0}' has a bad name", Category, DiagnosticSeverity.Warning, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor BadMethod = new(
        "TST102", "Bad method name", "Method '{0}' has a bad name", Category, DiagnosticSeverity.Info, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor FortyTwoEverywhere = new(
        "TST201", "No 42, even in generated code", "Literal 42 is not allowed", Category, DiagnosticSeverity.Warning, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor Unsuppressible = new(
        "TST202", "No 42, and no way to suppress it", "Literal 42 is not allowed", Category, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        customTags: WellKnownDiagnosticTags.NotConfigurable);

    public static readonly DiagnosticDescriptor Configured = new(
        "TST301", "Configured class report", "Class '{0}' reported because tst.report_classes = {1}", Category, DiagnosticSeverity.Warning, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor BannedWord = new(
        "TST401", "Banned word in additional file", "'{0}' is banned", Category, DiagnosticSeverity.Warning, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor OffByDefault = new(
        "TST501", "Off by default", "Class '{0}' found", Category, DiagnosticSeverity.Info, isEnabledByDefault: false);

    public static readonly DiagnosticDescriptor ClassCount = new(
        "TST601", "Class count", "The compilation declares {0} class(es)", Category, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        customTags: WellKnownDiagnosticTags.CompilationEnd);

    public static readonly DiagnosticDescriptor MethodWithParameters = new(
        "TST701", "Method with parameters", "Method '{0}' has parameters", Category, DiagnosticSeverity.Warning, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor Throwing = new(
        "TST901", "Throws", "Never reported", Category, DiagnosticSeverity.Warning, isEnabledByDefault: true);
}
