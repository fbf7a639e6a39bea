using Lockstep.Analyzers.Catalogue;
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
/// LS4001: start-all-then-join-all over a collection becomes <c>Parallel.ForEach</c> with
/// <c>MaxDegreeOfParallelism = Environment.ProcessorCount</c>; a fire-and-forget thread per connection, message or item
/// in async code becomes <c>await queue.EnqueueAsync(work)</c> on a <c>BoundedWorkQueue</c> created before the loop.
/// Synchronous code gets no queue fix: the queue's only waiting intake is asynchronous, and blocking on it, or dropping
/// work when it is full, would be worse than the thread it replaces.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UnboundedThreadCreationFixer))]
public sealed class UnboundedThreadCreationFixer : CodeFixProvider
{
    public const string ParallelForEachEquivalenceKey = "LS4001.ParallelForEach";
    public const string BoundedWorkQueueEquivalenceKey = "LS4001.BoundedWorkQueue";

    private static readonly ConditionalWeakTable<DocumentEditor, Dictionary<SyntaxNode, string>> Queues = new();

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(DiagnosticIds.UnboundedThreadCreation);

    public override FixAllProvider GetFixAllProvider() =>
        EditorFixAllProvider.Create(key => key == ParallelForEachEquivalenceKey ? ApplyParallelForEachAsync : ApplyBoundedWorkQueueAsync);

    public override Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            diagnostic.Properties.TryGetValue(DiagnosticPropertyKeys.ThreadCreationFix, out var fix);
            if (fix == ThreadCreationFixShapes.ParallelForEach)
                EditorFixAllProvider.Register(context, diagnostic, "Run the items with Parallel.ForEach, at most one per processor", ParallelForEachEquivalenceKey, ApplyParallelForEachAsync);
            else if (fix == ThreadCreationFixShapes.BoundedWorkQueue)
                EditorFixAllProvider.Register(context, diagnostic, "Hand the work to a BoundedWorkQueue", BoundedWorkQueueEquivalenceKey, ApplyBoundedWorkQueueAsync);
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// <c>var threads = new List&lt;Thread&gt;(); foreach (var item in items) { var t = new Thread(() =&gt; Work(item)); t.Start(); threads.Add(t); } foreach (var t in threads) t.Join();</c>
    /// → <c>Parallel.ForEach(items, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, item =&gt; Work(item));</c>
    /// </summary>
    private static Task ApplyParallelForEachAsync(DocumentEditor editor, Diagnostic diagnostic, SyntaxNode node, CancellationToken cancellationToken)
    {
        var compilation = editor.SemanticModel.Compilation;
        if (!HasFix(diagnostic, ThreadCreationFixShapes.ParallelForEach)
            || node is not InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax thread } } start
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
        if (!HasFix(diagnostic, ThreadCreationFixShapes.BoundedWorkQueue)
            || node is not InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access } start
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

        string name = UnusedName(editor.SemanticModel, loop, "queue");
        var declaration = LocalDeclarationStatement(VariableDeclaration(IdentifierName("var"))
                .AddVariables(VariableDeclarator(name).WithInitializer(EqualsValueClause(ObjectCreationExpression(Type(editor.Generator, queueType), ArgumentList(), null)))))
            .WithAwaitKeyword(Token(SyntaxKind.AwaitKeyword))
            .WithUsingKeyword(Token(SyntaxKind.UsingKeyword))
            .WithAdditionalAnnotations(Formatter.Annotation);
        editor.InsertBefore(loop, declaration);
        queues[loop] = name;
        return name;
    }

    /// <summary>A name no symbol in scope has and no identifier of the enclosing member uses (so nothing is shadowed).</summary>
    private static string UnusedName(SemanticModel model, SyntaxNode at, string name)
    {
        var member = at.Ancestors().FirstOrDefault(a => a is MemberDeclarationSyntax) ?? at.SyntaxTree.GetRoot();
        var used = new HashSet<string>(member.DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken)).Select(t => t.ValueText));
        string candidate = name;
        for (int i = 2; used.Contains(candidate) || model.LookupSymbols(at.SpanStart, name: candidate).Any(); i++)
            candidate = name + i;
        return candidate;
    }

    private static StatementSyntax? DrivingLoop(DocumentEditor editor, Diagnostic diagnostic)
    {
        if (diagnostic.AdditionalLocations.Count == 0)
            return null;

        var span = diagnostic.AdditionalLocations[0].SourceSpan;
        return editor.OriginalRoot.FindNode(span).AncestorsAndSelf().OfType<StatementSyntax>().FirstOrDefault(s => s.Span == span);
    }

    private static bool HasFix(Diagnostic diagnostic, string fix) =>
        diagnostic.Properties.TryGetValue(DiagnosticPropertyKeys.ThreadCreationFix, out var value) && value == fix;

    private static TypeSyntax Type(SyntaxGenerator generator, INamedTypeSymbol type) =>
        ((TypeSyntax)generator.TypeExpression(type)).WithAdditionalAnnotations(Simplifier.AddImportsAnnotation);
}
