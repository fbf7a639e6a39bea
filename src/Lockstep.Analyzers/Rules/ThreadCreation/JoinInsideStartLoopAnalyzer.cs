using System.Collections.Immutable;
using Lockstep.Analyzers.Catalogue;
using Lockstep.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Lockstep.Analyzers.Rules.ThreadCreation;

/// <summary>
/// LS4002: <c>Join()</c> or <c>Wait()</c> on a thread or task started in the same loop iteration, which serialises
/// the workers ("join here and the children run one after another").
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

            var summaries = MethodSummaries.For(start.Compilation, start.Options);
            start.RegisterOperationAction(c => Analyze(c, summaries), OperationKind.Invocation);
        });
    }

    private static void Analyze(OperationAnalysisContext context, MethodSummaries summaries)
    {
        var starts = summaries.Index.Catalogue.Starts;
        var wait = (IInvocationOperation)context.Operation;
        if (!starts.IsWaitForWorker(wait) || WorkerLoops.StartedInSameIteration(wait, starts) is not { } loop)
            return;

        var properties = WorkerWaitFixShapes.Choose(wait, loop, context.ContainingSymbol, summaries, context.Options) is { } fix
            ? FixProperties.WorkerWaitFix.Set(FixProperties.None, fix)
            : FixProperties.None;
        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.JoinInsideStartLoop,
            wait.Syntax.GetLocation(),
            properties,
            wait.TargetMethod.ContainingType.Name + "." + wait.TargetMethod.Name));
    }
}
