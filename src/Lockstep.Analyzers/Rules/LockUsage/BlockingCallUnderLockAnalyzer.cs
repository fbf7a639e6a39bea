using System.Collections.Immutable;
using System.Linq;
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
        ImmutableArray.Create(Descriptors.BlockingCallUnderLock);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(static start =>
        {
            var api = BlockingApi.Create(start.Compilation);
            var summaries = api is null ? null : BlockingSummaries.For(start.Compilation, api);
            start.RegisterOperationAction(c => Analyze(c, api, summaries), CallTargets.CallingKinds);
        });
    }

    private static void Analyze(OperationAnalysisContext context, BlockingApi? api, BlockingSummaries? summaries)
    {
        var operation = context.Operation;
        string? blocking = null;
        string chain = string.Empty;

        if (api is not null && BlockingCallClassifier.TryClassify(operation, api, out var call))
        {
            if (TaskCompletionFacts.IsProvenComplete(call.AwaitedTask, operation, OperationTree.FunctionRoot(operation)))
                return;
            blocking = call.DisplayName;
        }
        else if (BlockingIoClassifier.TryClassify(operation, out var io))
        {
            blocking = io;
        }
        else if (summaries is not null && CallTargets.GetFollowableTarget(operation) is { } callee
            && summaries.GetChain(callee, context.CancellationToken) is { } found)
        {
            blocking = CallTargets.DisplayName(callee);
            chain = " (" + found + ")";
        }

        if (blocking is null)
            return;

        var held = HeldLocks.At(operation);
        if (held.IsEmpty)
            return;

        string lockNames = string.Join("', '", held.Select(l => l.Name).Distinct());
        var properties = IsMovableBeforeLock(operation)
            ? ImmutableDictionary<string, string?>.Empty.Add(DiagnosticPropertyKeys.MoveBeforeLock, "true")
            : ImmutableDictionary<string, string?>.Empty;
        context.ReportDiagnostic(Diagnostic.Create(Descriptors.BlockingCallUnderLock, operation.Syntax.GetLocation(), properties, blocking, lockNames, chain));
    }

    /// <summary>
    /// The blocking call is the first statement of a <c>lock</c> body and uses none of the type's state nor anything
    /// the body computes, so it can run before the lock is taken without changing what the lock protects.
    /// </summary>
    private static bool IsMovableBeforeLock(IOperation operation)
    {
        if (operation.Parent is not IExpressionStatementOperation statement
            || statement.Parent is not IBlockOperation block
            || block.Parent is not ILockOperation
            || block.Operations.Length == 0
            || block.Operations[0] != statement
            || statement.Syntax is not ExpressionStatementSyntax)
        {
            return false;
        }

        return !operation.DescendantsAndSelf().Any(o => o is IFieldReferenceOperation or IInstanceReferenceOperation
            || o is IPropertyReferenceOperation { Property.IsStatic: false, Instance: IInstanceReferenceOperation });
    }
}
