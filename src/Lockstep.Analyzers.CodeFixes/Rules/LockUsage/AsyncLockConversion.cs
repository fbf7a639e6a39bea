using Lockstep.Analyzers.Catalogue;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Lockstep.Analyzers.Internal;
using Lockstep.Analyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Simplification;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace Lockstep.Analyzers.Rules.LockUsage;

/// <summary>
/// LS5001's second fix: <c>private readonly SemaphoreSlim _gate = new(1, 1);</c> becomes the runtime library's
/// <c>AsyncLock</c>, and every acquire/release pair of it in the type becomes
/// <c>using (await _gate.LockAsync(ct)) { … }</c> (or <c>using (_gate.Lock(ct))</c> for the synchronous Wait).
/// </summary>
internal static class AsyncLockConversion
{
    public static Task ApplyAsync(DocumentEditor editor, Diagnostic diagnostic, SyntaxNode node, CancellationToken cancellationToken)
    {
        var model = editor.SemanticModel;
        if (model.GetOperation(node, cancellationToken) is not IInvocationOperation { Instance: IFieldReferenceOperation { Field: var field } }
            || ConcurrencyCatalogue.For(model.Compilation).Types.AsyncLock is not { } asyncLock
            || field.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) is not VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax { Variables.Count: 1 } declaration } declarator
            || !SemaphoreAsLock.IsConvertible(field, model, ConcurrencyCatalogue.For(model.Compilation), cancellationToken, out var pairs)
            || !LockWrapping.MarkReplaced(editor, declaration))
        {
            return Task.CompletedTask;
        }

        var asyncLockType = ((TypeSyntax)editor.Generator.TypeExpression(asyncLock)).WithAdditionalAnnotations(Simplifier.AddImportsAnnotation);
        editor.ReplaceNode(declaration, declaration
            .WithType(asyncLockType.WithTriviaFrom(declaration.Type))
            .WithVariables(SingletonSeparatedList(declarator.WithInitializer(EqualsValueClause(ObjectCreationExpression(asyncLockType, ArgumentList(), null))))));

        foreach (var pair in pairs)
        {
            var acquisition = (IInvocationOperation)pair.Acquisition;
            bool awaited = acquisition.Parent is IAwaitOperation;
            var arguments = ArgumentList(SeparatedList(acquisition.Arguments.Select(a => Argument(((ExpressionSyntax)a.Value.Syntax).WithoutTrivia()))));
            ExpressionSyntax acquire = InvocationExpression(
                MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, ((ExpressionSyntax)acquisition.Instance!.Syntax).WithoutTrivia(), IdentifierName(awaited ? "LockAsync" : "Lock")),
                arguments);
            if (awaited)
                acquire = AwaitExpression(Token(SyntaxKind.AwaitKeyword).WithTrailingTrivia(Space), acquire);

            var acquireStatement = (StatementSyntax)pair.AcquireStatement.Syntax;
            BlockSyntax body;
            if (pair.TryStatement?.Syntax is TryStatementSyntax tryStatement)
            {
                body = tryStatement.Block;
                editor.RemoveNode(tryStatement);
            }
            else
            {
                var block = (BlockSyntax)acquireStatement.Parent!;
                int from = block.Statements.IndexOf(acquireStatement);
                int to = block.Statements.IndexOf((StatementSyntax)pair.ReleaseStatement!.Syntax);
                var between = block.Statements.Skip(from + 1).Take(to - from - 1).ToList();
                body = Block(between);
                foreach (var statement in between)
                    editor.RemoveNode(statement);
                editor.RemoveNode(block.Statements[to]);
            }

            editor.ReplaceNode(acquireStatement, UsingStatement(null, acquire, body)
                .WithTriviaFrom(acquireStatement)
                .WithAdditionalAnnotations(Formatter.Annotation));
        }

        return Task.CompletedTask;
    }
}
