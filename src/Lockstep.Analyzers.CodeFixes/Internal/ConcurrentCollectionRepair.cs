using System.Threading;
using Lockstep.Analyzers.Rules.DataRace;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Simplification;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace Lockstep.Analyzers.Internal;

/// <summary>A collection local mutated from a parallel body becomes the counterpart <see cref="ConcurrentCollectionShape"/> found.</summary>
internal static class ConcurrentCollectionRepair
{
    public static bool TryReplace(DocumentEditor editor, SyntaxNode mutation, CancellationToken cancellationToken)
    {
        if (ConcurrentCollectionShape.TryFind(editor.SemanticModel, mutation, cancellationToken) is not { } shape || !LockWrapping.MarkReplaced(editor, shape.Creation))
            return false;

        var typeSyntax = ((TypeSyntax)editor.Generator.TypeExpression(shape.TargetType)).WithAdditionalAnnotations(Simplifier.AddImportsAnnotation);
        editor.ReplaceNode(shape.Creation, ObjectCreationExpression(typeSyntax.WithLeadingTrivia(Space), ArgumentList(), null).WithTriviaFrom(shape.Creation));
        if (!shape.Declaration.Type.IsVar)
            editor.ReplaceNode(shape.Declaration.Type, typeSyntax.WithTriviaFrom(shape.Declaration.Type));
        return true;
    }
}
