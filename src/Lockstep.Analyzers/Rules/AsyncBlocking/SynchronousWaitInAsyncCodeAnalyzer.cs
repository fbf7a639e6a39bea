using System.Collections.Immutable;
using Lockstep.Analyzers.Internal;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Lockstep.Analyzers.Rules.AsyncBlocking;

/// <summary>
/// LS3002: <c>Wait()</c>, <c>.Result</c>, <c>GetAwaiter().GetResult()</c>, <c>Task.WaitAll/WaitAny</c>,
/// <c>SemaphoreSlim.Wait</c>, <c>ManualResetEventSlim.Wait</c>, <c>Thread.Join</c> and other synchronous waits in async code.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SynchronousWaitInAsyncCodeAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.SynchronousWaitInAsyncCode);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(static start =>
        {
            if (BlockingApi.Create(start.Compilation) is not { } api)
                return;

            start.RegisterOperationAction(c => Analyze(c, api), OperationKind.Invocation, OperationKind.PropertyReference);
        });
    }

    private static void Analyze(OperationAnalysisContext context, BlockingApi api)
    {
        var operation = context.Operation;
        if (!BlockingCallClassifier.TryClassify(operation, api, out var call) || call.Kind != BlockingKind.Wait)
            return;

        if (!AsyncContext.TryFind(operation, context.ContainingSymbol, out var asyncContext))
            return;

        // Reading the result of a task that has already completed returns at once; it is not a wait.
        if (TaskCompletionFacts.IsProvenComplete(call.AwaitedTask, operation, asyncContext.Body))
            return;

        context.ReportDiagnostic(AsyncBlockingDiagnostics.Create(Descriptors.SynchronousWaitInAsyncCode, operation, call, call.DisplayName, asyncContext.Description, call.Advice));
    }
}
