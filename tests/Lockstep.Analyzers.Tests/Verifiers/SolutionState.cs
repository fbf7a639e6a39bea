using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace Lockstep.Analyzers.Tests.Verifiers;

/// <summary>
/// The files of one state of the test project (<c>TestState</c>, <c>FixedState</c>, <c>BatchFixedState</c>) and
/// the diagnostics expected in that state besides those written as markup.
/// </summary>
public sealed class SolutionState
{
    /// <summary>Where plain-string sources are put; the first source's path is the default path of expected locations.</summary>
    internal const string DefaultSourcePrefix = "/0/Test";

    public SourceFileList Sources { get; } = new(DefaultSourcePrefix, "cs");

    /// <summary>AdditionalFiles (e.g. <c>("/0/BannedSymbols.txt", "…")</c>); markup in them is parsed too.</summary>
    public SourceFileCollection AdditionalFiles { get; } = new();

    /// <summary>.editorconfig / global config files, e.g. <c>("/.editorconfig", "root = true\n[*.cs]\nkey = value")</c>. Not parsed for markup.</summary>
    public SourceFileCollection AnalyzerConfigFiles { get; } = new();

    public List<DiagnosticResult> ExpectedDiagnostics { get; } = new();

    /// <summary>References added to the defaults (framework reference assemblies and, unless disabled, the runtime library).</summary>
    public List<MetadataReference> AdditionalReferences { get; } = new();

    /// <summary>The project's output kind; <see langword="null"/> means a class library. Only read from <c>TestState</c>.</summary>
    public OutputKind? OutputKind { get; set; }
}
