using System.Collections.Immutable;
using System.Linq;
using Lockstep.Analyzers.Catalogue;
using Lockstep.Analyzers.Engine;
using Lockstep.Analyzers.Internal;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Lockstep.Analyzers.Model;

/// <summary>
/// Turns a reference to a field, auto-property, local or parameter into an <see cref="AccessFact"/> when the
/// location could be shared: never for constants, readonly fields read, <c>[ThreadStatic]</c> fields, struct
/// fields through <c>this</c>, or the constructor initialising its own object.
/// </summary>
internal static class AccessRecognizer
{
    public static void Recognize(IOperation reference, ConcurrencyCatalogue catalogue, FunctionBuilder facts)
    {
        if (!TryGetLocation(reference, catalogue, facts, out var location, out var instance))
            return;

        var (kind, isAtomic) = Classify(reference, location, catalogue);
        if (kind == AccessKind.Read && location is IFieldSymbol { IsReadOnly: true })
            return; // a readonly field is written only while its object is constructed

        var access = new AccessFact(location, kind, ReportedOperation(reference, kind), lockSite: reference, catalogue.Locks, isAtomic, instance, facts.Function, receiverParameter: ReceiverParameterOf(reference));
        if (kind == AccessKind.Write && reference.Parent is ISimpleAssignmentOperation assignment)
            access = SplitReadModifyWrite(assignment, access, location, facts) ?? access;

        facts.Accesses.Add(access);
    }

    /// <summary>The ordinal of the parameter a member is used through (<c>account.Balance</c> with <c>account</c> a parameter); -1 otherwise.</summary>
    public static int ReceiverParameterOf(IOperation memberReference)
    {
        var instance = memberReference switch
        {
            IFieldReferenceOperation field => field.Instance,
            IPropertyReferenceOperation property => property.Instance,
            IInvocationOperation invocation => invocation.Instance,
            _ => null,
        };
        while (instance is IConversionOperation conversion)
            instance = conversion.Operand;
        return instance is IParameterReferenceOperation parameter ? parameter.Parameter.Ordinal : -1;
    }

    /// <summary>Whose object <paramref name="value"/> names, with the parameter's ordinal when it is a parameter of the running function.</summary>
    public static ObjectSource SourceOf(IOperation? value, LocalObjects? locals)
    {
        var kind = InstanceOf(value, locals);
        while (value is IConversionOperation conversion)
            value = conversion.Operand;
        return new ObjectSource(kind, kind == InstanceKind.Parameter && value is IParameterReferenceOperation parameter ? parameter.Parameter.Ordinal : -1);
    }

    /// <summary>The object an instance member is used through.</summary>
    public static InstanceKind InstanceOf(IOperation? instance, LocalObjects? locals)
    {
        while (instance is IConversionOperation conversion)
            instance = conversion.Operand;

        return instance switch
        {
            null => InstanceKind.Static,
            IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ImplicitReceiver } => InstanceKind.Fresh, // new T { X = … }, x with { X = … }
            IInstanceReferenceOperation => InstanceKind.This,
            IObjectCreationOperation => InstanceKind.Fresh,
            ILocalReferenceOperation local when locals is not null => locals.Classify(local.Local),
            ILocalReferenceOperation => InstanceKind.Other,
            IParameterReferenceOperation => InstanceKind.Parameter,
            IFieldReferenceOperation { Field.IsStatic: true } or IPropertyReferenceOperation { Property.IsStatic: true } => InstanceKind.Static, // a singleton
            IFieldReferenceOperation { Instance: IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance } } => InstanceKind.ThisField,
            IPropertyReferenceOperation { Instance: IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance } } => InstanceKind.ThisField,
            _ => InstanceKind.Unknown,
        };
    }

    /// <summary>The <c>this</c> a call runs on.</summary>
    public static InstanceKind ReceiverOf(IOperation call, LocalObjects? locals) => call switch
    {
        IInvocationOperation invocation => invocation.TargetMethod.IsStatic ? InstanceKind.Static : InstanceOf(invocation.Instance, locals),
        IPropertyReferenceOperation property => property.Property.IsStatic ? InstanceKind.Static : InstanceOf(property.Instance, locals),
        IObjectCreationOperation => InstanceKind.Fresh,
        _ => InstanceKind.Static,
    };

    private static bool TryGetLocation(IOperation reference, ConcurrencyCatalogue catalogue, FunctionBuilder facts, out ISymbol location, out InstanceKind instance)
    {
        location = null!;
        instance = InstanceKind.Static;
        var function = facts.Function;
        switch (reference)
        {
            case IFieldReferenceOperation { Field: { IsConst: false } field } fieldReference:
                if (catalogue.Atomics.IsThreadStatic(field))
                    return false; // one copy per thread
                instance = field.IsStatic ? InstanceKind.Static : InstanceOf(fieldReference.Instance, facts.Locals);
                if (IsOwnConstructor(function, field, instance) || (instance == InstanceKind.This && field.ContainingType.IsValueType))
                    return false;
                location = field.OriginalDefinition;
                return true;

            case IPropertyReferenceOperation { Property: { Parameters.Length: 0 } property } propertyReference when AutoProperties.IsAutoProperty(property):
                instance = property.IsStatic ? InstanceKind.Static : InstanceOf(propertyReference.Instance, facts.Locals);
                if (IsOwnConstructor(function, property, instance))
                    return false;
                location = property.OriginalDefinition;
                return true;

            case ILocalReferenceOperation local:
                location = local.Local;
                return true;

            case IParameterReferenceOperation parameter when !SymbolEqualityComparer.Default.Equals(parameter.Parameter.ContainingSymbol, function):
                location = parameter.Parameter;
                return true; // a parameter captured by a lambda or local function

            default:
                return false;
        }
    }

    private static bool IsOwnConstructor(IMethodSymbol function, ISymbol member, InstanceKind instance) =>
        function.MethodKind switch
        {
            MethodKind.Constructor => instance == InstanceKind.This && SymbolEqualityComparer.Default.Equals(function.ContainingType, member.ContainingType),
            MethodKind.StaticConstructor => member.IsStatic && SymbolEqualityComparer.Default.Equals(function.ContainingType, member.ContainingType),
            _ => false,
        };

    private static (AccessKind Kind, bool IsAtomic) Classify(IOperation reference, ISymbol location, ConcurrencyCatalogue catalogue)
    {
        if (IsEnumerated(reference, catalogue))
            return (AccessKind.Iteration, false);

        var parent = reference.Parent;
        switch (parent)
        {
            case IIncrementOrDecrementOperation:
                return (AccessKind.ReadModifyWrite, false);
            case ICompoundAssignmentOperation compound when compound.Target == reference:
                return (AccessKind.ReadModifyWrite, false);
            case ICoalesceAssignmentOperation coalesce when coalesce.Target == reference:
                return (AccessKind.Write, false); // the check-then-act recogniser reports ??= itself
            case ISimpleAssignmentOperation assignment when assignment.Target == reference:
                return (ReadsLocation(assignment.Value, location) ? AccessKind.ReadModifyWrite : AccessKind.Write, false);
            case IArgumentOperation argument when ByReferenceAccess.Classify(reference, catalogue.Atomics, out bool writable, out bool atomic):
                // Interlocked.Read and Volatile.Read take the location by reference but only read it.
                bool writes = writable && !(atomic && argument.Parent is IInvocationOperation read && catalogue.Atomics.IsAtomicRead(read));
                return (writes ? AccessKind.Write : AccessKind.Read, atomic);
            case IInvocationOperation invocation when invocation.Instance == reference && catalogue.Collections.IsMutation(invocation.TargetMethod):
                return (AccessKind.CollectionMutation, false);
            case IPropertyReferenceOperation { Property.Parameters.Length: > 0 } indexer when indexer.Instance == reference
                && indexer.Parent is ISimpleAssignmentOperation or ICompoundAssignmentOperation or IIncrementOrDecrementOperation
                && catalogue.Collections.IsNonThreadSafe(indexer.Property.ContainingType):
                return (AccessKind.CollectionMutation, false);
            default:
                return (AccessKind.Read, false);
        }
    }

    /// <summary>
    /// A non-thread-safe collection walked where it is read: the collection of a <c>foreach</c> or the source of a LINQ
    /// operator, directly or through a dictionary's <c>Keys</c>/<c>Values</c>. Its enumerator fails (or, for a copy,
    /// tears) when another thread changes the collection meanwhile.
    /// </summary>
    private static bool IsEnumerated(IOperation reference, ConcurrencyCatalogue catalogue)
    {
        if (!catalogue.Collections.IsNonThreadSafe(reference.Type))
            return false;

        var value = Converted(reference);
        if (value.Parent is IPropertyReferenceOperation { Property: var view } viewReference && viewReference.Instance == value && CollectionCatalogue.IsLiveView(view))
            value = Converted(viewReference);

        if (IsIndexedInBoundedLoop(value))
            return true;

        return value.Parent switch
        {
            IForEachLoopOperation loop => loop.Collection == value,
            IArgumentOperation { Parameter.Ordinal: 0, Parent: IInvocationOperation query } => catalogue.Collections.IsEnumeratingQuery(query.TargetMethod),
            _ => false,
        };

        static IOperation Converted(IOperation operation)
        {
            while (operation.Parent is IConversionOperation conversion)
                operation = conversion;
            return operation;
        }
    }

    /// <summary>
    /// The indexed walk: <c>for (int i = 0; i &lt; _items.Count; i++) Use(_items[i]);</c>, or the same with the bound read
    /// once before the loop (<c>var n = _items.Count;</c>). The index is good only for the count it was checked against;
    /// another thread that removes an element in between makes <c>_items[i]</c> throw (or skip and repeat elements when it
    /// inserts). <paramref name="value"/> is the collection read the element access goes through.
    /// </summary>
    private static bool IsIndexedInBoundedLoop(IOperation value)
    {
        if (value.Parent is not IPropertyReferenceOperation { Property.IsIndexer: true, Arguments.Length: 1 } element || element.Instance != value
            || OperationTree.Unconverted(element.Arguments[0].Value) is not ILocalReferenceOperation { Local: var index }
            || SymbolOf(value)?.OriginalDefinition is not { } collection)
        {
            return false;
        }

        for (var parent = element.Parent; parent is not null && parent is not (IAnonymousFunctionOperation or ILocalFunctionOperation); parent = parent.Parent)
        {
            if (parent is not IForLoopOperation { Condition: IBinaryOperation { OperatorKind: BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual } bound } loop)
                continue;
            if (OperationTree.Unconverted(bound.LeftOperand) is not ILocalReferenceOperation { Local: var counter } || !SymbolEqualityComparer.Default.Equals(counter, index))
                continue;

            var limit = OperationTree.Unconverted(bound.RightOperand);
            if (limit is ILocalReferenceOperation { Local: var local })
                limit = InitialValueOf(local, loop);
            return limit is IPropertyReferenceOperation { Property: var size, Instance: var sized }
                && CollectionCatalogue.IsSizeQuery(size)
                && OperationTree.Unconverted(sized) is { } sizedValue
                && SymbolEqualityComparer.Default.Equals(SymbolOf(sizedValue)?.OriginalDefinition, collection);
        }

        return false;
    }

    /// <summary>The value a local declared just before <paramref name="loop"/>, in the same block, starts with.</summary>
    private static IOperation? InitialValueOf(ILocalSymbol local, IForLoopOperation loop)
    {
        if (loop.Parent is not IBlockOperation block)
            return null;
        foreach (var statement in block.Operations.TakeWhile(statement => statement != loop))
        {
            if (statement is IVariableDeclarationGroupOperation group
                && group.Declarations.SelectMany(d => d.Declarators).FirstOrDefault(d => SymbolEqualityComparer.Default.Equals(d.Symbol, local)) is { } declarator)
            {
                return OperationTree.Unconverted(declarator.Initializer?.Value);
            }
        }

        return null;
    }

    /// <summary>Report the whole update expression (<c>_n++</c>, <c>_n += 2</c>, <c>list.Add(x)</c>), not just the name.</summary>
    private static IOperation ReportedOperation(IOperation reference, AccessKind kind) => kind switch
    {
        AccessKind.ReadModifyWrite or AccessKind.Write when reference.Parent is IIncrementOrDecrementOperation or IAssignmentOperation => reference.Parent!,
        AccessKind.CollectionMutation when reference.Parent is IInvocationOperation invocation => invocation,
        AccessKind.CollectionMutation when reference.Parent is IPropertyReferenceOperation { Parent: { } assignment } => assignment,
        _ => reference,
    };

    private static bool ReadsLocation(IOperation value, ISymbol location)
    {
        foreach (var descendant in value.DescendantsAndSelf())
        {
            if (SymbolOf(descendant) is { } symbol && SymbolEqualityComparer.Default.Equals(symbol.OriginalDefinition, location))
                return true;
        }

        return false;
    }

    /// <summary>
    /// <c>var seen = _n; Thread.Sleep(50); _n = seen - 1;</c>: the write uses a local copied from the same location
    /// earlier in the function, so together they are a read-modify-write with a window in between.
    /// </summary>
    private static AccessFact? SplitReadModifyWrite(ISimpleAssignmentOperation assignment, AccessFact write, ISymbol location, FunctionBuilder facts)
    {
        foreach (var descendant in assignment.Value.DescendantsAndSelf())
        {
            if (descendant is not ILocalReferenceOperation { Local: var copy })
                continue;

            foreach (var earlier in facts.Accesses)
            {
                if (earlier.Kind == AccessKind.Read
                    && SymbolEqualityComparer.Default.Equals(earlier.Location, location)
                    && earlier.Instance == write.Instance
                    && earlier.Operation.Syntax.SpanStart < assignment.Syntax.SpanStart
                    && IsCopiedInto(earlier.Operation, copy)
                    && !IsReassignedBetween(copy, earlier.Operation, assignment))
                {
                    var locks = ImmutableArray.CreateRange(write.Locks.Intersect(earlier.Locks));
                    return write.WithLocks(locks, AccessKind.ReadModifyWrite, assignment, earlier.Operation);
                }
            }
        }

        return null;
    }

    /// <summary>
    /// <c>var rule = _rule; if (rule == null) { rule = Parse(); _rule = rule; }</c>: the copy is replaced before it is
    /// written back, so the write does not carry the value read (a lazy cache, a check-then-act at most), not an update.
    /// </summary>
    private static bool IsReassignedBetween(ILocalSymbol copy, IOperation read, IOperation write)
    {
        foreach (var assignment in OperationTree.FunctionRoot(write).DescendantsAndSelf().OfType<ISimpleAssignmentOperation>())
        {
            if (assignment.Target is ILocalReferenceOperation target
                && SymbolEqualityComparer.Default.Equals(target.Local, copy)
                && assignment.Syntax.SpanStart > read.Syntax.Span.End
                && assignment.Syntax.SpanStart < write.Syntax.SpanStart
                && !assignment.Value.DescendantsAndSelf().Any(o => o is ILocalReferenceOperation { Local: var used } && SymbolEqualityComparer.Default.Equals(used, copy))
                // on every path to the write: the replacing statement's block also holds the write
                && assignment.Parent is IExpressionStatementOperation { Parent: IBlockOperation block }
                && block.Syntax.Span.Contains(write.Syntax.Span))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsCopiedInto(IOperation read, ILocalSymbol copy)
    {
        var parent = read.Parent;
        while (parent is IConversionOperation or IParenthesizedOperation)
            parent = parent.Parent;

        return parent switch
        {
            IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } => SymbolEqualityComparer.Default.Equals(declarator.Symbol, copy),
            ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } => SymbolEqualityComparer.Default.Equals(target.Local, copy),
            _ => false,
        };
    }

    public static ISymbol? SymbolOf(IOperation operation) => operation switch
    {
        IFieldReferenceOperation field => field.Field,
        IPropertyReferenceOperation property => property.Property,
        ILocalReferenceOperation local => local.Local,
        IParameterReferenceOperation parameter => parameter.Parameter,
        _ => null,
    };
}
