using System.Collections.Immutable;
using Lockstep.Analyzers.Catalogue;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Lockstep.Analyzers.Rules.ThreadCreation;

/// <summary>
/// LS4002: <c>Join()</c> or <c>Wait()</c> on a thread or task started in the same loop iteration, which serialises
/// the workers (the seed lesson's "if you join here, the children run one after another").
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class JoinInsideStartLoopAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.JoinInsideStartLoop);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(static start =>
        {
            var catalogue = ConcurrencyCatalogue.For(start.Compilation);
            if (!catalogue.HasThreadsOrTasks)
                return;

            start.RegisterOperationAction(c => Analyze(c, catalogue.Starts), OperationKind.Invocation);
        });
    }

    private static void Analyze(OperationAnalysisContext context, StartCatalogue starts)
    {
        var wait = (IInvocationOperation)context.Operation;
        if (!starts.IsWaitForWorker(wait) || WorkerLoops.StartedInSameIteration(wait, starts) is not { } loop)
            return;

        var properties = WorkerLoops.CanCollectWorkers(wait, loop)
            ? ImmutableDictionary<string, string?>.Empty.Add(DiagnosticPropertyKeys.CollectWorkers, "true")
            : ImmutableDictionary<string, string?>.Empty;
        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.JoinInsideStartLoop,
            wait.Syntax.GetLocation(),
            properties,
            wait.TargetMethod.ContainingType.Name + "." + wait.TargetMethod.Name));
    }
}
