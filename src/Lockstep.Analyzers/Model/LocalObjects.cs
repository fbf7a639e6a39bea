using System.Collections.Generic;
using Lockstep.Analyzers.Catalogue;
using Lockstep.Analyzers.Engine;
using Lockstep.Analyzers.Internal;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Lockstep.Analyzers.Model;

/// <summary>
/// Sharing by escape: an object a function creates (<c>var office = new Office();</c>) is private while only that
/// function can reach it, and shared once it escapes: captured by a lambda or local function that may run elsewhere
/// (one handed to a start of concurrent work, stored, or passed on), passed to a start (<c>new Thread(office.Buy)</c>,
/// a <c>QueueUserWorkItem</c> state), stored in a field, a static or an element of one, or added to a collection that
/// is not a local. An object created in each iteration of a loop and handed only to the work started in that iteration
/// belongs to that work: the runs of a repeated start each have their own (a thread per connection, each with its own
/// connection object), so they do not share it with each other, only with the code that started them.
/// One instance per walk of a member body; each local is worked out once.
/// </summary>
internal sealed class LocalObjects
{
    private readonly ConcurrencyCatalogue _catalogue;
    private readonly IOperation _memberRoot;
    private readonly Dictionary<ILocalSymbol, InstanceKind> _kinds = new(SymbolEqualityComparer.Default);

    /// <summary>
    /// The declarator and the references of every local of the member body, found in one walk the first time a local is
    /// classified: a walk per local made long bodies with many locals quadratic.
    /// </summary>
    private Dictionary<ILocalSymbol, LocalUses>? _uses;

    public LocalObjects(ConcurrencyCatalogue catalogue, IOperation memberRoot)
    {
        _catalogue = catalogue;
        _memberRoot = memberRoot;
    }

    private LocalUses UsesOf(ILocalSymbol local)
    {
        if (_uses is null)
        {
            _uses = new Dictionary<ILocalSymbol, LocalUses>(SymbolEqualityComparer.Default);
            foreach (var operation in _memberRoot.DescendantsAndSelf())
            {
                switch (operation)
                {
                    case IVariableDeclaratorOperation declarator:
                        Entry(declarator.Symbol).Declarator = declarator;
                        break;
                    case ILocalReferenceOperation reference:
                        Entry(reference.Local).References.Add(reference);
                        break;
                }
            }
        }

        return _uses.TryGetValue(local, out var uses) ? uses : new LocalUses();

        LocalUses Entry(ILocalSymbol symbol)
        {
            if (!_uses.TryGetValue(symbol, out var entry))
            {
                entry = new LocalUses();
                _uses.Add(symbol, entry);
            }

            return entry;
        }
    }

    private sealed class LocalUses
    {
        public IVariableDeclaratorOperation? Declarator { get; set; }

        public List<ILocalReferenceOperation> References { get; } = new();
    }

    /// <summary>Whose object an access through <paramref name="local"/> reaches: fresh, per start, escaped (<see cref="InstanceKind.Other"/>), or the origin of the object it copies.</summary>
    public InstanceKind Classify(ILocalSymbol local)
    {
        if (!_kinds.TryGetValue(local, out var kind))
        {
            kind = Compute(local);
            _kinds.Add(local, kind);
        }

        return kind;
    }

    private InstanceKind Compute(ILocalSymbol local)
    {
        var uses = UsesOf(local);
        var declarator = uses.Declarator;
        var references = uses.References;

        // Only a local initialised with a new object, and never given another value, names an object this function made.
        if (declarator is null || OperationTree.Unconverted(declarator.Initializer?.Value) is not (IObjectCreationOperation or IAnonymousObjectCreationOperation))
            return OriginOfOtherLocal(declarator, references);

        var declaringFunction = OperationTree.FunctionRoot(declarator);
        var starts = new List<IOperation>();
        foreach (var reference in references)
        {
            if (IsReassignment(reference))
                return InstanceKind.Other;

            var capturing = CapturingFunction(reference, declaringFunction);
            if (capturing is not null)
            {
                switch (HowItRuns(capturing))
                {
                    case Runs.Inline:
                        break;
                    case Runs.Started when StartOf(capturing) is { } start:
                        starts.Add(start);
                        break;
                    default:
                        return InstanceKind.Other;
                }

                continue;
            }

            if (IsStored(reference))
                return InstanceKind.Other;
            if (PassedToStart(reference) is { } passedTo)
                starts.Add(passedTo);
        }

        if (starts.Count == 0)
            return InstanceKind.Fresh;

        // Handed to concurrent work: its own per iteration when it is made inside a loop that also contains every start.
        var loop = InnermostLoop(declarator, declaringFunction);
        if (loop is null)
            return InstanceKind.Other;
        foreach (var start in starts)
        {
            if (!IsInside(start, loop.Body))
                return InstanceKind.Other;
        }

        return InstanceKind.PerStart;
    }

    /// <summary>
    /// A local that names an object this function did not make: shared when a lambda or local function captures it (the
    /// capturing code and the declaring code then use one object); as shared as <c>this</c> when it only copies a field
    /// of <c>this</c> (<c>var connection = _connection;</c>); shared when it copies a static; otherwise of unknown
    /// provenance.
    /// </summary>
    private static InstanceKind OriginOfOtherLocal(IVariableDeclaratorOperation? declarator, List<ILocalReferenceOperation> references)
    {
        if (declarator is null)
            return InstanceKind.Unknown; // a foreach variable, a pattern variable, an out variable: an element or a result

        var declaringFunction = OperationTree.FunctionRoot(declarator);
        bool reassigned = false;
        foreach (var reference in references)
        {
            if (CapturingFunction(reference, declaringFunction) is not null)
                return InstanceKind.Other;
            reassigned |= IsReassignment(reference);
        }

        if (reassigned || declarator.Initializer?.Value is not { } initial)
            return InstanceKind.Unknown; // given values later, or a catch variable: an object from elsewhere

        return AccessRecognizer.InstanceOf(initial, locals: null) switch
        {
            InstanceKind.ThisField => InstanceKind.ThisField,
            InstanceKind.This => InstanceKind.This,
            InstanceKind.Static => InstanceKind.Static,
            _ => InstanceKind.Unknown,
        };
    }

    private enum Runs
    {
        /// <summary>Passed straight to an API that runs it on the calling thread (LINQ, <c>List.ForEach</c>).</summary>
        Inline,

        /// <summary>Passed straight to a start of concurrent work.</summary>
        Started,

        /// <summary>Stored, returned, passed on, or called later: it may run anywhere.</summary>
        Elsewhere,
    }

    private Runs HowItRuns(IOperation function)
    {
        if (function is ILocalFunctionOperation)
            return Runs.Elsewhere; // a local function can be called from anywhere in its scope, also from started lambdas

        var parent = function.Parent;
        while (parent is IDelegateCreationOperation or IConversionOperation)
            parent = parent.Parent;

        if (parent is not IArgumentOperation { Parent: { } call })
            return Runs.Elsewhere;
        if (call is IInvocationOperation invocation && _catalogue.Delegates.RunsDelegatesInline(invocation))
            return Runs.Inline;
        return _catalogue.Starts.TryGetStart(call, out _, out _) ? Runs.Started : Runs.Elsewhere;
    }

    /// <summary>The start a lambda is passed to (the <c>new Thread(…)</c>, <c>Task.Run(…)</c> operation).</summary>
    private static IOperation? StartOf(IOperation function)
    {
        var parent = function.Parent;
        while (parent is IDelegateCreationOperation or IConversionOperation or IArgumentOperation)
            parent = parent.Parent;
        return parent;
    }

    /// <summary>The lambda or local function, inside the declaring function, whose body uses the reference; null when the declaring function uses it itself.</summary>
    private static IOperation? CapturingFunction(IOperation reference, IOperation declaringFunction)
    {
        IOperation? outermost = null;
        for (var parent = reference.Parent; parent is not null && parent != declaringFunction; parent = parent.Parent)
        {
            if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation)
                outermost = parent;
        }

        return outermost;
    }

    /// <summary><c>local = …</c> after the declaration: the local may then name any object.</summary>
    private static bool IsReassignment(ILocalReferenceOperation reference) =>
        reference.Parent is IAssignmentOperation assignment && assignment.Target == reference
        || reference.Parent is IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out };

    /// <summary>Stored where other code can reach it: a field, a property, a static, an array element, or a collection that is not a local.</summary>
    private static bool IsStored(ILocalReferenceOperation reference)
    {
        IOperation value = reference;
        while (value.Parent is IConversionOperation or IParenthesizedOperation)
            value = value.Parent;

        switch (value.Parent)
        {
            case ISimpleAssignmentOperation assignment when assignment.Value == value:
                return assignment.Target is not (ILocalReferenceOperation or IDiscardOperation);
            case IArgumentOperation { Parent: IInvocationOperation invocation }:
                return OperationTree.Unconverted(invocation.Instance) is IFieldReferenceOperation or IPropertyReferenceOperation or IArrayElementReferenceOperation
                    && CollectionCatalogue.IsMutationByName(invocation.TargetMethod);
            case IArrayInitializerOperation or IVariableInitializerOperation { Parent: IPropertyInitializerOperation or IFieldInitializerOperation }:
                return true;
            default:
                return false;
        }
    }

    /// <summary>Passed to a start: the receiver of a method group it is given (<c>new Thread(office.Buy)</c>) or one of its arguments (a state object).</summary>
    private IOperation? PassedToStart(ILocalReferenceOperation reference)
    {
        IOperation value = reference;
        while (value.Parent is IConversionOperation or IParenthesizedOperation)
            value = value.Parent;

        if (value.Parent is IMethodReferenceOperation { Parent: IDelegateCreationOperation creation })
            value = creation;
        while (value.Parent is IConversionOperation)
            value = value.Parent;

        return value.Parent is IArgumentOperation { Parent: { } call } && _catalogue.Starts.TryGetStart(call, out _, out _) ? call : null;
    }

    private static ILoopOperation? InnermostLoop(IOperation operation, IOperation functionRoot)
    {
        for (var parent = operation.Parent; parent is not null && parent != functionRoot; parent = parent.Parent)
        {
            if (parent is ILoopOperation loop)
                return loop;
        }

        return null;
    }

    private static bool IsInside(IOperation operation, IOperation ancestor)
    {
        for (var current = operation; current is not null; current = current.Parent)
        {
            if (current == ancestor)
                return true;
        }

        return false;
    }
}
