using System.Collections.Immutable;
using Lockstep.Analyzers.Internal;
using Lockstep.Analyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Lockstep.Analyzers.Rules.AsyncBlocking;

/// <summary>
/// LS3003: async code calls a synchronous method of the compilation that sleeps or waits, directly or through any
/// depth of further synchronous calls. The message names the chain, e.g. <c>Pause → Thread.Sleep</c>.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class BlockingCallChainInAsyncCodeAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.BlockingCallChainInAsyncCode);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(static start =>
        {
            if (BlockingApi.Create(start.Compilation) is not { } api)
                return;

            var summaries = BlockingSummaries.For(start.Compilation, api);
            start.RegisterOperationAction(c => Analyze(c, api, summaries), CallTargets.CallingKinds);
        });
    }

    private static void Analyze(OperationAnalysisContext context, BlockingApi api, BlockingSummaries summaries)
    {
        var operation = context.Operation;
        if (CallTargets.GetFollowableTarget(operation) is not { } callee)
            return;

        if (!AsyncContext.TryFind(operation, context.ContainingSymbol, out var asyncContext))
            return;

        // Recursion into the async function itself is not a blocking call; the callee must be a synchronous method.
        if (SymbolEqualityComparer.Default.Equals(callee, asyncContext.Function))
            return;

        if (summaries.GetChain(callee, context.CancellationToken) is not { } chain)
            return;

        var properties = ImmutableDictionary<string, string?>.Empty;
        if (operation.Kind == OperationKind.Invocation
            && AsyncCounterparts.Find(callee, api) is { } counterpart
            && AsyncContext.CanInsertAwait(operation.Syntax))
        {
            properties = properties.Add(DiagnosticPropertyKeys.AsyncCounterpart, counterpart.Name);
        }

        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.BlockingCallChainInAsyncCode,
            operation.Syntax.GetLocation(),
            properties,
            CallTargets.DisplayName(callee),
            asyncContext.Description,
            chain.ToString()));
    }
}
