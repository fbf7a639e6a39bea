using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Lockstep.Analyzers.Catalogue;
using Lockstep.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Lockstep.Analyzers.Model;

/// <summary>
/// Recognises check-then-act on one location: an <c>if</c> whose condition reads a field, auto-property or captured
/// local (or asks a collection <c>ContainsKey</c>/<c>Contains</c>/<c>TryGetValue</c>/<c>Count</c>) and whose
/// then-branch changes that same location; and <c>x ??= …</c>. Another thread can change the location between the
/// check and the act, so the act is based on stale information (oversold tickets, double initialisation).
/// </summary>
internal static class CheckThenActRecognizer
{
    public static void Recognize(IConditionalOperation conditional, ConcurrencyCatalogue catalogue, FunctionBuilder facts)
    {
        if (conditional.WhenTrue is null)
            return;

        foreach (var check in conditional.Condition.DescendantsAndSelf())
        {
            var checkedLocation = CheckedLocation(check, facts.Locals);
            if (checkedLocation is null)
                continue;

            var acts = new List<IOperation>();
            foreach (var candidate in conditional.WhenTrue.DescendantsAndSelf())
            {
                if (candidate is IAnonymousFunctionOperation or ILocalFunctionOperation)
                    continue;
                if (IsChangeOf(candidate, checkedLocation.Value.Symbol) && !IsRecheckedUnderLock(candidate, conditional, checkedLocation.Value.Symbol))
                    acts.Add(candidate);
            }

            if (acts.Count == 0)
                continue;

            // if (_name == null) _name = ComputeName(); with an immutable value: racing initialisers each compute an
            // equivalent value and one wins; nothing is lost or leaked. Not reported, on purpose.
            if (IsIdempotentInitialisation(conditional.Condition, check, acts, catalogue))
                return;

            facts.Accesses.Add(new AccessFact(checkedLocation.Value.Symbol, AccessKind.CheckThenAct, conditional.Condition, lockSite: conditional, catalogue.Locks, false, checkedLocation.Value.Instance, facts.Function, actOperations: acts.ToImmutableArray(), receiverParameter: AccessRecognizer.ReceiverParameterOf(check)));
            return; // one report per if statement
        }
    }

    public static void RecognizeCoalesce(ICoalesceAssignmentOperation coalesce, ConcurrencyCatalogue catalogue, FunctionBuilder facts)
    {
        if (AccessRecognizer.SymbolOf(coalesce.Target) is not { } symbol || symbol is IFieldSymbol { IsReadOnly: true })
            return;

        // _name ??= ComputeName(); with an immutable value: idempotent lazy initialisation, not reported on purpose.
        if (catalogue.ImmutableValues.IsIdempotentInitialValue(coalesce.Value))
            return;

        var instance = coalesce.Target is IFieldReferenceOperation { Field.IsStatic: false } field ? AccessRecognizer.InstanceOf(field.Instance, facts.Locals) : InstanceKind.Static;
        facts.Accesses.Add(new AccessFact(symbol.OriginalDefinition, AccessKind.CheckThenAct, coalesce, lockSite: coalesce, catalogue.Locks, false, instance, facts.Function, actOperations: ImmutableArray.Create(coalesce.Target), receiverParameter: AccessRecognizer.ReceiverParameterOf(coalesce.Target)));
    }

    /// <summary>
    /// Double-checked locking: the act sits inside a <c>lock</c> (within the checking <c>if</c>) and the same location is
    /// read again while holding it, before the act: a second <c>if</c> around the act, or an earlier statement of the
    /// locked block (<c>if (_closed || !_loaded) return;</c>, <c>var version = _version;</c>). The decision the act
    /// carries out is then made on what the lock makes current; the outer check only skips the lock on the fast path.
    /// </summary>
    private static bool IsRecheckedUnderLock(IOperation act, IConditionalOperation outer, ISymbol location)
    {
        bool recheckedInside = false;
        for (var parent = act.Parent; parent is not null && parent != outer; parent = parent.Parent)
        {
            if (parent is IConditionalOperation inner && inner.Condition.DescendantsAndSelf().Any(o => Reads(o, location)))
                recheckedInside = true;
            if (parent is ILockOperation locked)
            {
                return recheckedInside
                    || locked.Body.DescendantsAndSelf().Any(o => o.Syntax.SpanStart < act.Syntax.SpanStart && !act.Syntax.Span.Contains(o.Syntax.Span) && Reads(o, location));
            }
        }

        return false;
    }

    private static bool Reads(IOperation operation, ISymbol location) =>
        AccessRecognizer.SymbolOf(operation) is { } read && SymbolEqualityComparer.Default.Equals(read.OriginalDefinition, location)
        && !(operation.Parent is ISimpleAssignmentOperation assignment && assignment.Target == operation);

    /// <summary>
    /// The condition only asks whether the location is still unset (<c>x == null</c>, <c>x is null</c>,
    /// <c>!x.HasValue</c>, <c>x == default</c>) and every act assigns it an immutable value.
    /// </summary>
    private static bool IsIdempotentInitialisation(IOperation condition, IOperation check, List<IOperation> acts, ConcurrencyCatalogue catalogue)
    {
        bool testsUnset = condition switch
        {
            IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals } equals =>
                (equals.LeftOperand.DescendantsAndSelf().Contains(check) && IsUnsetValue(equals.RightOperand))
                || (equals.RightOperand.DescendantsAndSelf().Contains(check) && IsUnsetValue(equals.LeftOperand)),
            IIsPatternOperation { Pattern: IConstantPatternOperation { Value: var constant } } pattern =>
                pattern.Value.DescendantsAndSelf().Contains(check) && IsUnsetValue(constant),
            IUnaryOperation { OperatorKind: UnaryOperatorKind.Not, Operand: IPropertyReferenceOperation hasValue } when ImmutableValues.IsHasValue(hasValue.Property) =>
                hasValue.Instance is not null && hasValue.Instance.DescendantsAndSelf().Contains(check),
            _ => false,
        };
        if (!testsUnset)
            return false;

        foreach (var act in acts)
        {
            if (act is not ISimpleAssignmentOperation { Value: var value } || !catalogue.ImmutableValues.IsIdempotentInitialValue(value))
                return false;
        }

        return true;
    }

    private static bool IsUnsetValue(IOperation value)
    {
        while (value is IConversionOperation conversion)
            value = conversion.Operand;
        return value is IDefaultValueOperation || value.ConstantValue is { HasValue: true, Value: null };
    }

    /// <summary>The location a condition inspects: a direct read, or a membership/count query on a collection.</summary>
    private static (ISymbol Symbol, InstanceKind Instance)? CheckedLocation(IOperation check, LocalObjects locals)
    {
        switch (check)
        {
            case IInvocationOperation { Instance: { } collection } query when CollectionCatalogue.IsMembershipQuery(query.TargetMethod):
                return LocationOf(collection, locals);
            case IPropertyReferenceOperation { Instance: { } collection } size when CollectionCatalogue.IsSizeQuery(size.Property):
                return LocationOf(collection, locals);
            case IFieldReferenceOperation or IPropertyReferenceOperation or ILocalReferenceOperation or IParameterReferenceOperation
                when check.Parent is not (IInvocationOperation or IPropertyReferenceOperation { Instance: not null }):
                return LocationOf(check, locals);
            default:
                return null;
        }
    }

    private static (ISymbol Symbol, InstanceKind Instance)? LocationOf(IOperation operation, LocalObjects locals) => operation switch
    {
        IFieldReferenceOperation { Field.IsConst: false } field => (field.Field.OriginalDefinition, field.Field.IsStatic ? InstanceKind.Static : AccessRecognizer.InstanceOf(field.Instance, locals)),
        IPropertyReferenceOperation { Property.Parameters.Length: 0 } property => (property.Property.OriginalDefinition, property.Property.IsStatic ? InstanceKind.Static : AccessRecognizer.InstanceOf(property.Instance, locals)),
        ILocalReferenceOperation local => (local.Local, InstanceKind.Static),
        IParameterReferenceOperation parameter => (parameter.Parameter, InstanceKind.Static),
        _ => null,
    };

    /// <summary>An assignment, update, or mutating collection call whose target is <paramref name="location"/>.</summary>
    private static bool IsChangeOf(IOperation operation, ISymbol location)
    {
        IOperation? target = operation switch
        {
            IAssignmentOperation assignment => assignment.Target,
            IIncrementOrDecrementOperation increment => increment.Target,
            IInvocationOperation invocation when CollectionCatalogue.IsMutationByName(invocation.TargetMethod) => invocation.Instance,
            _ => null,
        };

        if (target is IPropertyReferenceOperation { Property.Parameters.Length: > 0 } indexer)
            target = indexer.Instance; // d[k] = v changes d

        return target is not null
            && AccessRecognizer.SymbolOf(target) is { } symbol
            && SymbolEqualityComparer.Default.Equals(symbol.OriginalDefinition, location);
    }
}
