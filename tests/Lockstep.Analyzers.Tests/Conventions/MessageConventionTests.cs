using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Lockstep.Analyzers.Tests.Conventions;

/// <summary>
/// Every message a user sees ends with what to do about it. The format check in <see cref="DescriptorConventionTests"/>
/// cannot see a remedy that a placeholder supplies (LS3002's "await it"), so this one reads the messages the pitfall
/// samples produce, arguments filled in.
/// </summary>
public sealed class MessageConventionTests
{
    [Fact]
    public async Task Messages_in_the_samples_end_with_what_to_do()
    {
        var trees = Directory.EnumerateFiles(RepositoryPaths.Combine("samples", "Lockstep.Samples", "Pitfalls"), "*.cs")
            .OrderBy(path => path, System.StringComparer.Ordinal)
            .Select(path => CSharpSyntaxTree.ParseText(File.ReadAllText(path), new CSharpParseOptions(RoslynLeg.LanguageVersion), path));
        var compilation = CSharpCompilation.Create(
            "Samples",
            trees,
            TestReferences.Framework.Add(TestReferences.RuntimeLibrary),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

        var diagnostics = await compilation.WithAnalyzers(LockstepComponents.Analyzers).GetAnalyzerDiagnosticsAsync();

        Assert.NotEmpty(diagnostics);
        var offenders = new List<string>();
        foreach (var diagnostic in diagnostics)
        {
            string message = diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
            string? remedy = DescriptorConventionTests.RemedyClause(message);
            string first = remedy?.Split(' ', ',')[0] ?? "";
            if (!DescriptorConventionTests.RemedyVerbs.Contains(first))
                offenders.Add($"{diagnostic.Id}: {message}");
        }

        Assert.True(offenders.Count == 0, "messages without a '; <what to do>' clause:\n" + string.Join("\n", offenders));
    }
}
