using Lockstep.Analyzers.Catalogue;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Lockstep.Analyzers.Internal;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace Lockstep.Analyzers.Rules.ThreadCreation;

/// <summary>
/// LS4002: the loop collects its workers in a list (<c>workers.Add(t)</c> where it waited for <c>t</c>), and a loop after
/// it waits for them all with the same call — so they run together and the program still waits for every one. In a loop
/// whose count grows with the input, threads become thread-pool work under a semaphore instead (all awaited after the
/// loop), so they do not all run at once. A loop local the worker captures and the loop changes (a <c>for</c> variable)
/// is first copied into a local of the iteration, so each worker still sees its own iteration's value. The conditions
/// under which the workers may overlap at all are the analyzer's (WorkerWaitFixShapes); without them there is no fix.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(JoinInsideStartLoopFixer))]
public sealed class JoinInsideStartLoopFixer : CodeFixProvider
{
    public const string EquivalenceKey = "LS4002.WaitAfterTheLoop";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(DiagnosticIds.JoinInsideStartLoop);

    public override FixAllProvider GetFixAllProvider() => EditorFixAllProvider.Create(ApplyAsync);

    public override Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            if (!FixProperties.WorkerWaitFix.TryGet(diagnostic, out var fix))
                continue;

            string title = fix == WorkerWaitFixKind.ThreadPoolUnderSemaphore
                ? "Queue the workers on the thread pool, at most one per processor, and wait for them after the loop"
                : "Start all the workers, then wait for them after the loop";
            EditorFixAllProvider.Register(context, diagnostic, title, EquivalenceKey, ApplyAsync);
        }

        return Task.CompletedTask;
    }

    private static Task ApplyAsync(DocumentEditor editor, Diagnostic diagnostic, SyntaxNode node, CancellationToken cancellationToken)
    {
        var model = editor.SemanticModel;
        if (!FixProperties.WorkerWaitFix.TryGet(diagnostic, out var fix)
            || node is not InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access } wait
            || wait.Parent is not ExpressionStatementSyntax waitStatement
            || LoopBody(waitStatement) is not { Parent: StatementSyntax loop } body
            || loop.Parent is not BlockSyntax
            || Worker(access.Expression, body) is not var (creation, creationStatement)
            || !LockWrapping.MarkReplaced(editor, loop))
        {
            return Task.CompletedTask;
        }

        // Copy the loop locals the worker captures, so each worker keeps its iteration's value once they overlap.
        var work = creation switch
        {
            BaseObjectCreationExpressionSyntax created => created.ArgumentList?.Arguments.FirstOrDefault()?.Expression,
            InvocationExpressionSyntax run => run.ArgumentList.Arguments.FirstOrDefault()?.Expression,
            _ => null,
        };
        var renamedWork = work is LambdaExpressionSyntax lambda ? CopyCapturedLoopLocals(editor, lambda, loop, body, creationStatement, cancellationToken) : work;

        if (fix == WorkerWaitFixKind.ThreadPoolUnderSemaphore)
        {
            var start = body.Statements.OfType<ExpressionStatementSyntax>()
                .Select(s => s.Expression).OfType<InvocationExpressionSyntax>()
                .FirstOrDefault(i => i.Expression is MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax receiver } && access.Expression is IdentifierNameSyntax thread && receiver.Identifier.ValueText == thread.Identifier.ValueText && i != wait);
            if (start is not null && ThreadStartSyntax.Of(start, model) is { } threadStart && renamedWork is not null)
                BoundedPoolRewriter.TryApply(editor, threadStart.WithWork(renamedWork), loop, waitAtEnd: true, new StatementSyntax[] { waitStatement });
            return Task.CompletedTask;
        }

        if (model.GetTypeInfo(access.Expression, cancellationToken).Type is not { } workerType
            || ConcurrencyCatalogue.For(model.Compilation).Types.List is not { } list)
        {
            return Task.CompletedTask;
        }

        string name = UnusedNames.ForBlockLocal(editor, loop, "workers");
        string each = UnusedNames.ForStatementLocal(editor, loop, "worker");
        var listType = ((TypeSyntax)editor.Generator.TypeExpression(list.Construct(workerType))).WithAdditionalAnnotations(Simplifier.AddImportsAnnotation);

        // var workers = new List<Thread>();  …  workers.Add(t);  …  foreach (var worker in workers) worker.Join();
        var declaration = LocalDeclarationStatement(VariableDeclaration(IdentifierName("var"))
                .AddVariables(VariableDeclarator(name).WithInitializer(EqualsValueClause(ObjectCreationExpression(listType, ArgumentList(), null)))))
            .WithAdditionalAnnotations(Formatter.Annotation);
        var collected = access.Expression;
        if (work is not null && renamedWork != work && collected.Span.Contains(work.Span))
            collected = collected.ReplaceNode(work, renamedWork!);
        else if (work is not null && renamedWork != work)
            editor.ReplaceNode(work, renamedWork!);
        var add = ExpressionStatement(InvocationExpression(
                MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, IdentifierName(name), IdentifierName("Add")),
                ArgumentList(SingletonSeparatedList(Argument(collected.WithoutTrivia())))))
            .WithTriviaFrom(waitStatement);
        var waitAll = ForEachStatement(
                IdentifierName("var"),
                Identifier(each),
                IdentifierName(name),
                ExpressionStatement(wait.WithExpression(access.WithExpression(IdentifierName(each))).WithoutTrivia()))
            .WithAdditionalAnnotations(Formatter.Annotation);

        editor.ReplaceNode(waitStatement, add);
        editor.InsertBefore(loop, declaration);
        editor.InsertAfter(loop, waitAll);
        return Task.CompletedTask;
    }

    /// <summary>The loop body holding the wait: its block, directly or through <c>if (…) wait;</c> (the analyzer checked the shape).</summary>
    private static BlockSyntax? LoopBody(StatementSyntax waitStatement)
    {
        SyntaxNode? holder = waitStatement.Parent is BlockSyntax { Parent: IfStatementSyntax } inner ? inner.Parent : waitStatement.Parent;
        return holder switch
        {
            BlockSyntax body => body,
            IfStatementSyntax { Parent: BlockSyntax body } => body,
            _ => null,
        };
    }

    /// <summary>What creates the worker (<c>new Thread(…)</c>, <c>Task.Run(…)</c>) and the statement it is in.</summary>
    private static (ExpressionSyntax Creation, StatementSyntax Statement)? Worker(ExpressionSyntax receiver, BlockSyntax body)
    {
        if (receiver is IdentifierNameSyntax worker)
        {
            foreach (var statement in body.Statements)
            {
                if (statement is LocalDeclarationStatementSyntax { Declaration.Variables.Count: 1 } declaration
                    && declaration.Declaration.Variables[0].Identifier.ValueText == worker.Identifier.ValueText
                    && declaration.Declaration.Variables[0].Initializer?.Value is { } value)
                {
                    return (value, statement);
                }
            }

            return null;
        }

        return receiver.FirstAncestorOrSelf<StatementSyntax>() is { } containing ? (receiver, containing) : null;
    }

    /// <summary>
    /// <c>for (int i = 0; …; i++) { var t = new Thread(() =&gt; Work(i)); … }</c> → <c>var iCopy = i; var t = new Thread(() =&gt; Work(iCopy));</c>
    /// for each local declared outside the loop body that the loop writes and the worker reads. Returns the renamed lambda.
    /// </summary>
    private static ExpressionSyntax CopyCapturedLoopLocals(DocumentEditor editor, LambdaExpressionSyntax lambda, StatementSyntax loop, BlockSyntax body, StatementSyntax before, CancellationToken cancellationToken)
    {
        var model = editor.SemanticModel;
        var lambdaFlow = model.AnalyzeDataFlow(lambda);
        var loopFlow = model.AnalyzeDataFlow(loop);
        if (lambdaFlow is not { Succeeded: true } || loopFlow is not { Succeeded: true })
            return lambda;

        var renames = new Dictionary<ISymbol, string>(SymbolEqualityComparer.Default);
        foreach (var symbol in lambdaFlow.ReadInside)
        {
            // A foreach variable is a new variable in every iteration already; a for variable or a counter outside the body is not.
            if (symbol is ILocalSymbol or IParameterSymbol
                && !symbol.DeclaringSyntaxReferences.Any(r => body.Span.Contains(r.Span) || IsForEachVariable(r.GetSyntax(cancellationToken), loop))
                && loopFlow.WrittenInside.Contains(symbol))
            {
                string copy = UnusedNames.ForBlockLocal(editor, before, symbol.Name + "Copy");
                renames[symbol] = copy;
                var declaration = LocalDeclarationStatement(VariableDeclaration(IdentifierName("var"))
                        .AddVariables(VariableDeclarator(copy).WithInitializer(EqualsValueClause(IdentifierName(symbol.Name)))))
                    .WithAdditionalAnnotations(Formatter.Annotation);
                editor.InsertBefore(before, declaration);
            }
        }

        if (renames.Count == 0)
            return lambda;

        var references = lambda.DescendantNodes().OfType<IdentifierNameSyntax>()
            .Where(n => model.GetSymbolInfo(n, cancellationToken).Symbol is { } symbol && renames.ContainsKey(symbol))
            .ToList();
        return lambda.ReplaceNodes(references, (original, _) => IdentifierName(renames[model.GetSymbolInfo(original, cancellationToken).Symbol!]).WithTriviaFrom(original));
    }

    private static bool IsForEachVariable(SyntaxNode declaration, StatementSyntax loop) =>
        loop is CommonForEachStatementSyntax forEach && forEach.Span.Contains(declaration.Span) && !forEach.Statement.Span.Contains(declaration.Span);

}
