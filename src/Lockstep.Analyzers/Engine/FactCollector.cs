using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Lockstep.Analyzers.Catalogue;
using Lockstep.Analyzers.Internal;
using Lockstep.Analyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Lockstep.Analyzers.Engine;

/// <summary>
/// Walks a member body once and records, per function (the member and every lambda and local function in it), the
/// accesses to potentially shared locations, the calls, the places that start concurrent work, the lock acquisitions,
/// the first blocking call and whether every call of it starts a thread. The facts are immutable once collected.
/// </summary>
internal sealed class FactCollector
{
    private readonly ConcurrencyCatalogue _catalogue;
    private readonly LocalObjects _locals;
    private readonly Dictionary<IMethodSymbol, FunctionBuilder> _functions = new(SymbolEqualityComparer.Default);

    private FactCollector(ConcurrencyCatalogue catalogue, IOperation body)
    {
        _catalogue = catalogue;
        _locals = new LocalObjects(catalogue, body);
    }

    /// <summary>Facts of one member body: the member's own function and every lambda and local function nested in it.</summary>
    public static ImmutableArray<FunctionFacts> CollectBody(IOperation body, IMethodSymbol function, ConcurrencyCatalogue catalogue, bool isConfiguredEntryPoint)
    {
        var collector = new FactCollector(catalogue, body);
        collector.Walk(body, function.OriginalDefinition, isConfiguredEntryPoint);
        var result = ImmutableArray.CreateBuilder<FunctionFacts>(collector._functions.Count);
        foreach (var builder in collector._functions.Values)
            result.Add(builder.Freeze());
        return result.MoveToImmutable();
    }

    private FunctionBuilder BuilderOf(IMethodSymbol function, IOperation root)
    {
        if (!_functions.TryGetValue(function, out var builder))
        {
            builder = new FunctionBuilder(function, root, _locals);
            _functions.Add(function, builder);
        }

        return builder;
    }

    private void Walk(IOperation root, IMethodSymbol rootFunction, bool isConfiguredEntryPoint)
    {
        var rootFacts = BuilderOf(rootFunction, root);
        if (isConfiguredEntryPoint || (_catalogue.Types.RunsConcurrentlyAttribute is { } attribute && HasAttribute(rootFunction, attribute)))
            rootFacts.Starts.Add(new StartFact(StartKind.Annotated, rootFunction, root, isRepeated: true, InstanceKind.Other, int.MaxValue, "[RunsConcurrently]", rootFunction));
        else if (IsCalledConcurrently(rootFunction))
            rootFacts.Starts.Add(new StartFact(StartKind.Callers, rootFunction, root, isRepeated: true, InstanceKind.Other, int.MaxValue, "callers", rootFunction));

        var stack = new Stack<(IOperation Operation, FunctionBuilder Function)>();
        var children = new List<IOperation>();
        stack.Push((root, rootFacts));
        while (stack.Count > 0)
        {
            var (operation, facts) = stack.Pop();
            var childFacts = facts;
            switch (operation)
            {
                case IAnonymousFunctionOperation lambda:
                    childFacts = BuilderOf(lambda.Symbol.OriginalDefinition, lambda);
                    childFacts.Enclosing = facts.Function;
                    childFacts.IsCalledPerElement = IsPassedToPerElementApi(lambda);
                    break;
                case ILocalFunctionOperation localFunction:
                    childFacts = BuilderOf(localFunction.Symbol.OriginalDefinition, localFunction);
                    childFacts.Enclosing = facts.Function;
                    break;
                default:
                    Record(operation, facts);
                    break;
            }

            // Push in reverse so functions are walked in source order: a write-back must see the read before it.
            children.Clear();
            foreach (var child in operation.ChildOperations)
                children.Add(child);
            for (int i = children.Count - 1; i >= 0; i--)
                stack.Push((children[i], childFacts));
        }
    }

    private void Record(IOperation operation, FunctionBuilder facts)
    {
        switch (operation)
        {
            case IInvocationOperation or IObjectCreationOperation or IEventAssignmentOperation:
                StartRecognizer.Recognize(operation, _catalogue, facts);
                break;
            case IConditionalOperation conditional:
                if (conditional.Syntax is IfStatementSyntax)
                    CheckThenActRecognizer.Recognize(conditional, _catalogue, facts);
                CheckThenActRecognizer.RecognizeCheckThenUse(conditional, _catalogue, facts);
                break;
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } both:
                CheckThenActRecognizer.RecognizeCheckThenUse(both, _catalogue, facts);
                break;
            case ICoalesceAssignmentOperation coalesce:
                CheckThenActRecognizer.RecognizeCoalesce(coalesce, _catalogue, facts);
                break;
        }

        RecordAcquisitions(operation, facts);
        RecordBlocking(operation, facts);

        if (operation is IFieldReferenceOperation or IPropertyReferenceOperation or ILocalReferenceOperation or IParameterReferenceOperation)
            AccessRecognizer.Recognize(operation, _catalogue, facts);

        if (CallTargets.GetInvokedMethod(operation) is { } invoked && !SymbolEqualityComparer.Default.Equals(invoked, facts.Function))
        {
            facts.Calls.Add(new CallFact(
                operation,
                invoked,
                InlineDelegates(operation),
                _catalogue.Locks,
                AccessRecognizer.ReceiverOf(operation, _locals),
                StartRecognizer.IsInLoop(operation),
                RunsOncePerCall(operation, facts.Root),
                facts.Root,
                facts.Function,
                _catalogue,
                ReceiverSourceOf(operation),
                ArgumentSources(operation)));
        }
    }

    /// <summary>Where the callee's <c>this</c> comes from (the parameter's ordinal when the receiver is a parameter).</summary>
    private ObjectSource ReceiverSourceOf(IOperation call) => call switch
    {
        IInvocationOperation { TargetMethod.IsStatic: false } invocation => AccessRecognizer.SourceOf(invocation.Instance, _locals),
        IPropertyReferenceOperation { Property.IsStatic: false } property => AccessRecognizer.SourceOf(property.Instance, _locals),
        _ => new ObjectSource(AccessRecognizer.ReceiverOf(call, _locals)),
    };

    /// <summary>Where each object argument comes from, by the callee's parameter ordinal; value types and defaults are left out (Unknown).</summary>
    private ImmutableArray<ObjectSource> ArgumentSources(IOperation call)
    {
        var arguments = call switch
        {
            IInvocationOperation invocation => invocation.Arguments,
            IObjectCreationOperation creation => creation.Arguments,
            _ => ImmutableArray<IArgumentOperation>.Empty,
        };
        if (arguments.IsEmpty)
            return ImmutableArray<ObjectSource>.Empty;

        int count = 0;
        foreach (var argument in arguments)
        {
            if (argument.Parameter is { } parameter)
                count = System.Math.Max(count, parameter.Ordinal + 1);
        }

        // Built in place (no copy): one array per call of the compilation adds up.
        var sources = ImmutableArray.CreateBuilder<ObjectSource>(count);
        for (int i = 0; i < count; i++)
            sources.Add(new ObjectSource(InstanceKind.Unknown));
        foreach (var argument in arguments)
        {
            if (argument.Parameter is { Type.IsReferenceType: true, Ordinal: var ordinal } && argument.ArgumentKind != ArgumentKind.DefaultValue)
                sources[ordinal] = AccessRecognizer.SourceOf(argument.Value, _locals);
        }

        return sources.MoveToImmutable();
    }

    /// <summary>The functions of the compilation an API that runs its delegates on the calling thread is given.</summary>
    private ImmutableArray<IMethodSymbol> InlineDelegates(IOperation operation) =>
        operation is IInvocationOperation invocation && _catalogue.Delegates.RunsDelegatesInline(invocation)
            ? StartRecognizer.InlineDelegateTargets(invocation)
            : ImmutableArray<IMethodSymbol>.Empty;

    /// <summary>Lock acquisitions, for the lock-order rules. <c>Locks.AcquireInOrder(a, b)</c> acquires each of its locks.</summary>
    private void RecordAcquisitions(IOperation operation, FunctionBuilder facts)
    {
        if (operation is not (ILockOperation or IInvocationOperation))
            return;

        if (HeldLocks.IsAcquisition(operation, _catalogue, out var acquired, out bool waitsIndefinitely, out var value))
        {
            facts.Acquisitions.Add(new AcquisitionFact(acquired, operation, value, waitsIndefinitely, isOrderedGroup: false, facts.Function, _catalogue.Locks));
            return;
        }

        if (operation is IInvocationOperation invocation && _catalogue.Locks.IsAcquireInOrder(invocation))
        {
            foreach (var ordered in HeldLocks.AcquireInOrderValues(invocation))
            {
                if (HeldLocks.TryIdentify(ordered, LockMode.Exclusive, out var identity))
                    facts.Acquisitions.Add(new AcquisitionFact(identity, invocation, ordered, waitsIndefinitely: true, isOrderedGroup: true, facts.Function, _catalogue.Locks));
            }
        }
    }

    /// <summary>The calls of the function that block its thread (a wait on a task proven complete does not), and a start of a fresh thread on every call.</summary>
    private void RecordBlocking(IOperation operation, FunctionBuilder facts)
    {
        if (facts.ThreadStartPerCall is null
            && operation is IInvocationOperation invocation
            && ThreadStarts.IsThreadStart(invocation, _catalogue, facts.Root, out _, out _)
            && RunsOncePerCall(operation, facts.Root)
            && !ThreadStarts.IsThrottled(operation, facts.Root, _catalogue))
        {
            facts.ThreadStartPerCall = operation;
        }

        if (operation is not (IInvocationOperation or IPropertyReferenceOperation)
            || !_catalogue.Blocking.TryClassify(operation, out var call)
            || TaskCompletionFacts.IsProvenComplete(call.AwaitedTask, operation, facts.Root, _catalogue))
        {
            return;
        }

        var awaitedCall = _catalogue.Tasks.WithoutConfigureAwait(call.AwaitedTask) as IInvocationOperation;
        facts.BlockingCalls.Add(new BlockingFact(operation, call.DisplayName, awaitedCall, facts.Root, facts.Function, _catalogue));
    }

    /// <summary>
    /// Not inside a loop of the function, not inside an <c>if</c> that guards a start once, and not after an early exit
    /// that does: such code runs on every call, as far as a careful reader can tell without running it (the start-once
    /// pattern <c>if (_worker == null) { _worker = new Thread(…); … }</c> runs once however often it is called).
    /// </summary>
    internal static bool RunsOncePerCall(IOperation operation, IOperation body)
    {
        IOperation child = operation;
        for (var parent = operation.Parent; parent is not null && child != body; child = parent, parent = parent.Parent)
        {
            switch (parent)
            {
                case ILoopOperation:
                    return false;
                case IConditionalOperation conditional when conditional.Condition != child && GuardsOnce(conditional.Condition, body):
                    return false;
                case IBlockOperation block:
                    foreach (var statement in block.Operations)
                    {
                        if (statement == child)
                            break;
                        if (statement is IConditionalOperation { WhenTrue: { } exit } guard && GuardsOnce(guard.Condition, body) && OperationTree.AlwaysExits(exit))
                            return false;
                    }

                    break;
            }
        }

        return true;
    }

    /// <summary>
    /// The condition is an "already started?" check: it reads a field or property of the object or type that the function
    /// itself changes (<c>if (_worker != null) return; _worker = …;</c>), or it asks through a call, which may change it
    /// (<c>if (Interlocked.Exchange(ref _started, 1) == 1) return;</c>, <c>if (!TryBegin()) return;</c>). A test of state
    /// the function never changes (<c>if (State != Accepting) return;</c>, <c>if (_disposed) return;</c>) lets every call
    /// through while it holds: it filters calls, it does not make the work run once.
    /// </summary>
    private static bool GuardsOnce(IOperation condition, IOperation body)
    {
        List<ISymbol>? tested = null;
        foreach (var operation in condition.DescendantsAndSelf())
        {
            switch (operation)
            {
                case IInvocationOperation:
                    return true;
                case IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation } field:
                    (tested ??= new()).Add(field.Field.OriginalDefinition);
                    break;
                case IPropertyReferenceOperation { Instance: null or IInstanceReferenceOperation } property:
                    (tested ??= new()).Add(property.Property.OriginalDefinition);
                    break;
            }
        }

        if (tested is null)
            return false;

        var written = WrittenMembers.GetValue(body, static root => CollectWrittenMembers(root));
        foreach (var symbol in tested)
        {
            if (written.Contains(symbol))
                return true;
        }

        return false;
    }

    /// <summary>Per function body, the fields and properties it (or a lambda in it) assigns, increments or passes by reference.</summary>
    private static readonly ConditionalWeakTable<IOperation, HashSet<ISymbol>> WrittenMembers = new();

    /// <summary>Asked for every guard above every call of the body, so worked out in one walk.</summary>
    private static HashSet<ISymbol> CollectWrittenMembers(IOperation body)
    {
        var written = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        foreach (var operation in body.DescendantsAndSelf())
        {
            var target = operation switch
            {
                IAssignmentOperation assignment => assignment.Target,
                IIncrementOrDecrementOperation increment => increment.Target,
                IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } argument => argument.Value,
                _ => null,
            };
            switch (target)
            {
                case IFieldReferenceOperation field:
                    written.Add(field.Field.OriginalDefinition);
                    break;
                case IPropertyReferenceOperation property:
                    written.Add(property.Property.OriginalDefinition);
                    break;
            }
        }

        return written;
    }

    /// <summary>A lambda given to LINQ, <c>Parallel</c> or <c>ForEach</c> runs once per element: work it starts is started many times.</summary>
    private bool IsPassedToPerElementApi(IAnonymousFunctionOperation lambda)
    {
        var parent = lambda.Parent;
        while (parent is IDelegateCreationOperation or IConversionOperation)
            parent = parent.Parent;

        return parent is IArgumentOperation { Parent: IInvocationOperation invocation } && _catalogue.Starts.CallsPerElement(invocation);
    }

    /// <summary>
    /// A member other code calls, of a class that shows it is meant for several threads (it locks, holds a concurrent
    /// collection, uses Interlocked, says it is thread-safe): its callers may run it at the same time as itself and as the
    /// type's other members. Constructors (the object is not shared yet) and private members (only the type's own
    /// members call them, and those are the entry points) are not.
    /// </summary>
    private bool IsCalledConcurrently(IMethodSymbol function)
    {
        if (function.MethodKind is not (MethodKind.Ordinary or MethodKind.PropertyGet or MethodKind.PropertySet or MethodKind.EventAdd or MethodKind.EventRemove or MethodKind.ExplicitInterfaceImplementation)
            || function.IsAbstract
            || function.ContainingType is not { TypeKind: TypeKind.Class } type)
        {
            return false;
        }

        bool callable = function.MethodKind == MethodKind.ExplicitInterfaceImplementation
            || function.DeclaredAccessibility is Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal;
        return callable && _catalogue.ThreadSafety.ShowsConcurrentUse(type, System.Threading.CancellationToken.None);
    }

    private static bool HasAttribute(ISymbol symbol, INamedTypeSymbol attribute)
    {
        foreach (var data in symbol.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(data.AttributeClass, attribute))
                return true;
        }

        return false;
    }
}

/// <summary>The facts of one function while its body is walked; frozen into <see cref="FunctionFacts"/> at the end.</summary>
internal sealed class FunctionBuilder
{
    public FunctionBuilder(IMethodSymbol function, IOperation root, LocalObjects locals)
    {
        Function = function;
        Root = root;
        Locals = locals;
    }

    public IMethodSymbol Function { get; }

    /// <summary>The operation that is the function: the member body, the lambda or the local function.</summary>
    public IOperation Root { get; }

    /// <summary>Whose objects the locals of the member body name (shared by all functions of the body).</summary>
    public LocalObjects Locals { get; }

    public IMethodSymbol? Enclosing { get; set; }
    public bool IsCalledPerElement { get; set; }
    public List<AccessFact> Accesses { get; } = new();
    public List<CallFact> Calls { get; } = new();
    public List<StartFact> Starts { get; } = new();
    public List<AcquisitionFact> Acquisitions { get; } = new();
    public List<BlockingFact> BlockingCalls { get; } = new();
    public IOperation? ThreadStartPerCall { get; set; }

    public FunctionFacts Freeze() => new(
        Function,
        Enclosing,
        IsCalledPerElement,
        Accesses.ToImmutableArray(),
        Calls.ToImmutableArray(),
        Starts.ToImmutableArray(),
        Acquisitions.ToImmutableArray(),
        BlockingCalls.ToImmutableArray(),
        ThreadStartPerCall,
        Root);
}
