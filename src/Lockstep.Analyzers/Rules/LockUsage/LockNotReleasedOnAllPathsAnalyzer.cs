using System.Collections.Immutable;
using System.Linq;
using Lockstep.Analyzers.Catalogue;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Lockstep.Analyzers.Rules.LockUsage;

/// <summary>
/// LS5001: a lock acquired by an explicit call (Monitor.Enter, SemaphoreSlim.Wait/WaitAsync, Mutex.WaitOne,
/// ReaderWriterLockSlim.Enter*, SpinLock.Enter, Lock.Enter) that is not released in the finally block of a try that
/// starts right after it, so an exception or an early return leaves it held.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class LockNotReleasedOnAllPathsAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.LockNotReleasedOnAllPaths);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(static start =>
        {
            var catalogue = ConcurrencyCatalogue.For(start.Compilation);
            start.RegisterOperationAction(c => Analyze(c, catalogue), OperationKind.Invocation);
        });
    }

    private static void Analyze(OperationAnalysisContext context, ConcurrencyCatalogue catalogue)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (catalogue.Locks.IsLibraryScope(invocation))
        {
            AnalyzeScope(context, invocation, catalogue);
            return;
        }

        if (!LockRelease.IsAcquisition(invocation, catalogue.Locks, out var call, out var identity))
            return;

        string? problem = LockRelease.FindProblem(call, identity, catalogue.Locks);
        if (problem is null)
            return;

        var properties = ImmutableDictionary<string, string?>.Empty;
        if (LockRelease.CanWrapInTryFinally(invocation, identity, catalogue.Locks))
            properties = properties.Add(DiagnosticPropertyKeys.ReleaseFix, "TryFinally");
        if (LockRelease.CanBecomeLockStatement(invocation, identity, catalogue.Locks))
            properties = properties.SetItem(DiagnosticPropertyKeys.ReleaseFix, "LockStatement");

        // A private SemaphoreSlim(1, 1) used only as a lock can become an AsyncLock, whose using scope always releases.
        if (invocation.Instance is IFieldReferenceOperation { Field: var field }
            && invocation.SemanticModel is { } model
            && SemaphoreAsLock.IsConvertible(field, model, catalogue, context.CancellationToken, out _))
        {
            properties = properties.Add(DiagnosticPropertyKeys.AsyncLockField, field.Name);
        }

        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.LockNotReleasedOnAllPaths,
            invocation.Syntax.GetLocation(),
            properties,
            invocation.TargetMethod.ContainingType.Name + "." + invocation.TargetMethod.Name,
            identity.Name,
            problem));
    }

    /// <summary>
    /// The runtime library's own locks under the same rule: <c>var s = await _lock.LockAsync(); …; s.Dispose();</c> leaves
    /// the lock held when an exception or a return skips the Dispose. No fix is offered: the cure is a using scope.
    /// </summary>
    private static void AnalyzeScope(OperationAnalysisContext context, IInvocationOperation scope, ConcurrencyCatalogue catalogue)
    {
        if (LockRelease.FindScopeProblem(scope, catalogue.Locks) is not { } problem
            || !Model.HeldLocks.TryIdentify(scope.Instance, LockMode.Exclusive, out var identity))
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.LockNotReleasedOnAllPaths,
            scope.Syntax.GetLocation(),
            scope.TargetMethod.ContainingType.Name + "." + scope.TargetMethod.Name,
            identity.Name,
            problem));
    }
}
