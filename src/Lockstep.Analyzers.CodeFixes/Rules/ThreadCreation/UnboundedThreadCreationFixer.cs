using Lockstep.Analyzers.Catalogue;
using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Lockstep.Analyzers.Internal;
using Lockstep.Analyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace Lockstep.Analyzers.Rules.ThreadCreation;

/// <summary>
/// LS4001: bounds the threads with the form the analyzer chose (ThreadCreationFixShapes has each condition):
/// start-all-then-join-all over a collection → <c>Parallel.ForEach</c> with <c>MaxDegreeOfParallelism</c>; fire-and-forget in
/// async code → <c>await queue.EnqueueAsync(work)</c> on a <c>BoundedWorkQueue</c> created before the loop;
/// <c>StartNew(…, LongRunning)</c> → the same call without <c>LongRunning</c>; any other thread start in a loop →
/// thread-pool work under a <c>Semaphore</c> (BoundedPoolRewriter); a background thread started once per call of a
/// helper, constructor or recursive method → thread-pool work. No fix for a foreground thread started per call (nothing
/// could wait for its work where the program relies on it), a thread used after it starts, work that waits for other
/// work (a bound could make it wait for ever), or a start under a lock.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UnboundedThreadCreationFixer))]
public sealed class UnboundedThreadCreationFixer : CodeFixProvider
{
    public const string EquivalenceKey = "LS4001.BoundTheThreads";

    private static readonly ConditionalWeakTable<DocumentEditor, Dictionary<SyntaxNode, string>> Queues = new();

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(DiagnosticIds.UnboundedThreadCreation);

    public override FixAllProvider GetFixAllProvider() => EditorFixAllProvider.Create(ApplyAsync);

    public override Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            if (!FixProperties.ThreadCreationFix.TryGet(diagnostic, out var fix))
                continue;

            string title = fix switch
            {
                ThreadCreationFixKind.ParallelForEach => "Run the items with Parallel.ForEach, at most one per processor",
                ThreadCreationFixKind.BoundedWorkQueue => "Hand the work to a BoundedWorkQueue",
                ThreadCreationFixKind.DropLongRunning => "Run the task on the thread pool (without LongRunning)",
                ThreadCreationFixKind.ThreadPoolUnderSemaphore => "Queue the work on the thread pool, at most one item per processor",
                _ => "Queue the work on the thread pool",
            };
            EditorFixAllProvider.Register(context, diagnostic, title, EquivalenceKey, ApplyAsync);
        }

        return Task.CompletedTask;
    }

    private static Task ApplyAsync(DocumentEditor editor, Diagnostic diagnostic, SyntaxNode node, CancellationToken cancellationToken)
    {
        if (!FixProperties.ThreadCreationFix.TryGet(diagnostic, out var fix))
            return Task.CompletedTask;

        // At a helper's call, the start to rewrite is inside the helper.
        if (FixProperties.StartSite.TryGet(diagnostic, out int site))
            node = editor.OriginalRoot.FindToken(site).Parent?.FirstAncestorOrSelf<InvocationExpressionSyntax>() ?? node;

        switch (fix)
        {
            case ThreadCreationFixKind.ParallelForEach:
                return ApplyParallelForEachAsync(editor, diagnostic, node, cancellationToken);
            case ThreadCreationFixKind.BoundedWorkQueue:
                return ApplyBoundedWorkQueueAsync(editor, diagnostic, node, cancellationToken);
            case ThreadCreationFixKind.DropLongRunning:
                DropLongRunning(editor, node, cancellationToken);
                break;
            case ThreadCreationFixKind.ThreadPoolUnderSemaphore when node is InvocationExpressionSyntax start
                && ThreadStartSyntax.Of(start, editor.SemanticModel) is { } thread
                && DrivingLoop(editor, diagnostic) is { } loop:
                BoundedPoolRewriter.TryApply(editor, thread, loop, waitAtEnd: !thread.IsBackground && EndIsReachable(editor.SemanticModel, loop), Array.Empty<StatementSyntax>());
                break;
            case ThreadCreationFixKind.ThreadPool when node is InvocationExpressionSyntax start && ThreadStartSyntax.Of(start, editor.SemanticModel) is { } thread:
                BoundedPoolRewriter.TryApplyWithoutBound(editor, thread);
                break;
        }

        return Task.CompletedTask;
    }

    /// <summary><c>TaskCreationOptions.LongRunning</c> → <c>TaskCreationOptions.None</c>; <c>LongRunning | X</c> → <c>X</c>.</summary>
    private static void DropLongRunning(DocumentEditor editor, SyntaxNode node, CancellationToken cancellationToken)
    {
        var starts = ConcurrencyCatalogue.For(editor.SemanticModel.Compilation).Starts;
        var longRunning = node.DescendantNodesAndSelf().OfType<MemberAccessExpressionSyntax>()
            .FirstOrDefault(a => starts.IsLongRunningOption(editor.SemanticModel.GetSymbolInfo(a, cancellationToken).Symbol));
        if (longRunning is null || !LockWrapping.MarkReplaced(editor, longRunning))
            return;

        if (longRunning.Parent is BinaryExpressionSyntax { RawKind: (int)SyntaxKind.BitwiseOrExpression } or)
        {
            var other = or.Left == longRunning ? or.Right : or.Left;
            editor.ReplaceNode(or, other.WithTriviaFrom(or));
        }
        else
        {
            editor.ReplaceNode(longRunning, longRunning.WithName(IdentifierName("None").WithTriviaFrom(longRunning.Name)));
        }
    }

    private static bool EndIsReachable(SemanticModel model, StatementSyntax loop) =>
        model.AnalyzeControlFlow(loop) is { Succeeded: true, EndPointIsReachable: true };

    /// <summary>
    /// <c>var threads = new List&lt;Thread&gt;(); foreach (var item in items) { var t = new Thread(() =&gt; Work(item)); t.Start(); threads.Add(t); } foreach (var t in threads) t.Join();</c>
    /// → <c>Parallel.ForEach(items, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, item =&gt; Work(item));</c>
    /// </summary>
    private static Task ApplyParallelForEachAsync(DocumentEditor editor, Diagnostic diagnostic, SyntaxNode node, CancellationToken cancellationToken)
    {
        var compilation = editor.SemanticModel.Compilation;
        if (node is not InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax thread } } start
            || DrivingLoop(editor, diagnostic) is not ForEachStatementSyntax { Statement: BlockSyntax body, Parent: BlockSyntax outer } loop
            || body.Statements.Count != 3
            || body.Statements[0] is not LocalDeclarationStatementSyntax { Declaration.Variables.Count: 1 } threadDeclaration
            || threadDeclaration.Declaration.Variables[0].Initializer?.Value is not BaseObjectCreationExpressionSyntax { ArgumentList.Arguments.Count: 1 } threadCreation
            || body.Statements.Skip(1).FirstOrDefault(s => !s.Contains(start)) is not ExpressionStatementSyntax { Expression: InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax list } } }
            || outer.Statements.FirstOrDefault(s => s is LocalDeclarationStatementSyntax d && d.Declaration.Variables.Any(v => v.Identifier.ValueText == list.Identifier.ValueText)) is not { } listDeclaration
            || outer.Statements.OfType<ForEachStatementSyntax>().FirstOrDefault(s => s.SpanStart > loop.SpanStart && s.Expression is IdentifierNameSyntax joined && joined.Identifier.ValueText == list.Identifier.ValueText) is not { } joinAll
            || ConcurrencyCatalogue.For(compilation).Types.Parallel is not { } parallel
            || ConcurrencyCatalogue.For(compilation).Types.ParallelOptions is not { } parallelOptions
            || ConcurrencyCatalogue.For(compilation).Types.Environment is not { } environment
            || !LockWrapping.MarkReplaced(editor, loop))
        {
            return Task.CompletedTask;
        }

        var work = threadCreation.ArgumentList!.Arguments[0];
        var item = Parameter(loop.Identifier.WithoutTrivia());
        CSharpSyntaxNode? lambdaBody = work.Expression switch
        {
            ParenthesizedLambdaExpressionSyntax lambda => (CSharpSyntaxNode)lambda.Body,
            // new Thread(Work).Start(item) or new Thread(Work).Start()
            ExpressionSyntax methodGroup => InvocationExpression(
                methodGroup.WithoutTrivia(),
                start.ArgumentList.Arguments.Count == 1 ? ArgumentList(SingletonSeparatedList(Argument(IdentifierName(loop.Identifier.WithoutTrivia())))) : ArgumentList()),
        };

        var generator = editor.Generator;
        var options = ObjectCreationExpression(Type(generator, parallelOptions))
            .WithArgumentList(null)
            .WithInitializer(InitializerExpression(
                SyntaxKind.ObjectInitializerExpression,
                SingletonSeparatedList<ExpressionSyntax>(AssignmentExpression(
                    SyntaxKind.SimpleAssignmentExpression,
                    IdentifierName("MaxDegreeOfParallelism"),
                    MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, Type(generator, environment), IdentifierName("ProcessorCount"))))));

        var forEach = ExpressionStatement(InvocationExpression(
                MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, Type(generator, parallel), IdentifierName("ForEach")),
                ArgumentList(SeparatedList(new[]
                {
                    Argument(loop.Expression.WithoutTrivia()),
                    Argument(options),
                    Argument(SimpleLambdaExpression(item, lambdaBody!)),
                }))))
            .WithLeadingTrivia(loop.GetLeadingTrivia())
            .WithTrailingTrivia(loop.GetTrailingTrivia())
            .WithAdditionalAnnotations(Formatter.Annotation);

        editor.RemoveNode(listDeclaration);
        editor.ReplaceNode(loop, forEach);
        editor.RemoveNode(joinAll);
        return Task.CompletedTask;
    }

    /// <summary>
    /// <c>new Thread(() =&gt; Handle(client)).Start();</c> → <c>await queue.EnqueueAsync(() =&gt; Handle(client));</c>, with
    /// <c>await using var queue = new BoundedWorkQueue();</c> before the loop (one per loop, shared by every start in it).
    /// </summary>
    private static Task ApplyBoundedWorkQueueAsync(DocumentEditor editor, Diagnostic diagnostic, SyntaxNode node, CancellationToken cancellationToken)
    {
        var model = editor.SemanticModel;
        if (node is not InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access } start
            || DrivingLoop(editor, diagnostic) is not { Parent: BlockSyntax } loop
            || (start.Parent is AssignmentExpressionSyntax discard ? discard.Parent : start.Parent) is not ExpressionStatementSyntax startStatement
            || ConcurrencyCatalogue.For(model.Compilation).Types.BoundedWorkQueue is not { } queueType)
        {
            return Task.CompletedTask;
        }

        ExpressionSyntax? work;
        ArgumentSyntax? cancellation = null;
        var remove = new List<StatementSyntax>();
        if (model.GetOperation(start, cancellationToken) is IInvocationOperation startCall && ConcurrencyCatalogue.For(model.Compilation).Starts.IsStartNew(startCall))
        {
            work = start.ArgumentList.Arguments.FirstOrDefault()?.Expression;
            cancellation = start.ArgumentList.Arguments.Skip(1).FirstOrDefault(a => KnownTypes.Is(model.GetTypeInfo(a.Expression, cancellationToken).Type, ConcurrencyCatalogue.For(model.Compilation).Types.CancellationToken));
        }
        else
        {
            var creation = access.Expression as BaseObjectCreationExpressionSyntax;
            if (access.Expression is IdentifierNameSyntax thread && startStatement.Parent is BlockSyntax block)
            {
                // var t = new Thread(work); t.IsBackground = true; t.Start();  — the declaration and the settings go.
                foreach (var statement in block.Statements)
                {
                    if (statement is LocalDeclarationStatementSyntax { Declaration.Variables.Count: 1 } declaration
                        && declaration.Declaration.Variables[0].Identifier.ValueText == thread.Identifier.ValueText)
                    {
                        creation = declaration.Declaration.Variables[0].Initializer?.Value as BaseObjectCreationExpressionSyntax;
                        remove.Add(statement);
                    }
                    else if (statement is ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax { Left: MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax target } } }
                        && target.Identifier.ValueText == thread.Identifier.ValueText)
                    {
                        remove.Add(statement);
                    }
                }
            }

            work = creation?.ArgumentList?.Arguments.FirstOrDefault()?.Expression;
            if (work is not null and not LambdaExpressionSyntax && start.ArgumentList.Arguments.Count == 1)
            {
                // new Thread(Work).Start(arg): the queue takes no argument, so the lambda passes it.
                work = ParenthesizedLambdaExpression(InvocationExpression(work.WithoutTrivia(), ArgumentList(SingletonSeparatedList(start.ArgumentList.Arguments[0].WithoutTrivia()))));
            }
        }

        if (work is null || !LockWrapping.MarkReplaced(editor, startStatement))
            return Task.CompletedTask;

        string queue = QueueFor(editor, loop, queueType);
        var arguments = SeparatedList(cancellation is null
            ? new[] { Argument(work.WithoutTrivia()) }
            : new[] { Argument(work.WithoutTrivia()), Argument(cancellation.Expression.WithoutTrivia()) });
        var enqueue = ExpressionStatement(AwaitExpression(InvocationExpression(
                MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, IdentifierName(queue), IdentifierName("EnqueueAsync")),
                ArgumentList(arguments))))
            .WithTriviaFrom(startStatement)
            .WithAdditionalAnnotations(Formatter.Annotation);

        foreach (var statement in remove)
            editor.RemoveNode(statement);
        editor.ReplaceNode(startStatement, enqueue);
        return Task.CompletedTask;
    }

    /// <summary>The queue in front of <paramref name="loop"/>: one declared by this fix run or an earlier one, or a new one.</summary>
    private static string QueueFor(DocumentEditor editor, StatementSyntax loop, INamedTypeSymbol queueType)
    {
        var queues = Queues.GetValue(editor, _ => new Dictionary<SyntaxNode, string>());
        if (queues.TryGetValue(loop, out var known))
            return known;

        // A queue an earlier application of this fix put right before the loop.
        var block = (BlockSyntax)loop.Parent!;
        int index = block.Statements.IndexOf(loop);
        if (index > 0
            && block.Statements[index - 1] is LocalDeclarationStatementSyntax { AwaitKeyword.RawKind: (int)SyntaxKind.AwaitKeyword, UsingKeyword.RawKind: (int)SyntaxKind.UsingKeyword, Declaration.Variables.Count: 1 } previous
            && previous.Declaration.Variables[0] is var existing
            && existing.Initializer?.Value is ObjectCreationExpressionSyntax { Type: var type } && type.ToString().EndsWith(queueType.Name, System.StringComparison.Ordinal))
        {
            queues[loop] = existing.Identifier.ValueText;
            return existing.Identifier.ValueText;
        }

        string name = UnusedNames.ForBlockLocal(editor, loop, "queue");
        var declaration = LocalDeclarationStatement(VariableDeclaration(IdentifierName("var"))
                .AddVariables(VariableDeclarator(name).WithInitializer(EqualsValueClause(ObjectCreationExpression(Type(editor.Generator, queueType), ArgumentList(), null)))))
            .WithAwaitKeyword(Token(SyntaxKind.AwaitKeyword))
            .WithUsingKeyword(Token(SyntaxKind.UsingKeyword))
            .WithAdditionalAnnotations(Formatter.Annotation);
        editor.InsertBefore(loop, declaration);
        queues[loop] = name;
        return name;
    }

    private static StatementSyntax? DrivingLoop(DocumentEditor editor, Diagnostic diagnostic)
    {
        if (diagnostic.AdditionalLocations.Count == 0)
            return null;

        var span = diagnostic.AdditionalLocations[0].SourceSpan;
        return editor.OriginalRoot.FindNode(span).AncestorsAndSelf().OfType<StatementSyntax>().FirstOrDefault(s => s.Span == span);
    }

    private static TypeSyntax Type(SyntaxGenerator generator, INamedTypeSymbol type) =>
        ((TypeSyntax)generator.TypeExpression(type)).WithAdditionalAnnotations(Simplifier.AddImportsAnnotation);
}
