using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Lockstep.Analyzers.Model;

/// <summary>
/// Walks every function body of a compilation once and records, per function, the accesses to potentially shared
/// locations, the synchronous calls to other source functions, and the places that start concurrent work.
/// </summary>
internal sealed class FactCollector
{
    private readonly Compilation _compilation;
    private readonly ConcurrencyApi _api;
    private readonly AnalyzerOptions? _options;
    private readonly Dictionary<IMethodSymbol, FunctionFacts> _functions = new(SymbolEqualityComparer.Default);

    public FactCollector(Compilation compilation, ConcurrencyApi api, AnalyzerOptions? options)
    {
        _compilation = compilation;
        _api = api;
        _options = options;
    }

    public Dictionary<IMethodSymbol, FunctionFacts> Collect(CancellationToken cancellationToken)
    {
        foreach (var tree in _compilation.SyntaxTrees)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var root = tree.GetRoot(cancellationToken);
            var configuredEntryPoints = Options.LockstepOptions.ReadEntryPoints(_options, tree);
#pragma warning disable RS1030 // The model is whole-program; the driver's model cache shares the binding with the other analyzers.
            var model = _compilation.GetSemanticModel(tree);
#pragma warning restore RS1030
            foreach (var (body, position) in BodiesOf(root))
            {
                if (model.GetEnclosingSymbol(position, cancellationToken) is not IMethodSymbol function)
                    continue;
                var operation = model.GetOperation(body, cancellationToken);
                if (operation is not null)
                    Walk(operation, function.OriginalDefinition, Options.LockstepOptions.Names(configuredEntryPoints, function));
            }
        }

        return _functions;
    }

    /// <summary>Bodies of methods, constructors, operators, accessors, expression-bodied members and top-level statements.</summary>
    private static IEnumerable<(SyntaxNode Body, int Position)> BodiesOf(SyntaxNode root)
    {
        bool topLevelDone = false;
        foreach (var node in root.DescendantNodes(static n => n is not (BlockSyntax or ArrowExpressionClauseSyntax or ExpressionSyntax)))
        {
            switch (node)
            {
                case BaseMethodDeclarationSyntax method when ((SyntaxNode?)method.Body ?? method.ExpressionBody) is { } methodBody:
                    yield return (method, methodBody.SpanStart);
                    break;
                case AccessorDeclarationSyntax accessor when ((SyntaxNode?)accessor.Body ?? accessor.ExpressionBody) is { } accessorBody:
                    yield return (accessor, accessorBody.SpanStart);
                    break;
                case ArrowExpressionClauseSyntax { Parent: PropertyDeclarationSyntax or IndexerDeclarationSyntax } arrow:
                    yield return (arrow, arrow.Expression.SpanStart);
                    break;
                case GlobalStatementSyntax global when !topLevelDone && global.Parent is CompilationUnitSyntax unit:
                    topLevelDone = true;
                    yield return (unit, global.SpanStart);
                    break;
            }
        }
    }

    private FunctionFacts FactsOf(IMethodSymbol function)
    {
        if (!_functions.TryGetValue(function, out var facts))
        {
            facts = new FunctionFacts(function);
            _functions.Add(function, facts);
        }

        return facts;
    }

    private void Walk(IOperation root, IMethodSymbol rootFunction, bool isConfiguredEntryPoint)
    {
        var rootFacts = FactsOf(rootFunction);
        if (isConfiguredEntryPoint || (_api.RunsConcurrentlyAttribute is { } attribute && HasAttribute(rootFunction, attribute)))
            rootFacts.Starts.Add(new StartFact(StartKind.Annotated, rootFunction, root, isRepeated: true, InstanceKind.Other, int.MaxValue, "[RunsConcurrently]", rootFunction));

        var stack = new Stack<(IOperation Operation, FunctionFacts Function)>();
        stack.Push((root, rootFacts));
        while (stack.Count > 0)
        {
            var (operation, facts) = stack.Pop();
            var childFacts = facts;
            switch (operation)
            {
                case IAnonymousFunctionOperation lambda:
                    childFacts = FactsOf(lambda.Symbol.OriginalDefinition);
                    childFacts.Enclosing = facts.Function;
                    childFacts.IsCalledPerElement = IsPassedToPerElementApi(lambda);
                    break;
                case ILocalFunctionOperation localFunction:
                    childFacts = FactsOf(localFunction.Symbol.OriginalDefinition);
                    childFacts.Enclosing = facts.Function;
                    break;
                default:
                    Record(operation, facts);
                    break;
            }

            // Push in reverse so functions are walked in source order: a write-back must see the read before it.
            var children = new List<IOperation>(operation.ChildOperations);
            for (int i = children.Count - 1; i >= 0; i--)
                stack.Push((children[i], childFacts));
        }
    }

    private void Record(IOperation operation, FunctionFacts facts)
    {
        switch (operation)
        {
            case IInvocationOperation or IObjectCreationOperation or IEventAssignmentOperation:
                StartRecognizer.Recognize(operation, _api, facts);
                break;
            case IConditionalOperation conditional when conditional.Syntax is IfStatementSyntax:
                CheckThenActRecognizer.Recognize(conditional, facts);
                break;
            case ICoalesceAssignmentOperation coalesce:
                CheckThenActRecognizer.RecognizeCoalesce(coalesce, facts);
                break;
        }

        if (operation is IFieldReferenceOperation or IPropertyReferenceOperation or ILocalReferenceOperation or IParameterReferenceOperation)
            AccessRecognizer.Recognize(operation, _api, facts);

        if (CallTargets.GetRaceFollowableTarget(operation) is { } target && !SymbolEqualityComparer.Default.Equals(target, facts.Function))
            facts.Calls.Add(new CallFact(target, HeldLocks.At(operation), AccessRecognizer.ReceiverOf(operation), operation.Syntax.SpanStart, StartRecognizer.IsInLoop(operation)));
    }

    /// <summary>A lambda given to LINQ or <c>ForEach</c> runs once per element: work it starts is started many times.</summary>
    private static bool IsPassedToPerElementApi(IAnonymousFunctionOperation lambda)
    {
        var parent = lambda.Parent;
        while (parent is IDelegateCreationOperation or IConversionOperation)
            parent = parent.Parent;

        return parent is IArgumentOperation { Parent: IInvocationOperation invocation }
            && (invocation.TargetMethod.ContainingType?.Name is "Enumerable" or "ParallelEnumerable" or "Parallel"
                || invocation.TargetMethod.Name == "ForEach");
    }

    private static bool HasAttribute(ISymbol symbol, INamedTypeSymbol attribute)
    {
        foreach (var data in symbol.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(data.AttributeClass, attribute))
                return true;
        }

        return false;
    }
}
