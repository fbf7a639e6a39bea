using System.Collections.Immutable;
using Lockstep.Analyzers.Catalogue;
using Lockstep.Analyzers.Internal;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Lockstep.Analyzers.Rules.AsyncBlocking;

/// <summary>LS3001: <c>Thread.Sleep</c> or <c>SpinWait.SpinUntil</c> inside an async method, lambda or local function.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class BlockingSleepInAsyncCodeAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.BlockingSleepInAsyncCode);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(static start =>
        {
            var catalogue = ConcurrencyCatalogue.For(start.Compilation);
            if (catalogue.Types.Thread is null)
                return; // no Thread type, nothing can sleep

            start.RegisterOperationAction(c => AnalyzeInvocation(c, catalogue), OperationKind.Invocation);
        });
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, ConcurrencyCatalogue catalogue)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (!catalogue.Blocking.TryClassify(invocation, out var call) || call.Kind != BlockingKind.Sleep)
            return;

        // Synchronous code (including sync lambdas handed to Task.Run or new Thread from async code) may block: it owns its thread.
        if (!AsyncContext.TryFind(invocation, context.ContainingSymbol, out var asyncContext))
            return;

        // The synchronous half of a method that serves sync and async callers (the other half awaits Task.Delay) runs
        // for sync callers, who chose to block: not reported, on purpose.
        if (asyncContext.BranchOf(invocation, catalogue).IsSyncHalfOfDualMode)
            return;

        context.ReportDiagnostic(AsyncBlockingDiagnostics.Create(Descriptors.BlockingSleepInAsyncCode, invocation, call, catalogue, call.DisplayName, asyncContext.Description));
    }
}
