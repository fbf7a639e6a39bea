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

        // No repair where the lock is never released in the method or released only on some paths on purpose
        // (if (b) Monitor.Exit(o)): where the release belongs is a design decision, not a mechanical one.
        var properties = FixProperties.None;
        if (LockRelease.CanBecomeLockStatement(invocation, identity, catalogue.Locks))
            properties = FixProperties.ReleaseFix.Set(properties, ReleaseFixKind.LockStatement);
        else if (LockRelease.CanWrapInTryFinally(invocation, identity, catalogue.Locks))
            properties = FixProperties.ReleaseFix.Set(properties, ReleaseFixKind.TryFinally);
        else if (LockRelease.CanReleaseOnlyIfTaken(call, identity, catalogue.Locks))
            properties = FixProperties.ReleaseFix.Set(properties, ReleaseFixKind.ReleaseOnlyIfTaken);

        // A private SemaphoreSlim(1, 1) used only as a lock can become an AsyncLock, whose using scope always releases.
        if (invocation.Instance is IFieldReferenceOperation { Field: var field }
            && invocation.SemanticModel is { } model
            && catalogue.Types.AsyncLock is not null
            && SemaphoreAsLock.IsConvertible(field, model, catalogue, context.CancellationToken, out _))
        {
            properties = FixProperties.AsyncLockField.Set(properties, field.Name);
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
    /// the lock held when an exception or a return skips the Dispose. The fix holds the scope in a using statement when
    /// its Dispose is a later statement of the same block; a scope never disposed, or discarded, gets none (where its
    /// release belongs is a design decision).
    /// </summary>
    private static void AnalyzeScope(OperationAnalysisContext context, IInvocationOperation scope, ConcurrencyCatalogue catalogue)
    {
        if (LockRelease.FindScopeProblem(scope, catalogue.Locks) is not { } problem
            || !Model.HeldLocks.TryIdentify(scope.Instance, LockMode.Exclusive, out var identity))
        {
            return;
        }

        var properties = LockRelease.ScopeUsingShape(scope, catalogue.Locks) is not null
            ? FixProperties.ReleaseFix.Set(FixProperties.None, ReleaseFixKind.UsingScope)
            : FixProperties.None;
        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.LockNotReleasedOnAllPaths,
            scope.Syntax.GetLocation(),
            properties,
            scope.TargetMethod.ContainingType.Name + "." + scope.TargetMethod.Name,
            identity.Name,
            problem));
    }
}
