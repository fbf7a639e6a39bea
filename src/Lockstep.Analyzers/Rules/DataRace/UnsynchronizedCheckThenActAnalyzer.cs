using System.Collections.Immutable;
using Lockstep.Analyzers.Engine;
using Lockstep.Analyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Lockstep.Analyzers.Rules.DataRace;

/// <summary>
/// LS1002: shared state is checked and then changed on the strength of the check, or a field checked for null is read
/// again to be used, without synchronisation, by concurrent code.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UnsynchronizedCheckThenActAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.UnsynchronizedCheckThenAct, Descriptors.AnalysisBudgetExhausted);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);

        DataRaceDiagnostics.Register(context, static (end, model) =>
        {
            foreach (var finding in model.CheckThenActs)
            {
                var preferred = finding.Access.Kind == AccessKind.CheckThenUse ? RaceFixKind.ReadOnce
                    : IsLazyInitialisation(finding.Access) ? RaceFixKind.LazyInitializer
                    : RaceFixKind.Lock;
                var properties = DataRaceDiagnostics.RepairProperties(finding.Access, preferred, end);
                end.ReportDiagnostic(Diagnostic.Create(
                    Descriptors.UnsynchronizedCheckThenAct,
                    finding.Location,
                    finding.Severity(Descriptors.UnsynchronizedCheckThenAct),
                    additionalLocations: null,
                    properties,
                    DataRaceDiagnostics.MemberName(finding.Access.Location),
                    finding.Origin));
            }
        });
    }

    /// <summary><c>if (_x == null) _x = new X();</c> or <c>_x ??= new X();</c> on a reference-type field: LazyInitializer does it atomically.</summary>
    private static bool IsLazyInitialisation(AccessFact access)
    {
        if (access.Location is not IFieldSymbol { Type.IsReferenceType: true, IsReadOnly: false })
            return false;

        if (access.Operation is ICoalesceAssignmentOperation { Value: IObjectCreationOperation })
            return true;

        return access.Operation.Parent is IConditionalOperation { WhenFalse: null } conditional
            && IsNullCheck(conditional.Condition)
            && SingleAssignment(conditional.WhenTrue) is { Value: IObjectCreationOperation } assignment
            && assignment.Target is IFieldReferenceOperation field
            && SymbolEqualityComparer.Default.Equals(field.Field.OriginalDefinition, access.Location);
    }

    private static bool IsNullCheck(IOperation condition) => condition switch
    {
        IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals, RightOperand: var right } => right.ConstantValue is { HasValue: true, Value: null },
        IIsPatternOperation { Pattern: IConstantPatternOperation { Value: var value } } => value.ConstantValue is { HasValue: true, Value: null },
        _ => false,
    };

    private static ISimpleAssignmentOperation? SingleAssignment(IOperation whenTrue)
    {
        var statement = whenTrue is IBlockOperation { Operations.Length: 1 } block ? block.Operations[0] : whenTrue;
        return (statement as IExpressionStatementOperation)?.Operation as ISimpleAssignmentOperation;
    }
}
