using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace Lockstep.Analyzers.Tests.Verifiers;

/// <summary>Builds the one-project solution a test state compiles in.</summary>
internal sealed class TestProjectBuilder
{
    private const string ProjectName = "TestProject";

    /// <summary>Where the global config that turns on rules disabled by default goes; no test file is named like this.</summary>
    private const string ForcedOnConfigPath = "/.lockstep-verifier.globalconfig";

    private readonly CSharpCompilationOptions _compilationOptions;
    private readonly CSharpParseOptions _parseOptions;
    private readonly ImmutableArray<MetadataReference> _references;
    private readonly IReadOnlyList<Func<Solution, ProjectId, Solution>> _solutionTransforms;
    private readonly string? _forcedOnConfig;

    public TestProjectBuilder(
        LanguageVersion languageVersion,
        OutputKind outputKind,
        IEnumerable<DiagnosticDescriptor> analyzerDiagnostics,
        IEnumerable<string> disabledDiagnostics,
        IEnumerable<MetadataReference> references,
        IReadOnlyList<Func<Solution, ProjectId, Solution>> solutionTransforms)
    {
        var specificOptions = new Dictionary<string, ReportDiagnostic>
        {
            // Version-unification notes the SDK silences with NoWarn; they say nothing about the test code.
            ["CS1701"] = ReportDiagnostic.Suppress,
            ["CS1702"] = ReportDiagnostic.Suppress,
        };
        var disabled = new HashSet<string>(disabledDiagnostics);
        foreach (var id in disabled)
            specificOptions[id] = ReportDiagnostic.Suppress;

        // A rule the test disables must not be switched back on by the forced-on config.
        _forcedOnConfig = ForcedOnConfig(analyzerDiagnostics.Where(d => !disabled.Contains(d.Id)));

        _compilationOptions = new CSharpCompilationOptions(
            outputKind,
            allowUnsafe: true,
            nullableContextOptions: NullableContextOptions.Enable,
            specificDiagnosticOptions: specificOptions);

        // Diagnose mode parses documentation comments, so analyzers see them as structured trivia.
        _parseOptions = new CSharpParseOptions(languageVersion, DocumentationMode.Diagnose);
        _references = references.ToImmutableArray();
        _solutionTransforms = solutionTransforms;
    }

    public Project Build(Workspace workspace, PreparedState state)
    {
        var projectId = ProjectId.CreateNewId(ProjectName);
        var solution = workspace.CurrentSolution.AddProject(ProjectInfo.Create(
            projectId,
            VersionStamp.Default,
            name: ProjectName,
            assemblyName: ProjectName,
            language: LanguageNames.CSharp,
            compilationOptions: _compilationOptions,
            parseOptions: _parseOptions,
            metadataReferences: _references));

        foreach (var source in state.Sources)
            solution = solution.AddDocument(DocumentId.CreateNewId(projectId, source.Path), Path.GetFileName(source.Path), ToText(source.Text), filePath: source.Path);

        foreach (var file in state.AdditionalFiles)
            solution = solution.AddAdditionalDocument(DocumentId.CreateNewId(projectId, file.Path), Path.GetFileName(file.Path), ToText(file.Text), filePath: file.Path);

        foreach (var (path, text) in state.AnalyzerConfigFiles)
            solution = solution.AddAnalyzerConfigDocument(DocumentId.CreateNewId(projectId, path), Path.GetFileName(path), ToText(text), filePath: path);

        if (_forcedOnConfig is not null)
            solution = solution.AddAnalyzerConfigDocument(DocumentId.CreateNewId(projectId, ForcedOnConfigPath), Path.GetFileName(ForcedOnConfigPath), ToText(_forcedOnConfig), filePath: ForcedOnConfigPath);

        foreach (var transform in _solutionTransforms)
            solution = transform(solution, projectId);

        return solution.GetProject(projectId)!;
    }

    /// <summary>
    /// Rules that are off by default (RuleLevel.Disabled) must still be testable, so they are turned on at their
    /// default severity. This has to be a global config: with a workspace project, Roslyn 4.5 ignores
    /// SpecificDiagnosticOptions that enable a rule disabled by default (the project's syntax-tree options provider
    /// takes over). The lowest global level lets a test's own .editorconfig or global config still change the severity.
    /// </summary>
    private static string? ForcedOnConfig(IEnumerable<DiagnosticDescriptor> analyzerDiagnostics)
    {
        var lines = analyzerDiagnostics
            .Where(d => !d.IsEnabledByDefault)
            .Select(d => $"dotnet_diagnostic.{d.Id}.severity = {ToConfigSeverity(d.DefaultSeverity)}")
            .Distinct()
            .ToList();
        return lines.Count == 0 ? null : $"is_global = true\nglobal_level = -1000\n{string.Join("\n", lines)}\n";
    }

    private static string ToConfigSeverity(DiagnosticSeverity severity) => severity switch
    {
        DiagnosticSeverity.Error => "error",
        DiagnosticSeverity.Warning => "warning",
        DiagnosticSeverity.Info => "suggestion",
        _ => "silent",
    };

    private static SourceText ToText(string text) => SourceText.From(text, Encoding.UTF8);

}
