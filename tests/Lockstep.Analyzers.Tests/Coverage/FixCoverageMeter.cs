using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Lockstep.Analyzers.Tests.Conventions;
using Lockstep.Analyzers.Tests.Verifiers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace Lockstep.Analyzers.Tests.Coverage;

/// <summary>
/// Counts, per rule, how many findings get at least one code action, and applies every action offered to check that
/// the result compiles without a compiler diagnostic the project did not have (and, for the small projects of the rule
/// tests and samples, without a Lockstep finding of a rule that had none of that ID before).
/// </summary>
internal sealed class FixCoverageMeter
{
    private readonly ConcurrentDictionary<(string Set, string Id), (int Findings, int Fixed)> _counts = new();
    private readonly ConcurrentBag<string> _problems = new();
    private readonly ConcurrentBag<(string Id, string Text)> _unfixed = new();

    /// <summary>Every finding without a fix: its rule and the source line it is on (trimmed), for the report.</summary>
    public IEnumerable<string> Unfixed() =>
        _unfixed.OrderBy(u => u.Id, StringComparer.Ordinal).ThenBy(u => u.Text, StringComparer.Ordinal).Select(u => u.Id + ": " + u.Text);

    public IReadOnlyCollection<string> Problems => _problems;

    /// <summary>
    /// Measures one project. <paramref name="countedIds"/> limits the findings counted (a rule test counts its own
    /// rule's findings); <paramref name="checkFindingsAfterFix"/> re-runs the analyzers after each fix.
    /// </summary>
    public async Task MeasureAsync(string set, Project project, ISet<string>? countedIds, bool checkFindingsAfterFix, CancellationToken cancellationToken = default)
    {
        var compilation = (await project.GetCompilationAsync(cancellationToken))!;
        var diagnostics = await AnalyzeAsync(project, cancellationToken);
        var findingsBefore = CountById(diagnostics);
        var membersWithFindings = await MembersOfAsync(project, diagnostics, cancellationToken);

        foreach (var diagnostic in diagnostics)
        {
            if (diagnostic.Id == DiagnosticIds.AnalysisBudgetExhausted || countedIds?.Contains(diagnostic.Id) == false)
                continue;

            var document = project.GetDocument(diagnostic.Location.SourceTree);
            if (document is null)
                continue;

            var actions = new List<CodeAction>();
            foreach (var fixer in LockstepComponents.Fixers.Where(f => f.FixableDiagnosticIds.Contains(diagnostic.Id)))
                await fixer.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), cancellationToken));

            _counts.AddOrUpdate((set, diagnostic.Id), _ => (1, actions.Count > 0 ? 1 : 0), (_, c) => (c.Findings + 1, c.Fixed + (actions.Count > 0 ? 1 : 0)));
            if (actions.Count == 0)
            {
                var line = diagnostic.Location.SourceTree!.GetText(cancellationToken).Lines.GetLineFromPosition(diagnostic.Location.SourceSpan.Start);
                _unfixed.Add((diagnostic.Id, $"[{set}] {line.ToString().Trim()}"));
            }

            foreach (var action in actions)
                await CheckAppliedAsync(set, project, compilation, diagnostic, action, checkFindingsAfterFix ? findingsBefore : null, membersWithFindings, cancellationToken);
        }
    }

    private async Task CheckAppliedAsync(string set, Project project, Compilation before, Diagnostic diagnostic, CodeAction action, Dictionary<string, int>? findingsBefore, ISet<string> membersWithFindings, CancellationToken cancellationToken)
    {
        string where = $"{set}: {diagnostic.Id} at {diagnostic.Location.GetLineSpan()} ('{action.Title}')";
        var operations = await action.GetOperationsAsync(cancellationToken);
        var changed = operations.OfType<ApplyChangesOperation>().SingleOrDefault()?.ChangedSolution.GetProject(project.Id);
        if (changed is null)
        {
            _problems.Add(where + ": the action changes nothing");
            return;
        }

        var after = (await changed.GetCompilationAsync(cancellationToken))!;
        foreach (var documentId in changed.GetChanges(project).GetChangedDocuments())
        {
            var oldTree = (await project.GetDocument(documentId)!.GetSyntaxTreeAsync(cancellationToken))!;
            var newTree = (await changed.GetDocument(documentId)!.GetSyntaxTreeAsync(cancellationToken))!;
            var oldIds = CountById(before.GetSemanticModel(oldTree).GetDiagnostics(cancellationToken: cancellationToken).Where(IsWarningOrError));
            var newDiagnostics = after.GetSemanticModel(newTree).GetDiagnostics(cancellationToken: cancellationToken).Where(IsWarningOrError).ToList();
            foreach (var (id, count) in CountById(newDiagnostics))
            {
                if (count > oldIds.GetValueOrDefault(id))
                    _problems.Add(where + ": the fixed code has new compiler diagnostics: " + string.Join("; ", newDiagnostics.Where(d => d.Id == id)) + "\n" + string.Join("\n", await Task.WhenAll(changed.GetChanges(project).GetChangedDocuments().Select(async id => (await changed.GetDocument(id)!.GetTextAsync(cancellationToken)).ToString()))));
            }
        }

        if (findingsBefore is null)
            return;

        // A finding of a rule that had none before is new, unless it stands in a member that already had a finding: fixing
        // one of two racing writes under the lock the field's other writes use makes LS1004 see the lock, and it then
        // points at the other write, which LS1001 reports already. Only a finding in a member that had none is a new problem.
        var findingsAfter = await AnalyzeAsync(changed, cancellationToken);
        var afterMembers = await MembersByDiagnosticAsync(changed, findingsAfter, cancellationToken);
        foreach (var (id, count) in CountById(findingsAfter.Where(d => !membersWithFindings.Contains(afterMembers[d]))))
        {
            if (id != DiagnosticIds.AnalysisBudgetExhausted && findingsBefore.GetValueOrDefault(id) == 0)
                _problems.Add(where + $": the fixed code has {count} new {id} finding(s)\n" + string.Join("\n", await Task.WhenAll(changed.GetChanges(project).GetChangedDocuments().Select(async id => (await changed.GetDocument(id)!.GetTextAsync(cancellationToken)).ToString()))));
        }
    }

    private static async Task<ISet<string>> MembersOfAsync(Project project, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken) =>
        new HashSet<string>((await MembersByDiagnosticAsync(project, diagnostics, cancellationToken)).Values);

    /// <summary>The member (by its display string) each diagnostic stands in.</summary>
    private static async Task<Dictionary<Diagnostic, string>> MembersByDiagnosticAsync(Project project, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var compilation = (await project.GetCompilationAsync(cancellationToken))!;
        var members = new Dictionary<Diagnostic, string>();
        foreach (var diagnostic in diagnostics)
        {
            var tree = diagnostic.Location.SourceTree;
            members[diagnostic] = tree is null || !compilation.ContainsSyntaxTree(tree)
                ? "(none)"
                : compilation.GetSemanticModel(tree).GetEnclosingSymbol(diagnostic.Location.SourceSpan.Start, cancellationToken)?.ToDisplayString() ?? "(none)";
        }

        return members;
    }

    private static bool IsWarningOrError(Diagnostic diagnostic) => diagnostic.Severity >= DiagnosticSeverity.Warning;

    private static Dictionary<string, int> CountById(IEnumerable<Diagnostic> diagnostics) =>
        diagnostics.GroupBy(d => d.Id).ToDictionary(g => g.Key, g => g.Count());

    /// <summary>Every Lockstep analyzer, every rule forced on, compilation-end rules included.</summary>
    public static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(Project project, CancellationToken cancellationToken)
    {
        var compilation = (await project.GetCompilationAsync(cancellationToken))!;
        var forced = compilation.Options.WithSpecificDiagnosticOptions(
            compilation.Options.SpecificDiagnosticOptions.SetItems(LockstepComponents.Descriptors.Select(d => new KeyValuePair<string, ReportDiagnostic>(d.Id, ReportDiagnostic.Warn))));
        var diagnostics = await compilation.WithOptions(forced)
            .WithAnalyzers(LockstepComponents.Analyzers, project.AnalyzerOptions)
            .GetAnalyzerDiagnosticsAsync(cancellationToken);
        return diagnostics
            .OrderBy(d => d.Location.SourceTree?.FilePath, StringComparer.Ordinal)
            .ThenBy(d => d.Location.SourceSpan.Start)
            .ThenBy(d => d.Id, StringComparer.Ordinal)
            .ToImmutableArray();
    }

    /// <summary>A project as the rule tests, the samples and the corpus compile: the SDK's reference pack and the runtime library.</summary>
    public static Project CreateProject(
        IEnumerable<(string Name, string Text)> sources,
        IEnumerable<(string Name, string Text)> analyzerConfigFiles,
        LanguageVersion languageVersion,
        OutputKind outputKind = OutputKind.DynamicallyLinkedLibrary,
        bool referenceRuntimeLibrary = true)
    {
        var workspace = new AdhocWorkspace();
        var references = referenceRuntimeLibrary ? TestReferences.Framework.Add(TestReferences.RuntimeLibrary) : TestReferences.Framework;
        var project = workspace.AddProject(ProjectInfo.Create(
            ProjectId.CreateNewId(),
            VersionStamp.Create(),
            "Measured",
            "Measured",
            LanguageNames.CSharp,
            compilationOptions: new CSharpCompilationOptions(outputKind, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true)
                .WithSpecificDiagnosticOptions(new Dictionary<string, ReportDiagnostic> { ["CS1701"] = ReportDiagnostic.Suppress, ["CS1702"] = ReportDiagnostic.Suppress }),
            parseOptions: new CSharpParseOptions(languageVersion),
            metadataReferences: references));

        var solution = project.Solution;
        foreach (var (name, text) in sources)
            solution = solution.AddDocument(DocumentId.CreateNewId(project.Id), name, SourceText.From(text.Replace("\r\n", "\n")), filePath: name);
        foreach (var (name, text) in analyzerConfigFiles)
            solution = solution.AddAnalyzerConfigDocument(DocumentId.CreateNewId(project.Id), name, SourceText.From(text), filePath: name);
        return solution.GetProject(project.Id)!;
    }

    /// <summary>
    /// Rule | set … | all sets | all sets but <paramref name="excluded"/>, then one line per family; figures are
    /// "fixed / findings (percent)".
    /// </summary>
    public string Report(IReadOnlyList<string> sets, string excluded)
    {
        var builder = new StringBuilder();
        builder.AppendLine("| Rule | " + string.Join(" | ", sets) + " | All | All but " + excluded + " |");
        builder.AppendLine("|---|" + string.Concat(Enumerable.Repeat("---:|", sets.Count + 2)));
        foreach (var group in Rules().GroupBy(Family))
        {
            foreach (var id in group)
                builder.AppendLine($"| {id} | " + string.Join(" | ", sets.Select(s => Cell(Sum(s, new[] { id })))) + " | " + Cell(Sum(null, new[] { id })) + " | " + Cell(Sum(null, new[] { id }, excluded)) + " |");
            builder.AppendLine($"| **{group.Key}** | " + string.Join(" | ", sets.Select(s => Cell(Sum(s, group)))) + " | **" + Cell(Sum(null, group)) + "** | **" + Cell(Sum(null, group, excluded)) + "** |");
        }

        return builder.ToString();
    }

    /// <summary>Fixed and total findings of each family over every set but <paramref name="excluded"/>.</summary>
    public IEnumerable<(string Family, int Fixed, int Findings)> Families(string? excluded = null) =>
        Rules().GroupBy(Family).Select(g => (g.Key, Sum(null, g, excluded).Fixed, Sum(null, g, excluded).Findings));

    private IEnumerable<string> Rules() =>
        LockstepComponents.Descriptors.Select(d => d.Id).Where(id => id != DiagnosticIds.AnalysisBudgetExhausted).Distinct().OrderBy(id => id, StringComparer.Ordinal);

    private static string Family(string id) => LockstepComponents.Descriptor(id).Category;

    private (int Fixed, int Findings) Sum(string? set, IEnumerable<string> ids, string? excluded = null)
    {
        var idSet = ids.ToHashSet();
        var counts = _counts.Where(c => (set is null || c.Key.Set == set) && c.Key.Set != excluded && idSet.Contains(c.Key.Id)).Select(c => c.Value).ToList();
        return (counts.Sum(c => c.Fixed), counts.Sum(c => c.Findings));
    }

    private static string Cell((int Fixed, int Findings) count) =>
        count.Findings == 0 ? "–" : string.Create(CultureInfo.InvariantCulture, $"{count.Fixed}/{count.Findings} ({100.0 * count.Fixed / count.Findings:F0}%)");
}
