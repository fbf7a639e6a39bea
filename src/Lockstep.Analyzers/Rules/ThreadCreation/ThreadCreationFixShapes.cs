using System.Linq;
using Lockstep.Analyzers.Catalogue;
using Lockstep.Analyzers.Internal;
using Lockstep.Analyzers.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Lockstep.Analyzers.Rules.ThreadCreation;

/// <summary>
/// Which LS4001 code fix can rewrite a thread start without changing what the program does; the analyzer records the
/// answer in the diagnostic (<see cref="DiagnosticPropertyKeys.ThreadCreationFix"/>) and the fixer trusts it.
/// </summary>
internal static class ThreadCreationFixShapes
{
    /// <summary>Start-all-then-join-all over a collection: <c>Parallel.ForEach</c> with <c>MaxDegreeOfParallelism</c>.</summary>
    public const string ParallelForEach = "ParallelForEach";

    /// <summary>Fire-and-forget in async code: hand the work to a <c>BoundedWorkQueue</c> created before the loop.</summary>
    public const string BoundedWorkQueue = "BoundedWorkQueue";

    /// <summary>
    /// <code>
    /// var threads = new List&lt;Thread&gt;();
    /// foreach (var item in items) { var t = new Thread(() =&gt; Work(item)); t.Start(); threads.Add(t); }
    /// foreach (var t in threads) t.Join();
    /// </code>
    /// and nothing else touches <c>threads</c> or <c>t</c>: the loop and the joins become one <c>Parallel.ForEach</c>,
    /// which also returns when every item is done.
    /// </summary>
    public static bool CanUseParallelForEach(IInvocationOperation start, IOperation creation, ILoopOperation loop, IOperation root, ConcurrencyCatalogue catalogue)
    {
        if (loop is not IForEachLoopOperation { IsAsynchronous: false, LoopControlVariable: IVariableDeclaratorOperation { Symbol: var item } } forEach
            || forEach.Syntax is not ForEachStatementSyntax { Parent: BlockSyntax }
            || forEach.Parent is not IBlockOperation outer
            || forEach.Body is not IBlockOperation { Operations.Length: 3 } body
            || start.Parent is not IExpressionStatementOperation startStatement || startStatement.Parent != body
            || ThreadStarts.Unwrap(start.Instance) is not ILocalReferenceOperation { Local: var thread }
            || creation is not IObjectCreationOperation { Arguments.Length: 1, Initializer: null } threadCreation
            || !IsElementTypeOf(forEach.Collection, item.Type))
        {
            return false;
        }

        // The body: the thread's declaration first, then Start and Add in either order.
        if (SingleDeclarator(body.Operations[0]) is not { Symbol: var declared, Initializer.Value: var initial }
            || !SymbolEqualityComparer.Default.Equals(declared, thread)
            || ThreadStarts.Unwrap(initial) != creation)
        {
            return false;
        }

        var add = (body.Operations[1] == startStatement ? body.Operations[2] : body.Operations[1]) as IExpressionStatementOperation;
        if (add?.Operation is not IInvocationOperation { Instance: ILocalReferenceOperation { Local: var list }, Arguments.Length: 1 } addCall
            || !catalogue.Collections.IsListAdd(addCall.TargetMethod)
            || ThreadStarts.Unwrap(addCall.Arguments[0].Value) is not ILocalReferenceOperation { Local: var addedThread }
            || !SymbolEqualityComparer.Default.Equals(addedThread, thread))
        {
            return false;
        }

        if (!IsWorkDelegate(threadCreation.Arguments[0].Value, start, item, thread, allowParameterless: true, catalogue)
            || !IsEmptyListDeclaredBefore(outer, forEach, list, catalogue)
            || !IsJoinAllAfter(outer, forEach, list, catalogue))
        {
            return false;
        }

        // threads: the Add and the join loop; t: Start and Add. Any other use would be lost by the rewrite.
        return CountReferences(root, list) == 2 && CountReferences(root, thread) == 2;
    }

    /// <summary>
    /// A fire-and-forget start in an async function, in a loop that sits in a block: <c>new Thread(work).Start();</c>,
    /// <c>var t = new Thread(work); t.IsBackground = true; t.Start();</c>, or <c>Task.Factory.StartNew(work, …LongRunning…);</c>.
    /// The work is a parameterless lambda or a method group (with <c>Start(arg)</c>: an argument that does not change
    /// after the call, so the lambda the fix writes sees the same value).
    /// </summary>
    public static bool CanUseBoundedWorkQueue(IInvocationOperation start, IOperation creation, ILoopOperation loop, IOperation root, ISymbol containingSymbol, ConcurrencyCatalogue catalogue)
    {
        if (loop.Syntax.Parent is not BlockSyntax
            || !AsyncContext.TryFind(start, containingSymbol, out _)
            || !AsyncContext.CanInsertAwait(start.Syntax))
        {
            return false;
        }

        if (catalogue.Starts.IsStartNew(start))
        {
            var statement = start.Parent is ISimpleAssignmentOperation { Target: IDiscardOperation } discard ? discard.Parent : start.Parent;
            if (statement is not IExpressionStatementOperation)
                return false;

            foreach (var argument in start.Arguments)
            {
                // An object state argument: the delegate reads its state from the call, which the queue's work item has no way to pass.
                if (argument.Parameter is null || argument.Parameter.Type.SpecialType == SpecialType.System_Object)
                    return false;
            }

            return start.Arguments.Length > 0 && IsWorkDelegate(start.Arguments[0].Value, start, item: null, thread: null, allowParameterless: false, catalogue);
        }

        if (start.Parent is not IExpressionStatementOperation startStatement
            || creation is not IObjectCreationOperation { Arguments.Length: 1 } threadCreation)
        {
            return false;
        }

        if (ThreadStarts.Unwrap(start.Instance) is ILocalReferenceOperation { Local: var thread })
        {
            // var t = new Thread(work); [t.Name = …;] t.Start();  — all in one block; t used nowhere else.
            if (startStatement.Parent is not IBlockOperation block)
                return false;

            int references = 0;
            bool declared = false;
            foreach (var statement in block.Operations)
            {
                if (SingleDeclarator(statement) is { Symbol: var local, Initializer.Value: var value }
                    && SymbolEqualityComparer.Default.Equals(local, thread) && ThreadStarts.Unwrap(value) == creation)
                {
                    declared = true;
                }
                else if (statement is IExpressionStatementOperation { Operation: ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Instance: ILocalReferenceOperation { Local: var target } } } }
                    && SymbolEqualityComparer.Default.Equals(target, thread))
                {
                    references++;
                }
            }

            if (!declared || CountReferences(root, thread) != references + 1)
                return false;
        }
        else if (ThreadStarts.Unwrap(start.Instance) != creation)
        {
            return false;
        }

        return IsWorkDelegate(threadCreation.Arguments[0].Value, start, item: null, thread: null, allowParameterless: true, catalogue, loop: loop);
    }

    /// <summary>A parameterless lambda, or a method group, written as such (not <c>new ThreadStart(…)</c>).</summary>
    private static bool IsWorkDelegate(IOperation value, IInvocationOperation start, ILocalSymbol? item, ILocalSymbol? thread, bool allowParameterless, ConcurrencyCatalogue catalogue, ILoopOperation? loop = null)
    {
        if (value is not IDelegateCreationOperation delegateCreation)
            return false;

        bool isThreadStart = catalogue.Starts.IsThreadStart(start);
        switch (delegateCreation.Target)
        {
            case IAnonymousFunctionOperation { Symbol: { Parameters.Length: 0 } lambda } function
                when function.Syntax is ParenthesizedLambdaExpressionSyntax && (!isThreadStart || (!lambda.IsAsync && start.Arguments.Length == 0)):
                return thread is null || CountReferences(function, thread) == 0;

            case IMethodReferenceOperation reference when delegateCreation.Syntax is IdentifierNameSyntax or MemberAccessExpressionSyntax:
                if (!isThreadStart || start.Arguments.Length == 0)
                    return allowParameterless && reference.Method.Parameters.Length == 0;

                // new Thread(Work).Start(arg): the fix calls Work(arg) later, so arg must not change meanwhile.
                var argument = ThreadStarts.Unwrap(start.Arguments[0].Value);
                if (argument is null || argument.ConstantValue.HasValue)
                    return argument is not null;
                if (argument is not ILocalReferenceOperation { Local: var local })
                    return false;
                if (item is not null)
                    return SymbolEqualityComparer.Default.Equals(local, item);
                return loop is not null && local.DeclaringSyntaxReferences.Any(r => loop.Syntax.Span.Contains(r.Span)) && !IsWrittenAfterDeclaration(loop, local);

            default:
                return false;
        }
    }

    private static bool IsWrittenAfterDeclaration(IOperation scope, ILocalSymbol local)
    {
        foreach (var operation in scope.DescendantsAndSelf())
        {
            if (operation is IAssignmentOperation { Target: ILocalReferenceOperation target } && SymbolEqualityComparer.Default.Equals(target.Local, local))
                return true;
            if (operation is IIncrementOrDecrementOperation { Target: ILocalReferenceOperation incremented } && SymbolEqualityComparer.Default.Equals(incremented.Local, local))
                return true;
        }

        return false;
    }

    private static bool IsElementTypeOf(IOperation collection, ITypeSymbol elementType)
    {
        var type = ThreadStarts.Unwrap(collection)?.Type;
        if (type is IArrayTypeSymbol { Rank: 1 } array)
            return SymbolEqualityComparer.Default.Equals(array.ElementType, elementType);

        if (type is not INamedTypeSymbol named)
            return false;

        foreach (var candidate in named.AllInterfaces.Add(named))
        {
            if (candidate.OriginalDefinition.SpecialType == SpecialType.System_Collections_Generic_IEnumerable_T)
                return SymbolEqualityComparer.Default.Equals(candidate.TypeArguments[0], elementType);
        }

        return false;
    }

    private static bool IsEmptyListDeclaredBefore(IBlockOperation outer, IOperation loop, ILocalSymbol list, ConcurrencyCatalogue catalogue)
    {
        foreach (var statement in outer.Operations)
        {
            if (statement == loop)
                return false;

            if (SingleDeclarator(statement) is { Symbol: var local, Initializer.Value: var value }
                && SymbolEqualityComparer.Default.Equals(local, list))
            {
                return ThreadStarts.Unwrap(value) is IObjectCreationOperation { Arguments.Length: 0, Initializer: null, Type: var listType } && catalogue.Collections.IsList(listType)
                    && statement.Syntax is LocalDeclarationStatementSyntax { UsingKeyword.RawKind: 0, AwaitKeyword.RawKind: 0 };
            }
        }

        return false;
    }

    /// <summary><c>foreach (var t in threads) t.Join();</c> after the loop, in the same block.</summary>
    private static bool IsJoinAllAfter(IBlockOperation outer, IOperation loop, ILocalSymbol list, ConcurrencyCatalogue catalogue)
    {
        bool after = false;
        foreach (var statement in outer.Operations)
        {
            if (statement == loop)
            {
                after = true;
                continue;
            }

            if (!after || statement is not IForEachLoopOperation { LoopControlVariable: IVariableDeclaratorOperation { Symbol: var worker } } join
                || ThreadStarts.Unwrap(join.Collection) is not ILocalReferenceOperation { Local: var collection }
                || !SymbolEqualityComparer.Default.Equals(collection, list))
            {
                continue;
            }

            var body = join.Body is IBlockOperation { Operations.Length: 1 } block ? block.Operations[0] : join.Body;
            return join.Syntax is ForEachStatementSyntax
                && body is IExpressionStatementOperation { Operation: IInvocationOperation { Instance: ILocalReferenceOperation { Local: var joined } } joinCall }
                && catalogue.Starts.IsThreadJoin(joinCall)
                && SymbolEqualityComparer.Default.Equals(joined, worker);
        }

        return false;
    }

    /// <summary>The declarator of a statement that declares exactly one local.</summary>
    private static IVariableDeclaratorOperation? SingleDeclarator(IOperation statement) =>
        statement is IVariableDeclarationGroupOperation { Declarations.Length: 1 } group && group.Declarations[0].Declarators.Length == 1
            ? group.Declarations[0].Declarators[0]
            : null;

    private static int CountReferences(IOperation root, ILocalSymbol local)
    {
        int count = 0;
        foreach (var operation in root.DescendantsAndSelf())
        {
            if (operation is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local))
                count++;
        }

        return count;
    }
}
