using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Lockstep.Analyzers.Tests.Conventions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace Lockstep.Analyzers.Tests.Samples;

/// <summary>
/// The samples are documentation that must stay true: each pitfall file reports exactly the IDs its line comments
/// name, and its fixed counterpart is exactly what the code fixes produce (with the namespace renamed and the ID
/// comments dropped), so the README never shows a fix the tool does not make.
/// </summary>
public sealed class SampleFamilyTests
{
    private static readonly Regex IdComment = new(@" // (?<ids>LS\d{4}(?: LS\d{4})*)$", RegexOptions.Compiled);

    public static IEnumerable<object[]> Families() =>
        Directory.EnumerateFiles(RepositoryPaths.Combine("samples", "Lockstep.Samples", "Pitfalls"), "*.cs")
            .Select(path => new object[] { Path.GetFileName(path) })
            .OrderBy(c => (string)c[0]);

    [Theory]
    [MemberData(nameof(Families))]
    public async Task Pitfall_file_reports_exactly_the_ids_its_comments_name(string file)
    {
        string source = await File.ReadAllTextAsync(PitfallPath(file));
        var expected = source.Split('\n')
            .SelectMany((line, index) => IdComment.Match(line.TrimEnd('\r')) is { Success: true } match
                ? match.Groups["ids"].Value.Split(' ').Select(id => $"{index + 1}: {id}")
                : Enumerable.Empty<string>())
            .ToList();

        var actual = (await AnalyzeAsync(CreateDocument(source))).Select(d => $"{d.Location.GetLineSpan().StartLinePosition.Line + 1}: {d.Id}").ToList();

        Assert.NotEmpty(expected);
        Assert.Equal(expected, actual);
    }

    [Theory]
    [MemberData(nameof(Families))]
    public async Task Fixed_file_is_the_output_of_the_code_fixes(string file)
    {
        var document = CreateDocument(await File.ReadAllTextAsync(PitfallPath(file)));
        for (int applied = 0; ; applied++)
        {
            Assert.True(applied < 200, "the fixes do not converge");
            var next = await ApplyFirstFixAsync(document);
            if (next is null)
                break;
            document = next;
        }

        string fixedText = (await document.GetTextAsync()).ToString();
        fixedText = string.Join("\n", fixedText.Split('\n').Select(line => IdComment.Replace(line.TrimEnd('\r'), KeepCommentsOfRulesWithoutFix)));
        fixedText = fixedText.Replace("namespace Lockstep.Samples.Pitfalls;", "namespace Lockstep.Samples.Fixed;");

        // LOCKSTEP_UPDATE_SAMPLES=1 writes what the fixes produce to the Fixed file (then review the diff) instead of comparing.
        string fixedPath = RepositoryPaths.Combine("samples", "Lockstep.Samples", "Fixed", file);
        if (Environment.GetEnvironmentVariable("LOCKSTEP_UPDATE_SAMPLES") == "1" && RoslynLeg.IsCurrent)
            await File.WriteAllTextAsync(fixedPath, fixedText);

        string expected = (await File.ReadAllTextAsync(fixedPath)).Replace("\r\n", "\n");
        if (!RoslynLeg.IsCurrent)
        {
            // The samples build with C# 14, where a fix adds its lock field (_sync, s_sync) as a System.Threading.Lock;
            // at the floor's C# 11 the same fix adds an object.
            expected = expected.Replace("readonly Lock _sync = new();", "readonly object _sync = new();")
                .Replace("readonly Lock s_sync = new();", "readonly object s_sync = new();");
        }
        Assert.Equal(expected, fixedText);
    }

    /// <summary>
    /// The fixed file has no finding left but those of rules without a code fix (LS1006), which keep their lines and
    /// their ID comments: the fixes cannot change them, and the comment still says what the line shows.
    /// </summary>
    [Theory]
    [MemberData(nameof(Families))]
    public async Task Fixed_file_reports_only_what_no_fix_repairs(string file)
    {
        string source = await File.ReadAllTextAsync(RepositoryPaths.Combine("samples", "Lockstep.Samples", "Fixed", file));
        var expected = ExpectedIds(source);
        Assert.All(expected, e => Assert.False(HasFixer(e.Split(": ")[1]), $"a fixable finding is left in Fixed/{file}: {e}"));
        var actual = (await AnalyzeAsync(CreateDocument(source))).Select(d => $"{d.Location.GetLineSpan().StartLinePosition.Line + 1}: {d.Id}").ToList();
        Assert.Equal(expected, actual);
    }

    private static List<string> ExpectedIds(string source) => source.Split('\n')
        .SelectMany((line, index) => IdComment.Match(line.TrimEnd('\r')) is { Success: true } match
            ? match.Groups["ids"].Value.Split(' ').Select(id => $"{index + 1}: {id}")
            : Enumerable.Empty<string>())
        .ToList();

    private static bool HasFixer(string id) => LockstepComponents.Fixers.Any(f => f.FixableDiagnosticIds.Contains(id));

    private static string KeepCommentsOfRulesWithoutFix(Match comment) =>
        comment.Groups["ids"].Value.Split(' ').All(id => !HasFixer(id)) ? comment.Value : string.Empty;

    private static string PitfallPath(string file) => RepositoryPaths.Combine("samples", "Lockstep.Samples", "Pitfalls", file);

    private static Document CreateDocument(string source)
    {
        var workspace = new AdhocWorkspace();
        var project = workspace.AddProject(ProjectInfo.Create(
            ProjectId.CreateNewId(),
            VersionStamp.Create(),
            "Sample",
            "Sample",
            LanguageNames.CSharp,
            compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable),
            parseOptions: new CSharpParseOptions(RoslynLeg.LanguageVersion),
            metadataReferences: TestReferences.Framework.Add(TestReferences.RuntimeLibrary)));
        return workspace.AddDocument(project.Id, "Sample.cs", SourceText.From(source.Replace("\r\n", "\n")));
    }

    private static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(Document document)
    {
        var compilation = (await document.Project.GetCompilationAsync())!;
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, "the sample does not compile: " + string.Join("\n", errors));

        var diagnostics = await compilation.WithAnalyzers(LockstepComponents.Analyzers).GetAnalyzerDiagnosticsAsync();
        return diagnostics.OrderBy(d => d.Location.SourceSpan.Start).ThenBy(d => d.Id).ToImmutableArray();
    }

    /// <summary>Applies the first offered fix of the first fixable diagnostic, as a developer clicking through would.</summary>
    private static async Task<Document?> ApplyFirstFixAsync(Document document)
    {
        foreach (var diagnostic in await AnalyzeAsync(document))
        {
            foreach (var fixer in LockstepComponents.Fixers.Where(f => f.FixableDiagnosticIds.Contains(diagnostic.Id)))
            {
                var actions = new List<CodeAction>();
                await fixer.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None));
                if (actions.Count == 0)
                    continue;

                var operations = await actions[0].GetOperationsAsync(CancellationToken.None);
                return operations.OfType<ApplyChangesOperation>().Single().ChangedSolution.GetDocument(document.Id);
            }
        }

        return null;
    }
}
