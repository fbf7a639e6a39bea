using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Lockstep.Analyzers.Tests.VerifierSelfTests.TestAnalyzers;

/// <summary>The code actions the test fixers for TST001 register, shared so each fixer differs only in what it tests.</summary>
internal static class FortyTwoFixes
{
    public const string Replace41Key = "TST001.Replace41";
    public const string Replace0Key = "TST001.Replace0";

    /// <summary>Registers "Replace with 41" then "Replace with 0"; negated literals (-42) are left alone on purpose.</summary>
    public static async Task RegisterAsync(CodeFixContext context, string replacement41 = "41")
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (var diagnostic in context.Diagnostics)
        {
            if (root?.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not LiteralExpressionSyntax literal
                || literal.Parent is PrefixUnaryExpressionSyntax)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create("Replace with 41", ct => ReplaceAsync(context.Document, literal, replacement41, ct), Replace41Key),
                diagnostic);
            context.RegisterCodeFix(
                CodeAction.Create("Replace with 0", ct => ReplaceAsync(context.Document, literal, "0", ct), Replace0Key),
                diagnostic);
        }
    }

    private static async Task<Document> ReplaceAsync(Document document, LiteralExpressionSyntax literal, string replacement, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var newNode = SyntaxFactory.ParseExpression(replacement).WithTriviaFrom(literal);
        return document.WithSyntaxRoot(root!.ReplaceNode(literal, newNode));
    }
}
