using System.Linq;
using System.Threading;
using Lockstep.Analyzers.Rules.DataRace;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace Lockstep.Analyzers.Internal;

/// <summary>
/// LS1002's null check then use: <c>if (_handler != null) _handler(x);</c> → <c>var handler = _handler; if (handler != null) handler(x);</c>.
/// The shape (which statement, which reads) is <see cref="ReadOnceShape"/>'s, the one the analyzer offered the fix for.
/// </summary>
internal static class ReadOnceRepair
{
    public static bool TryApply(DocumentEditor editor, SyntaxNode check, CancellationToken cancellationToken)
    {
        if (ReadOnceShape.TryFind(editor.SemanticModel, check, cancellationToken) is not { } shape)
            return false;

        // Not a name the statement already uses (a local it declares further in would clash with the new one).
        var used = shape.Statement.DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken)).Select(t => t.ValueText).ToList();
        string preferred = shape.Name;
        for (int i = 2; used.Contains(preferred); i++)
            preferred = shape.Name + i;
        string name = UnusedNames.ForBlockLocal(editor, shape.Statement, preferred);

        var indentation = shape.Statement.GetLeadingTrivia().Where(t => t.IsKind(SyntaxKind.WhitespaceTrivia)).LastOrDefault();
        var endOfLine = shape.Statement.GetTrailingTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
        var declaration = LocalDeclarationStatement(
                VariableDeclaration(IdentifierName(Identifier(TriviaList(), SyntaxKind.VarKeyword, "var", "var", TriviaList(Space))))
                    .AddVariables(VariableDeclarator(Identifier(name).WithTrailingTrivia(Space))
                        .WithInitializer(EqualsValueClause(Token(SyntaxKind.EqualsToken).WithTrailingTrivia(Space), shape.Source.WithoutTrivia()))))
            .WithLeadingTrivia(indentation == default ? TriviaList() : TriviaList(indentation))
            .WithTrailingTrivia(endOfLine == default ? TriviaList(ElasticCarriageReturnLineFeed) : TriviaList(endOfLine));

        editor.InsertBefore(shape.Statement, declaration);
        foreach (var read in shape.Reads)
            editor.ReplaceNode(read, IdentifierName(name).WithTriviaFrom(read));
        return true;
    }
}
