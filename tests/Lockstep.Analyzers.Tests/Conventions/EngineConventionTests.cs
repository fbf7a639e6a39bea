using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Lockstep.Analyzers.Tests.Conventions;

/// <summary>
/// One place for each concept: the catalogue (src/Lockstep.Analyzers/Catalogue) is the only code that names concurrency
/// APIs, and the engine (src/Lockstep.Analyzers/Engine) the only code that follows calls. Lists of API names written out
/// in several places drifted apart before; these tests keep them in one.
/// </summary>
public sealed class EngineConventionTests
{
    private static readonly string[] Projects = { "Lockstep.Analyzers", "Lockstep.Analyzers.CodeFixes" };

    [Fact]
    public void Only_the_catalogue_names_concurrency_APIs()
    {
        var offenders = new List<string>();
        foreach (var (path, root) in SourcesOutside("Catalogue"))
        {
            foreach (var node in root.DescendantNodes())
            {
                if (NamesAnApi(node))
                    offenders.Add($"{path}({node.GetLocation().GetLineSpan().StartLinePosition.Line + 1}): {node}");
            }
        }

        Assert.True(offenders.Count == 0, "decisions by API name outside the catalogue (ask ConcurrencyCatalogue instead):\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void Only_the_engine_follows_calls()
    {
        // Following calls means binding other methods (GetSemanticModel) and keeping a worklist of methods to visit.
        string[] markers = { "GetSemanticModel(", "Queue<IMethodSymbol", "Stack<IMethodSymbol", "Queue<(IMethodSymbol", "Stack<(IMethodSymbol" };
        var offenders = new List<string>();
        foreach (var (path, root) in SourcesOutside("Engine"))
        {
            string text = root.ToFullString();
            foreach (var marker in markers.Where(text.Contains))
                offenders.Add($"{path}: {marker}");
        }

        Assert.True(offenders.Count == 0, "call walks outside the engine (use MethodSummaries.Reach, Walk or EntryLocks):\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void No_source_comment_points_outside_the_repository()
    {
        var offenders = new List<string>();
        foreach (var directory in new[] { "src", "tests", "bench" })
        {
            foreach (var path in Directory.EnumerateFiles(RepositoryPaths.Combine(directory), "*.cs", SearchOption.AllDirectories).Where(IsSource))
            {
                string text = File.ReadAllText(path);
                foreach (var reference in OutsideReferences)
                {
                    if (text.Contains(reference))
                        offenders.Add($"{Path.GetRelativePath(RepositoryPaths.Root, path)}: {reference}");
                }
            }
        }

        Assert.True(offenders.Count == 0, "the repository explains itself (docs/architecture.md):\n" + string.Join("\n", offenders));
    }

    /// <summary>Written in pieces so this file does not name them itself.</summary>
    private static readonly string[] OutsideReferences =
        { "DESIGN" + ".md", "DESIGN" + " section", "STYLE" + ".md", "STYLE" + " section", ".." + "/shared", "shared" + "/seeds" };

    /// <summary>
    /// A comparison of a symbol's or a syntax token's name with a string literal (<c>method.Name == "Wait"</c>,
    /// <c>Name: "Enter" or "TryEnter"</c>, <c>Name is "Join"</c>, <c>Name.StartsWith("Try")</c>), or a type looked up by
    /// its metadata name.
    /// </summary>
    private static bool NamesAnApi(SyntaxNode node)
    {
        switch (node)
        {
            case BinaryExpressionSyntax binary when binary.IsKind(SyntaxKind.EqualsExpression) || binary.IsKind(SyntaxKind.NotEqualsExpression):
                return IsStringLiteral(binary.Left) && IsName(binary.Right) || IsStringLiteral(binary.Right) && IsName(binary.Left);

            case IsPatternExpressionSyntax isPattern:
                return IsName(isPattern.Expression) && HasStringLiteral(isPattern.Pattern);

            case SubpatternSyntax subpattern:
                return subpattern.ExpressionColon?.Expression is { } expression && LastName(expression) is "Name" or "MetadataName"
                    && HasStringLiteral(subpattern.Pattern);

            case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access } invocation:
                if (access.Name.Identifier.ValueText == "GetTypeByMetadataName")
                    return true;
                if (access.Name.Identifier.ValueText is "GetMembers" or "StartsWith" or "EndsWith"
                    && invocation.ArgumentList.Arguments.Any(a => IsStringLiteral(a.Expression)))
                {
                    return access.Name.Identifier.ValueText == "GetMembers" || IsName(access.Expression);
                }

                return false;

            default:
                return false;
        }
    }

    private static bool IsName(ExpressionSyntax expression) => LastName(expression) is "Name" or "MetadataName" or "ValueText";

    private static string? LastName(ExpressionSyntax expression) => expression switch
    {
        MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
        MemberBindingExpressionSyntax binding => binding.Name.Identifier.ValueText,
        ConditionalAccessExpressionSyntax conditional => LastName(conditional.WhenNotNull),
        IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
        _ => null,
    };

    private static bool IsStringLiteral(ExpressionSyntax expression) => expression.IsKind(SyntaxKind.StringLiteralExpression);

    private static bool HasStringLiteral(SyntaxNode pattern) =>
        pattern.DescendantNodesAndSelf().Any(n => n.IsKind(SyntaxKind.StringLiteralExpression));

    private static IEnumerable<(string Path, SyntaxNode Root)> SourcesOutside(string folder)
    {
        foreach (var project in Projects)
        {
            string projectRoot = RepositoryPaths.Combine("src", project);
            foreach (var path in Directory.EnumerateFiles(projectRoot, "*.cs", SearchOption.AllDirectories).Where(IsSource))
            {
                string relative = Path.GetRelativePath(projectRoot, path);
                if (project == "Lockstep.Analyzers" && relative.StartsWith(folder + Path.DirectorySeparatorChar, System.StringComparison.Ordinal))
                    continue;
                yield return (Path.Combine(project, relative), CSharpSyntaxTree.ParseText(File.ReadAllText(path)).GetRoot());
            }
        }
    }

    private static bool IsSource(string path) =>
        !path.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar)
        && !path.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar);
}
