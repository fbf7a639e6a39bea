using System.Collections.Immutable;
using System.Linq;
using Lockstep.Analyzers.Model;
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
        context.RegisterOperationAction(Analyze, OperationKind.Invocation);
    }

    private static void Analyze(OperationAnalysisContext context)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (!LockRelease.IsAcquisition(invocation, out var identity, out var takenFlag))
            return;

        string? problem = LockRelease.FindProblem(invocation, identity, takenFlag);
        if (problem is null)
            return;

        var properties = ImmutableDictionary<string, string?>.Empty;
        if (LockRelease.CanWrapInTryFinally(invocation, identity))
            properties = properties.Add(DiagnosticPropertyKeys.ReleaseFix, "TryFinally");
        if (LockRelease.CanBecomeLockStatement(invocation, identity))
            properties = properties.SetItem(DiagnosticPropertyKeys.ReleaseFix, "LockStatement");

        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.LockNotReleasedOnAllPaths,
            invocation.Syntax.GetLocation(),
            properties,
            invocation.TargetMethod.ContainingType.Name + "." + invocation.TargetMethod.Name,
            identity.Name,
            problem));
    }
}
