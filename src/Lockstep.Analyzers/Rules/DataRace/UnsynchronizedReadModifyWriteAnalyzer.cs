using System.Collections.Immutable;
using Lockstep.Analyzers.Engine;
using Lockstep.Analyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Lockstep.Analyzers.Rules.DataRace;

/// <summary>LS1001: a shared field, auto-property or captured local is read, modified and written back without synchronisation by code that runs concurrently with another writer.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UnsynchronizedReadModifyWriteAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.UnsynchronizedReadModifyWrite, Descriptors.AnalysisBudgetExhausted);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);

        DataRaceDiagnostics.Register(context, static (end, model) =>
        {
            foreach (var finding in model.ReadModifyWrites)
            {
                var access = finding.Access;
                var preferred = InterlockedShape(access.Operation) && !finding.IsLockedElsewhere ? RaceFixKind.Interlocked : RaceFixKind.Lock;
                var properties = DataRaceDiagnostics.RepairProperties(access, preferred, end);
                end.ReportDiagnostic(Diagnostic.Create(
                    Descriptors.UnsynchronizedReadModifyWrite,
                    finding.Location,
                    finding.Severity(Descriptors.UnsynchronizedReadModifyWrite),
                    additionalLocations: null,
                    properties,
                    DataRaceDiagnostics.MemberName(access.Location),
                    Verb(access),
                    finding.Origin));
            }
        });
    }

    private static string Verb(AccessFact access) => access.Operation switch
    {
        _ when access.EarlierRead is not null => "read and written back",
        IIncrementOrDecrementOperation { Kind: OperationKind.Increment } => "incremented",
        IIncrementOrDecrementOperation => "decremented",
        _ => "updated",
    };

    /// <summary>
    /// <c>x++</c>, <c>x--</c>, <c>x += n</c>, <c>x -= n</c> on an int or long field or local map onto one Interlocked call;
    /// properties cannot be passed by reference and other operators have no Interlocked form, so they get a lock.
    /// </summary>
    private static bool InterlockedShape(IOperation operation)
    {
        var target = operation switch
        {
            IIncrementOrDecrementOperation increment => increment.Target,
            ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Add or BinaryOperatorKind.Subtract, OperatorMethod: null } compound => compound.Target,
            _ => null,
        };

        return target is IFieldReferenceOperation or ILocalReferenceOperation or IParameterReferenceOperation
            && target.Type?.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64;
    }
}
