using Lockstep.Analyzers.Catalogue;
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
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Simplification;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace Lockstep.Analyzers.Rules.ThreadCreation;

/// <summary>
/// LS4002: the loop collects its workers in a list (<c>workers.Add(t)</c> where it waited for <c>t</c>), and a loop
/// after it waits for them all with the same call — so they run together and the program still waits for every one.
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
            if (diagnostic.Properties.ContainsKey(DiagnosticPropertyKeys.CollectWorkers))
                EditorFixAllProvider.Register(context, diagnostic, "Start all the workers, then wait for them after the loop", EquivalenceKey, ApplyAsync);
        }

        return Task.CompletedTask;
    }

    private static Task ApplyAsync(DocumentEditor editor, Diagnostic diagnostic, SyntaxNode node, CancellationToken cancellationToken)
    {
        var model = editor.SemanticModel;
        if (!diagnostic.Properties.ContainsKey(DiagnosticPropertyKeys.CollectWorkers)
            || node is not InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access } wait
            || wait.Parent is not ExpressionStatementSyntax waitStatement
            || waitStatement.Parent is not BlockSyntax { Parent: StatementSyntax loop }
            || loop.Parent is not BlockSyntax
            || model.GetTypeInfo(access.Expression, cancellationToken).Type is not { } workerType
            || ConcurrencyCatalogue.For(model.Compilation).Types.List is not { } list
            || !LockWrapping.MarkReplaced(editor, loop))
        {
            return Task.CompletedTask;
        }

        string name = UnusedName(model, loop.SpanStart, "workers");
        string each = UnusedName(model, loop.SpanStart, "worker");
        var listType = ((TypeSyntax)editor.Generator.TypeExpression(list.Construct(workerType))).WithAdditionalAnnotations(Simplifier.AddImportsAnnotation);

        // var workers = new List<Thread>();  …  workers.Add(t);  …  foreach (var worker in workers) worker.Join();
        var declaration = LocalDeclarationStatement(VariableDeclaration(IdentifierName("var"))
                .AddVariables(VariableDeclarator(name).WithInitializer(EqualsValueClause(ObjectCreationExpression(listType, ArgumentList(), null)))))
            .WithAdditionalAnnotations(Formatter.Annotation);
        var add = ExpressionStatement(InvocationExpression(
                MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, IdentifierName(name), IdentifierName("Add")),
                ArgumentList(SingletonSeparatedList(Argument(access.Expression.WithoutTrivia())))))
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

    private static string UnusedName(SemanticModel model, int position, string name)
    {
        string candidate = name;
        for (int i = 2; model.LookupSymbols(position, name: candidate).Any(); i++)
            candidate = name + i;
        return candidate;
    }
}
