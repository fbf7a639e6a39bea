using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using Lockstep.Analyzers.Catalogue;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace Lockstep.Analyzers.Internal;

/// <summary>
/// Thread-pool work instead of threads (LS4001, LS4002). In a loop of synchronous code, under a semaphore of one slot per
/// processor created before it:
/// <code>
/// var slots = new Semaphore(Environment.ProcessorCount, Environment.ProcessorCount);
/// foreach (…) { …; slots.WaitOne(); ThreadPool.QueueUserWorkItem(state =&gt; { try { work } finally { slots.Release(); } }); }
/// for (int slot = 0; slot &lt; Environment.ProcessorCount; slot++) slots.WaitOne();
/// </code>
/// The loop waits for a free slot before it queues the next item, so at most one item per processor runs and nothing
/// piles up; the last loop takes every slot back, which is to say it waits until all the work has finished, as the
/// joined (or foreground) threads had the program wait. <c>QueueUserWorkItem</c> is chosen over <c>Task.Run</c> because
/// an exception the work does not handle ends the process, as it did on its own thread, instead of vanishing in an
/// unobserved task. The slots are a <c>Semaphore</c>, a plain counter, released by whichever pool thread ran the work:
/// a <c>SemaphoreSlim</c> waited for here and released in the work reads as a lock taken without a finally (LS5001).
/// It is not disposed: work of background threads may still release a slot after the method returns. One semaphore
/// serves every start in a loop.
/// </summary>
internal static class BoundedPoolRewriter
{
    private static readonly ConditionalWeakTable<DocumentEditor, Dictionary<SyntaxNode, string>> Semaphores = new();
    private static readonly ConditionalWeakTable<DocumentEditor, HashSet<SyntaxNode>> EndWaits = new();

    /// <summary>Replaces the start (and the statements of <paramref name="alsoRemove"/>) with slot-bounded pool work.</summary>
    public static bool TryApply(DocumentEditor editor, ThreadStartSyntax start, StatementSyntax loop, bool waitAtEnd, IReadOnlyList<StatementSyntax> alsoRemove)
    {
        var types = ConcurrencyCatalogue.For(editor.SemanticModel.Compilation).Types;
        if (types.Semaphore is not { } semaphoreType || types.ThreadPool is not { } threadPool || types.Environment is not { } environment
            || loop.Parent is not BlockSyntax || !LockWrapping.MarkReplaced(editor, start.Statement))
        {
            return false;
        }

        string slots = SemaphoreFor(editor, loop, semaphoreType, environment);
        var release = ExpressionStatement(InvocationExpression(MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, IdentifierName(slots), IdentifierName("Release"))));
        var queue = Queue(editor, start, threadPool, body => TryStatement(body, default, FinallyClause(Block(release))));
        if (queue is null)
            return false;

        var acquire = ExpressionStatement(Wait(slots));
        StatementSyntax[] replacement = { acquire.WithLeadingTrivia(start.Statement.GetLeadingTrivia()), queue.WithTrailingTrivia(start.Statement.GetTrailingTrivia()) };
        ReplaceWithStatements(editor, start.Statement, replacement);
        foreach (var statement in start.Settings.Concat(alsoRemove))
            editor.RemoveNode(statement);

        if (waitAtEnd && EndWaits.GetValue(editor, _ => new HashSet<SyntaxNode>()).Add(loop) && !HasEndWait(loop, slots))
        {
            var slot = UnusedNames.ForStatementLocal(editor, loop, "slot");
            var processors = MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, TypeSyntaxOf(editor, environment), IdentifierName("ProcessorCount"));
            var takeEverySlot = ForStatement(ExpressionStatement(Wait(slots)))
                .WithDeclaration(VariableDeclaration(PredefinedType(Token(SyntaxKind.IntKeyword))).AddVariables(VariableDeclarator(slot).WithInitializer(EqualsValueClause(LiteralExpression(SyntaxKind.NumericLiteralExpression, Literal(0))))))
                .WithCondition(BinaryExpression(SyntaxKind.LessThanExpression, IdentifierName(slot), processors))
                .WithIncrementors(SingletonSeparatedList<ExpressionSyntax>(PostfixUnaryExpression(SyntaxKind.PostIncrementExpression, IdentifierName(slot))))
                .WithAdditionalAnnotations(Formatter.Annotation);
            editor.InsertAfter(loop, takeEverySlot);
        }

        return true;
    }

    /// <summary>A background thread started once per call → <c>ThreadPool.QueueUserWorkItem(…)</c>, nothing else around it.</summary>
    public static bool TryApplyWithoutBound(DocumentEditor editor, ThreadStartSyntax start)
    {
        if (ConcurrencyCatalogue.For(editor.SemanticModel.Compilation).Types.ThreadPool is not { } threadPool || !LockWrapping.MarkReplaced(editor, start.Statement))
            return false;

        var queue = Queue(editor, start, threadPool, body => body);
        if (queue is null)
            return false;

        editor.ReplaceNode(start.Statement, queue.WithTriviaFrom(start.Statement));
        foreach (var statement in start.Settings)
            editor.RemoveNode(statement);
        return true;
    }

    /// <summary><c>ThreadPool.QueueUserWorkItem(state =&gt; { work }[, arg]);</c> with the work's statements wrapped by <paramref name="wrap"/>.</summary>
    private static StatementSyntax? Queue(DocumentEditor editor, ThreadStartSyntax start, INamedTypeSymbol threadPool, System.Func<BlockSyntax, StatementSyntax> wrap)
    {
        ParameterSyntax parameter;
        BlockSyntax work;
        switch (start.Work)
        {
            case ParenthesizedLambdaExpressionSyntax { ParameterList.Parameters.Count: 0 } lambda:
                parameter = Parameter(Identifier(UnusedNames.ForParameter(editor.SemanticModel, start.Statement, lambda, "state")));
                work = Body(lambda);
                break;
            case ParenthesizedLambdaExpressionSyntax { ParameterList.Parameters.Count: 1 } lambda:
                parameter = lambda.ParameterList.Parameters[0].WithType(null);
                work = Body(lambda);
                break;
            case SimpleLambdaExpressionSyntax lambda:
                parameter = lambda.Parameter;
                work = Body(lambda);
                break;
            case IdentifierNameSyntax or MemberAccessExpressionSyntax:
                // new Thread(Work).Start() → Work(); new Thread(Work).Start(arg) → Work(state), with arg as the pool's state.
                parameter = Parameter(Identifier(UnusedNames.ForParameter(editor.SemanticModel, start.Statement, start.Work, "state")));
                // The pool's state is object?, as Start's was: a method that takes a non-nullable object got it unchecked before, too.
                ExpressionSyntax state = IdentifierName(parameter.Identifier);
                if (editor.SemanticModel.GetSymbolInfo(start.Work).Symbol is IMethodSymbol { Parameters.Length: 1 } method
                    && method.Parameters[0] is { Type.IsReferenceType: true, NullableAnnotation: NullableAnnotation.NotAnnotated })
                    state = PostfixUnaryExpression(SyntaxKind.SuppressNullableWarningExpression, state);
                var arguments = start.Argument is null ? ArgumentList() : ArgumentList(SingletonSeparatedList(Argument(state)));
                work = Block(ExpressionStatement(InvocationExpression(start.Work.WithoutTrivia(), arguments)));
                break;
            default:
                return null;
        }

        var wrapped = wrap(work);
        CSharpSyntaxNode body = wrapped as BlockSyntax ?? Block(wrapped);
        if (body is BlockSyntax { Statements.Count: 1 } single && single.Statements[0] is ExpressionStatementSyntax expression)
            body = expression.Expression; // state => Work(state): a lambda needs no block for one call

        var callback = SimpleLambdaExpression(parameter.WithoutTrivia(), body);
        var arguments2 = start.Argument is null
            ? SingletonSeparatedList(Argument(callback))
            : SeparatedList(new[] { Argument(callback), Argument(start.Argument.WithoutTrivia()) });
        return ExpressionStatement(InvocationExpression(
                MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, TypeSyntaxOf(editor, threadPool), IdentifierName("QueueUserWorkItem")),
                ArgumentList(arguments2)))
            .WithAdditionalAnnotations(Formatter.Annotation);
    }

    private static BlockSyntax Body(LambdaExpressionSyntax lambda) =>
        lambda.Block ?? Block(ExpressionStatement(lambda.ExpressionBody!.WithoutTrivia()));

    private static ExpressionSyntax Wait(string slots) =>
        InvocationExpression(MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, IdentifierName(slots), IdentifierName("WaitOne")));

    /// <summary>Replaces one statement with several: in place in a block, or as a new block where a single statement stood.</summary>
    private static void ReplaceWithStatements(DocumentEditor editor, StatementSyntax statement, StatementSyntax[] statements)
    {
        if (statement.Parent is BlockSyntax)
        {
            editor.InsertBefore(statement, statements[0]);
            editor.ReplaceNode(statement, statements[1]);
        }
        else
        {
            editor.ReplaceNode(statement, Block(statements.Select(s => s.WithoutLeadingTrivia())).WithTriviaFrom(statement).WithAdditionalAnnotations(Formatter.Annotation));
        }
    }

    /// <summary>The semaphore in front of <paramref name="loop"/>: one declared by this fix run or an earlier one, or a new one.</summary>
    private static string SemaphoreFor(DocumentEditor editor, StatementSyntax loop, INamedTypeSymbol semaphoreType, INamedTypeSymbol environment)
    {
        var semaphores = Semaphores.GetValue(editor, _ => new Dictionary<SyntaxNode, string>());
        if (semaphores.TryGetValue(loop, out var known))
            return known;

        var block = (BlockSyntax)loop.Parent!;
        int index = block.Statements.IndexOf(loop);
        if (index > 0
            && block.Statements[index - 1] is LocalDeclarationStatementSyntax { Declaration.Variables.Count: 1 } previous
            && previous.Declaration.Variables[0] is { Initializer.Value: ObjectCreationExpressionSyntax creation } existing
            && editor.SemanticModel.GetTypeInfo(creation).Type is { } type && SymbolEqualityComparer.Default.Equals(type, semaphoreType))
        {
            semaphores[loop] = existing.Identifier.ValueText;
            return existing.Identifier.ValueText;
        }

        string name = UnusedNames.ForBlockLocal(editor, loop, "slots");
        var processors = MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, TypeSyntaxOf(editor, environment), IdentifierName("ProcessorCount"));
        var declaration = LocalDeclarationStatement(VariableDeclaration(IdentifierName("var"))
                .AddVariables(VariableDeclarator(name).WithInitializer(EqualsValueClause(ObjectCreationExpression(TypeSyntaxOf(editor, semaphoreType), ArgumentList(SeparatedList(new[] { Argument(processors), Argument(processors) })), null)))))
            .WithAdditionalAnnotations(Formatter.Annotation);
        editor.InsertBefore(loop, declaration);
        semaphores[loop] = name;
        return name;
    }

    /// <summary>An earlier application of this fix already takes every slot back right after the loop.</summary>
    private static bool HasEndWait(StatementSyntax loop, string slots)
    {
        var block = (BlockSyntax)loop.Parent!;
        int index = block.Statements.IndexOf(loop);
        return index + 1 < block.Statements.Count
            && block.Statements[index + 1] is ForStatementSyntax { Statement: ExpressionStatementSyntax wait }
            && wait.Expression.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>().Any(n => n.Identifier.ValueText == slots);
    }

    private static TypeSyntax TypeSyntaxOf(DocumentEditor editor, INamedTypeSymbol type) =>
        ((TypeSyntax)editor.Generator.TypeExpression(type)).WithAdditionalAnnotations(Simplifier.AddImportsAnnotation);
}
