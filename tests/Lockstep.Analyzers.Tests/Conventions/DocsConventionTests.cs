using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Lockstep.Analyzers.Tests.Conventions;

/// <summary>
/// The user-facing docs stand on their own: no references to material outside the repository, the supported-compiler
/// claim matches the Roslyn floor the analyzers are built against, every runtime type has a page, and the C# on those
/// pages compiles against the runtime library.
/// </summary>
public sealed class DocsConventionTests
{
    /// <summary>Words that point at material a reader of this repository does not have.</summary>
    private static readonly Regex OutsideMaterial = new(
        @"\b(lessons?|tutorials?|python|gevent|greenlets?|seeds?)\b|shared/|\.\./\.\./\.\.",
        RegexOptions.IgnoreCase | RegexOptions.Compiled);

    /// <summary>
    /// The compilers that carry each Roslyn version we may build against: a claim in the docs is only true for the floor
    /// in Directory.Packages.props. Raising the floor means adding its row here and updating the docs the test names.
    /// </summary>
    private static readonly Dictionary<string, (string VisualStudio, string Sdk)> CompilersByRoslyn = new()
    {
        ["4.5.0"] = ("Visual Studio 2022 17.5", ".NET SDK 7.0.200"),
    };

    public static IEnumerable<object[]> UserFacingFiles()
    {
        var files = new List<string> { RepositoryPaths.Combine("README.md") };
        files.AddRange(Directory.EnumerateFiles(RepositoryPaths.Combine("docs"), "*.md", SearchOption.AllDirectories));
        files.AddRange(Directory.EnumerateFiles(RepositoryPaths.Combine("samples"), "*", SearchOption.AllDirectories)
            .Where(path => path.EndsWith(".md") || path.EndsWith(".cs") || path.EndsWith(".csproj"))
            .Where(path => !path.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar) && !path.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar)));
        return files.OrderBy(f => f, System.StringComparer.Ordinal).Select(f => new object[] { Path.GetRelativePath(RepositoryPaths.Root, f).Replace('\\', '/') });
    }

    [Theory]
    [MemberData(nameof(UserFacingFiles))]
    public void Docs_and_samples_do_not_refer_to_material_outside_the_repository(string file)
    {
        var offenders = File.ReadAllLines(RepositoryPaths.Combine(file.Split('/')))
            .Select((line, index) => (line, index))
            .Where(l => OutsideMaterial.IsMatch(l.line))
            .Select(l => $"{file}({l.index + 1}): {l.line.Trim()}")
            .ToList();

        Assert.True(offenders.Count == 0, "the docs stand on their own:\n" + string.Join("\n", offenders));
    }

    [Theory]
    [InlineData("README.md")]
    [InlineData("docs/getting-started.md")]
    [InlineData("src/Lockstep/PACKAGE.md")]
    [InlineData("src/Lockstep.Analyzers.Package/PACKAGE.md")]
    public void Supported_compilers_claim_matches_the_Roslyn_floor(string file)
    {
        var packages = System.Xml.Linq.XDocument.Load(RepositoryPaths.Combine("Directory.Packages.props"));
        string floor = packages.Descendants().Single(e => e.Name.LocalName == "RoslynVersion").Value.Trim();
        Assert.True(CompilersByRoslyn.TryGetValue(floor, out var compilers), $"no known compilers for Roslyn {floor}: add them to this test and the docs");

        string text = File.ReadAllText(RepositoryPaths.Combine(file.Split('/')));
        Assert.Contains(compilers.VisualStudio + " or later", text);
        Assert.Contains(compilers.Sdk + " or later", text);
        Assert.Contains("Roslyn " + floor.Substring(0, floor.LastIndexOf('.')), text);
    }

    [Theory]
    [InlineData("AsyncLock")]
    [InlineData("BoundedWorkQueue")]
    [InlineData("Guarded")]
    [InlineData("OrderedLock")]
    [InlineData("Attributes")]
    public void Every_runtime_type_has_a_page_linked_from_the_runtime_index(string page)
    {
        Assert.True(File.Exists(RepositoryPaths.Combine("docs", "runtime", page + ".md")), $"docs/runtime/{page}.md is missing");
        Assert.Contains($"({page}.md)", File.ReadAllText(RepositoryPaths.Combine("docs", "runtime", "README.md")));
    }

    public static IEnumerable<object[]> RuntimeSnippets() =>
        Directory.EnumerateFiles(RepositoryPaths.Combine("docs", "runtime"), "*.md")
            .OrderBy(f => f, System.StringComparer.Ordinal)
            .SelectMany(path => Regex.Matches(File.ReadAllText(path).Replace("\r\n", "\n"), "```csharp\n(?<code>.*?)\n```", RegexOptions.Singleline)
                .Select((match, index) => new object[] { Path.GetFileName(path), index }));

    [Theory]
    [MemberData(nameof(RuntimeSnippets))]
    public void Runtime_docs_snippets_compile_against_the_runtime_library(string page, int index)
    {
        string text = File.ReadAllText(RepositoryPaths.Combine("docs", "runtime", page)).Replace("\r\n", "\n");
        string code = Regex.Matches(text, "```csharp\n(?<code>.*?)\n```", RegexOptions.Singleline)[index].Groups["code"].Value;

        var compilation = CSharpCompilation.Create(
            "Snippet",
            new[] { CSharpSyntaxTree.ParseText(code, new CSharpParseOptions(RoslynLeg.LanguageVersion)) },
            TestReferences.Framework.Add(TestReferences.RuntimeLibrary),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();

        Assert.True(errors.Count == 0, $"docs/runtime/{page}, C# block {index + 1}, does not compile:\n" + string.Join("\n", errors) + "\n" + code);
    }
}
