using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace Lockstep.Analyzers.Tests.Verifiers;

/// <summary>Builds the one-project solution a test state compiles in.</summary>
internal sealed class TestProjectBuilder
{
    private const string ProjectName = "TestProject";

    private readonly CSharpCompilationOptions _compilationOptions;
    private readonly CSharpParseOptions _parseOptions;
    private readonly ImmutableArray<MetadataReference> _references;
    private readonly IReadOnlyList<Func<Solution, ProjectId, Solution>> _solutionTransforms;

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
        foreach (var descriptor in analyzerDiagnostics)
        {
            // Rules that are off by default (RuleLevel.Disabled) must still be testable: turn them on at their
            // default severity. Rules on by default keep the compiler's default so .editorconfig can change them.
            if (!descriptor.IsEnabledByDefault)
                specificOptions[descriptor.Id] = ToReportDiagnostic(descriptor.DefaultSeverity);
        }

        foreach (var id in disabledDiagnostics)
            specificOptions[id] = ReportDiagnostic.Suppress;

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

        foreach (var transform in _solutionTransforms)
            solution = transform(solution, projectId);

        return solution.GetProject(projectId)!;
    }

    private static SourceText ToText(string text) => SourceText.From(text, Encoding.UTF8);

    private static ReportDiagnostic ToReportDiagnostic(DiagnosticSeverity severity) => severity switch
    {
        DiagnosticSeverity.Error => ReportDiagnostic.Error,
        DiagnosticSeverity.Warning => ReportDiagnostic.Warn,
        DiagnosticSeverity.Info => ReportDiagnostic.Info,
        _ => ReportDiagnostic.Hidden,
    };
}
