using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Lockstep.Analyzers.Tests.Conventions;

/// <summary>
/// A descriptor says whether its rule reports at compilation end (the CompilationEnd tag): the IDE runs such rules only
/// in full-solution analysis, and a rule that reports there without the tag is silently missing from the editor. The
/// pitfall samples trigger every rule, so their diagnostics show where each rule really reports.
/// </summary>
public sealed class CompilationEndConventionTests
{
    [Fact]
    public async Task A_rule_reports_at_compilation_end_exactly_when_its_descriptor_says_so()
    {
        var trees = Directory.EnumerateFiles(RepositoryPaths.Combine("samples", "Lockstep.Samples", "Pitfalls"), "*.cs")
            .OrderBy(path => path, System.StringComparer.Ordinal)
            .Select(path => CSharpSyntaxTree.ParseText(File.ReadAllText(path), new CSharpParseOptions(RoslynLeg.LanguageVersion), path));
        var compilation = CSharpCompilation.Create(
            "Samples",
            trees,
            TestReferences.Framework.Add(TestReferences.RuntimeLibrary),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

        var result = await compilation.WithAnalyzers(LockstepComponents.Analyzers).GetAnalysisResultAsync(default);
        var nonLocal = result.CompilationDiagnostics.SelectMany(pair => pair.Value).Select(d => d.Descriptor).ToImmutableHashSet();
        var reported = result.GetAllDiagnostics().Select(d => d.Descriptor).ToImmutableHashSet();

        Assert.NotEmpty(nonLocal);
        foreach (var descriptor in reported.OrderBy(d => d.Id))
        {
            bool tagged = descriptor.CustomTags.Contains(WellKnownDiagnosticTags.CompilationEnd);
            Assert.True(tagged == nonLocal.Contains(descriptor), tagged
                ? $"{descriptor.Id} is tagged CompilationEnd but reports only from local actions"
                : $"{descriptor.Id} reports at compilation end but its descriptor lacks the CompilationEnd tag");
        }
    }
}
