using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace Lockstep.Analyzers.Tests.Verifiers;

/// <summary>
/// Everything one <c>RunAsync</c> shares between its phases: the analyzers, the workspace, how projects are built
/// and how diagnostics are compared and reported.
/// </summary>
internal sealed class VerificationSession : IDisposable
{
    private readonly TestProjectBuilder _projectBuilder;
    private readonly AdhocWorkspace _workspace = new();

    public VerificationSession(
        ImmutableArray<DiagnosticAnalyzer> analyzers,
        DiagnosticDescriptor? defaultDiagnostic,
        CompilerDiagnostics compilerDiagnostics,
        TestProjectBuilder projectBuilder)
    {
        Analyzers = analyzers;
        SupportedDiagnostics = analyzers.SelectMany(a => a.SupportedDiagnostics).ToImmutableArray();
        DescriptorsById = SupportedDiagnostics.GroupBy(d => d.Id).ToDictionary(g => g.Key, g => g.First());
        DefaultDiagnostic = defaultDiagnostic;
        CompilerDiagnostics = compilerDiagnostics;
        _projectBuilder = projectBuilder;
    }

    public ImmutableArray<DiagnosticAnalyzer> Analyzers { get; }

    public ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; }

    public IReadOnlyDictionary<string, DiagnosticDescriptor> DescriptorsById { get; }

    public DiagnosticDescriptor? DefaultDiagnostic { get; }

    public CompilerDiagnostics CompilerDiagnostics { get; }

    public PreparedState Prepare(string name, SolutionState state) =>
        StatePreparer.Prepare(name, state, DefaultDiagnostic, SupportedDiagnostics);

    public Project CreateProject(PreparedState state) => _projectBuilder.Build(_workspace, state);

    public Task<AnalysisResult> AnalyzeAsync(Project project, string phase, CancellationToken cancellationToken) =>
        AnalyzerRunner.RunAsync(project, Analyzers, phase, cancellationToken);

    /// <summary>The actual diagnostics that take part in a comparison: all from the analyzers, compiler ones by <see cref="CompilerDiagnostics"/>.</summary>
    public ImmutableArray<Diagnostic> ComparedDiagnostics(AnalysisResult analysis, IEnumerable<DiagnosticResult> expected)
    {
        var expectedIds = new HashSet<string>(expected.Select(e => e.Id));
        return DiagnosticOrder.Sort(analysis.AnalyzerDiagnostics.Concat(
                analysis.CompilerDiagnostics.Where(d => CompilerDiagnosticFilter.IsCompared(d, CompilerDiagnostics, expectedIds))))
            .ToImmutableArray();
    }

    public void VerifyDiagnostics(string phase, AnalysisResult analysis, PreparedState state)
    {
        var actual = ComparedDiagnostics(analysis, state.ExpectedDiagnostics);
        var comparison = DiagnosticComparer.Compare(state.ExpectedDiagnostics, actual);
        if (comparison.IsMatch)
            return;

        var defaultPath = DefaultPath(analysis.Project);
        var message = new StringBuilder();
        message.Append(phase).AppendLine(": the reported diagnostics differ from the expected ones.");
        if (comparison.Missing.Count > 0)
        {
            message.AppendLine().AppendLine("Expected but not reported:");
            foreach (var result in comparison.Missing)
                message.Append("    ").AppendLine(DiagnosticFormatter.FormatExpected(result, defaultPath));
        }

        if (comparison.Unexpected.Count > 0)
        {
            message.AppendLine().AppendLine("Reported but not expected:");
            foreach (var diagnostic in comparison.Unexpected)
                message.Append("    ").Append(DiagnosticFormatter.FormatActual(diagnostic, DescriptorsById, defaultPath)).Append("  // ").AppendLine(diagnostic.GetMessage());
        }

        if (comparison.Mismatched.Count > 0)
        {
            message.AppendLine().AppendLine("Reported, but different from the expectation:");
            foreach (var mismatch in comparison.Mismatched)
            {
                message.Append("    expected ").AppendLine(DiagnosticFormatter.FormatExpected(mismatch.Expected, defaultPath));
                message.Append("    actual   ").AppendLine(DiagnosticFormatter.FormatActual(mismatch.Actual, DescriptorsById, defaultPath));
                foreach (var difference in mismatch.Differences)
                    message.Append("      ").AppendLine(difference);
            }
        }

        message.AppendLine().Append(DescribeActual(actual, analysis.Project));
        throw new VerifierException(message.ToString());
    }

    /// <summary>
    /// Re-runs the analyzers with every source rewritten by <paramref name="rewrite"/> (a generated-code header, a
    /// pragma) and fails if they still report anything in source. Diagnostics without a source location (compilation
    /// end, additional files) are neither generated code nor suppressible by pragma, so they are not counted.
    /// </summary>
    public async Task VerifySilencedAsync(string phase, Project project, Func<string, string> rewrite, string advice, CancellationToken cancellationToken)
    {
        var solution = project.Solution;
        foreach (var document in project.Documents)
        {
            var text = await document.GetTextAsync(cancellationToken).ConfigureAwait(false);
            solution = solution.WithDocumentText(document.Id, SourceText.From(rewrite(text.ToString()), Encoding.UTF8));
        }

        var rewritten = solution.GetProject(project.Id)!;
        var analysis = await AnalyzeAsync(rewritten, phase, cancellationToken).ConfigureAwait(false);
        var reported = analysis.AnalyzerDiagnostics.Where(d => d.Location.IsInSource).ToList();
        if (reported.Count > 0)
            throw new VerifierException($"{phase}: {advice}\n\nReported in the rewritten sources:\n{DiagnosticFormatter.FormatListing(reported, path => FindText(rewritten, path))}");
    }

    /// <summary>The actual diagnostics twice: as lines to paste into the expected list, and under the source lines they mark.</summary>
    public string DescribeActual(IReadOnlyCollection<Diagnostic> diagnostics, Project project)
    {
        var text = new StringBuilder();
        if (diagnostics.Count == 0)
            return text.AppendLine("Actual diagnostics: none.").ToString();

        var defaultPath = DefaultPath(project);
        text.AppendLine("Actual diagnostics, ready to paste:");
        foreach (var diagnostic in DiagnosticOrder.Sort(diagnostics))
            text.Append("    ").Append(DiagnosticFormatter.FormatActual(diagnostic, DescriptorsById, defaultPath)).AppendLine(",");

        text.AppendLine().AppendLine("Actual diagnostics in the source:");
        text.Append(DiagnosticFormatter.FormatListing(diagnostics, path => FindText(project, path)));
        return text.ToString();
    }

    public void Dispose() => _workspace.Dispose();

    /// <summary>Expected locations without a path refer to the first source file.</summary>
    private static string DefaultPath(Project project) => project.Documents.FirstOrDefault()?.FilePath ?? string.Empty;

    private static SourceText? FindText(Project project, string path)
    {
        var document = project.Documents.Concat(project.AdditionalDocuments).FirstOrDefault(d => d.FilePath == path);
        return document is not null && document.TryGetText(out var text) ? text : null;
    }
}
