using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Lockstep.Analyzers.Catalogue;
using Lockstep.Analyzers.Engine;
using Lockstep.Analyzers.Internal;
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
    /// Null check then use: a condition checks that a field or auto-property of this object (or a static one) is not null,
    /// and code that runs only when the check held reads it again to use it (<c>if (_handler != null) _handler(x);</c>,
    /// <c>_conn != null ? _conn.Id : 0</c>, <c>_conn != null &amp;&amp; _conn.IsOpen</c>). Each read fetches the field anew, so
    /// another thread that sets it to null in between makes the use throw. A use through <c>?.</c> reads once and is not
    /// one; a use in a lambda runs later, on its own terms; a use under a second check of the same location (double
    /// checking) is decided by that check. A branch that also changes the location is a check-then-act, recognised above.
    /// </summary>
    public static void RecognizeCheckThenUse(IOperation operation, ConcurrencyCatalogue catalogue, FunctionBuilder facts)
    {
        if (operation is IConditionalOperation { WhenFalse: null, WhenTrue: { } exit, Parent: IBlockOperation block } earlyExit
            && OperationTree.AlwaysExits(exit) && NullCheckOf(earlyExit.Condition) is { } exitRead)
        {
            RecognizeUseAfterEarlyExit(earlyExit, exitRead, block, catalogue, facts);
            return;
        }

        IOperation condition;
        IOperation guarded;
        switch (operation)
        {
            case IConditionalOperation { WhenTrue: { } whenTrue } conditional:
                condition = conditional.Condition;
                guarded = whenTrue;
                break;
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } both when !IsPartOfLargerCondition(both):
                condition = both.LeftOperand;
                guarded = both.RightOperand;
                break;
            default:
                return;
        }

        var conjuncts = new List<IOperation>();
        Conjuncts(condition, conjuncts);
        for (int i = 0; i < conjuncts.Count; i++)
        {
            if (NonNullCheckOf(conjuncts[i]) is not { } read || UsedLocation(read, facts.Locals) is not { } location)
                continue;

            // The rest of the condition runs only when this check held, like the guarded code.
            RecordUses(conjuncts[i], location, conjuncts.Skip(i + 1).Append(guarded).ToList(), catalogue, facts);
        }
    }

    /// <summary>
    /// Records the check as a check then use when <paramref name="region"/>, the code that runs only when it held, reads
    /// the location again to use it and does not change it (a change makes it a check-then-act, recognised above).
    /// </summary>
    private static void RecordUses(IOperation check, (ISymbol Symbol, InstanceKind Instance) location, List<IOperation> region, ConcurrencyCatalogue catalogue, FunctionBuilder facts)
    {
        if (region.Any(part => part.DescendantsAndSelf().Any(o => IsChangeOf(o, location.Symbol))))
            return;

        if (!region.Any(part => UsesOf(part, location.Symbol, location.Instance, facts.Locals).Any()) || facts.Accesses.Any(a => a.Operation == check))
            return;

        // The uses are reads: they are not acts other rules must stay quiet about, so the fact carries none.
        facts.Accesses.Add(new AccessFact(location.Symbol, AccessKind.CheckThenUse, check, lockSite: check, catalogue.Locks, false, location.Instance, facts.Function));
    }

    /// <summary>
    /// The early-exit form of null check then use: <c>if (_conn == null) return; _conn.Send(x);</c>. The statements after
    /// the exit run only when the check found a value, and each of them reads the field anew: another thread that sets
    /// it to null in between makes the use throw all the same.
    /// </summary>
    private static void RecognizeUseAfterEarlyExit(IConditionalOperation earlyExit, IOperation read, IBlockOperation block, ConcurrencyCatalogue catalogue, FunctionBuilder facts)
    {
        if (UsedLocation(read, facts.Locals) is not { } location)
            return;

        // Checked again further on (double-checked: if (_x == null) return; lock (g) { if (_x is null || …) … }): the uses
        // are decided by that check, made where it counts.
        var region = block.Operations.SkipWhile(statement => statement != earlyExit).Skip(1).ToList();
        if (region.Any(part => part.DescendantsAndSelf().Any(o => (NullCheckOf(o) ?? NonNullCheckOf(o)) is { } again && Reads(again, location.Symbol))))
            return;

        RecordUses(earlyExit.Condition, location, region, catalogue, facts);
    }

    /// <summary>The read a check <c>x == null</c>, <c>null == x</c> or <c>x is null</c> inspects.</summary>
    private static IOperation? NullCheckOf(IOperation check) => NullComparisonOf(check, testsForNull: true);

    /// <summary>An <c>&amp;&amp;</c> inside a larger conjunction, or the condition of an <c>if</c> or <c>?:</c>: recognised with it.</summary>
    private static bool IsPartOfLargerCondition(IOperation both)
    {
        var parent = both.Parent;
        while (parent is IParenthesizedOperation)
            parent = parent.Parent;
        return parent is IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd }
            || parent is IConditionalOperation conditional && conditional.Condition.DescendantsAndSelf().Contains(both);
    }

    private static void Conjuncts(IOperation condition, List<IOperation> into)
    {
        while (condition is IParenthesizedOperation parenthesized)
            condition = parenthesized.Operand;
        if (condition is IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } both)
        {
            Conjuncts(both.LeftOperand, into);
            Conjuncts(both.RightOperand, into);
        }
        else
        {
            into.Add(condition);
        }
    }

    /// <summary>The read a check <c>x != null</c>, <c>null != x</c> or <c>x is not null</c> inspects.</summary>
    public static IOperation? NonNullCheckOf(IOperation check) => NullComparisonOf(check, testsForNull: false);

    /// <summary>The read a comparison with null inspects: <c>==</c> / <c>is null</c>, or <c>!=</c> / <c>is not null</c>.</summary>
    private static IOperation? NullComparisonOf(IOperation check, bool testsForNull)
    {
        switch (check)
        {
            case IBinaryOperation { OperatorKind: var kind } comparison when kind == (testsForNull ? BinaryOperatorKind.Equals : BinaryOperatorKind.NotEquals):
                if (IsUnsetValue(comparison.RightOperand))
                    return OperationTree.Unconverted(comparison.LeftOperand);
                if (IsUnsetValue(comparison.LeftOperand))
                    return OperationTree.Unconverted(comparison.RightOperand);
                return null;
            case IIsPatternOperation { Pattern: var pattern } test:
                if (!testsForNull)
                    pattern = pattern is INegatedPatternOperation negated ? negated.Pattern : null;
                return pattern is IConstantPatternOperation { Value.ConstantValue: { HasValue: true, Value: null } } ? OperationTree.Unconverted(test.Value) : null;
            default:
                return null;
        }
    }

    /// <summary>
    /// The location a null check reads, when another thread could set it to null: a field or auto-property of a reference
    /// type, of this object or static (another object's field is that object's business), not readonly.
    /// </summary>
    private static (ISymbol Symbol, InstanceKind Instance)? UsedLocation(IOperation read, LocalObjects locals)
    {
        var (symbol, type, instance) = read switch
        {
            IFieldReferenceOperation { Field: { IsConst: false, IsReadOnly: false } field } reference => ((ISymbol)field, field.Type, field.IsStatic ? InstanceKind.Static : AccessRecognizer.InstanceOf(reference.Instance, locals)),
            IPropertyReferenceOperation { Property: { Parameters.Length: 0 } property } reference when AutoProperties.IsAutoProperty(property) && property.SetMethod is not null
                => (property, property.Type, property.IsStatic ? InstanceKind.Static : AccessRecognizer.InstanceOf(reference.Instance, locals)),
            _ => ((ISymbol?)null, (ITypeSymbol?)null, InstanceKind.Unknown),
        };
        if (symbol is null || type is not { IsReferenceType: true } || instance is not (InstanceKind.This or InstanceKind.Static))
            return null;
        return (symbol.OriginalDefinition, instance);
    }

    /// <summary>
    /// The reads of <paramref name="location"/> in <paramref name="region"/> that use the value (call, member access,
    /// indexing): not in a nested lambda or local function, not through <c>?.</c>, not under another null check of the location.
    /// </summary>
    public static IEnumerable<IOperation> UsesOf(IOperation region, ISymbol location, InstanceKind instance, LocalObjects? locals)
    {
        var stack = new Stack<IOperation>();
        stack.Push(region);
        while (stack.Count > 0)
        {
            var current = stack.Pop();
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
                continue;
            if (current != region && (current is IConditionalOperation inner && ChecksNotNull(inner.Condition, location)
                || current is IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } both && ChecksNotNull(both.LeftOperand, location)))
            {
                continue; // checked again: that check is its own finding if it is one
            }

            if (Reads(current, location) && IsDereferenced(current)
                && (current is IFieldReferenceOperation { Field.IsStatic: true } or IPropertyReferenceOperation { Property.IsStatic: true }
                    || AccessRecognizer.InstanceOf(current switch { IFieldReferenceOperation f => f.Instance, IPropertyReferenceOperation p => p.Instance, _ => null }, locals) == instance))
            {
                yield return current;
            }

            foreach (var child in current.ChildOperations)
                stack.Push(child);
        }
    }

    private static bool ChecksNotNull(IOperation condition, ISymbol location)
    {
        var conjuncts = new List<IOperation>();
        Conjuncts(condition, conjuncts);
        return conjuncts.Any(c => NonNullCheckOf(c) is { } read && Reads(read, location));
    }

    /// <summary>The value read is used as an object: a call on it (a delegate's invocation too), one of its members, an element of it.</summary>
    private static bool IsDereferenced(IOperation read)
    {
        var value = read;
        while (value.Parent is IConversionOperation or IParenthesizedOperation)
            value = value.Parent;
        return value.Parent switch
        {
            IInvocationOperation invocation => invocation.Instance == value,
            IMemberReferenceOperation member => member.Instance == value,
            IArrayElementReferenceOperation element => element.ArrayReference == value,
            _ => false,
        };
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
