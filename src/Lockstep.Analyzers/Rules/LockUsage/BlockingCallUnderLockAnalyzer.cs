using System.Collections.Immutable;
using System.Linq;
using Lockstep.Analyzers.Catalogue;
using Lockstep.Analyzers.Engine;
using Lockstep.Analyzers.Internal;
using Lockstep.Analyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Lockstep.Analyzers.Rules.LockUsage;

/// <summary>
/// LS5002: a sleep, synchronous wait, thread join or blocking I/O call made while a lock is held — directly, or inside
/// a method of the compilation called there. <c>Monitor.Wait</c> is not a blocking call under the lock: it releases it.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class BlockingCallUnderLockAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.BlockingCallUnderLock, Descriptors.AnalysisBudgetExhausted);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(static start =>
        {
            var summaries = MethodSummaries.For(start.Compilation, start.Options);
            start.RegisterOperationAction(c => Analyze(c, summaries), CallTargets.CallingKinds);
        });
    }

    private static void Analyze(OperationAnalysisContext context, MethodSummaries summaries)
    {
        var operation = context.Operation;
        var catalogue = summaries.Index.Catalogue;
        string? blocking = null;
        string chain = string.Empty;
        BlockingCall? direct = null;
        Reached<BlockingFact>? reached = null;

        if (catalogue.Blocking.TryClassify(operation, out var call))
        {
            if (TaskCompletionFacts.IsProvenComplete(call.AwaitedTask, operation, OperationTree.FunctionRoot(operation), catalogue))
                return;
            blocking = call.DisplayName;
            direct = call;
        }
        else if (catalogue.Blocking.TryClassifyIo(operation, out var io))
        {
            blocking = io;
        }
        else if (CallTargets.GetInvokedMethod(operation) is { } invoked && HeldLocks.At(operation, catalogue.Locks) is { IsEmpty: false })
        {
            // Only calls made under a lock are followed: the walk is the expensive part.
            foreach (var callee in summaries.Graph.TargetsOf(operation, AsyncCalls.Skip, context.CancellationToken))
            {
                var reach = summaries.Blocking(operation, callee, context.CancellationToken);
                if (reach.Exhausted)
                    BudgetNotes.Report(context, callee, operation.Syntax.GetLocation(), summaries.Index);
                if (reach.IsEmpty)
                    continue;

                var found = reach.Found[0].Value;
                reached = found;
                blocking = CallTargets.DisplayName(invoked);
                chain = " (" + MethodSummaries.DescribeChain(found.Chain, found.Fact.DisplayName) + ")";
                break;
            }
        }

        if (blocking is null)
            return;

        var held = HeldLocks.At(operation, catalogue.Locks);
        if (held.IsEmpty)
            return;

        string lockNames = string.Join("', '", held.Select(l => l.Name).Distinct());
        var properties = BlockingUnderLockFixes.Choose(operation, direct, reached, context.ContainingSymbol, summaries, context.CancellationToken);
        context.ReportDiagnostic(Diagnostic.Create(Descriptors.BlockingCallUnderLock, operation.Syntax.GetLocation(), properties, blocking, lockNames, chain));
    }
}
