using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Lockstep.Analyzers.Internal;

/// <summary>
/// The async function (method, lambda, anonymous method or local function) whose own body contains an operation.
/// Code in a synchronous lambda or local function nested in an async method is not part of the async body: the
/// delegate may run anywhere (for example on a thread handed to <c>Task.Run</c>), so it is deliberately not async code.
/// </summary>
internal readonly struct AsyncContext
{
    private AsyncContext(IMethodSymbol function, IOperation? functionOperation, string description, IOperation body)
    {
        Function = function;
        FunctionOperation = functionOperation;
        Description = description;
        Body = body;
    }

    /// <summary>The async function symbol (a lambda symbol for lambdas).</summary>
    public IMethodSymbol Function { get; }

    /// <summary>The anonymous function or local function operation, or <see langword="null"/> for a method body.</summary>
    public IOperation? FunctionOperation { get; }

    /// <summary>How messages name the context: <c>async method 'LoadAsync'</c>, <c>async lambda in 'Main'</c>.</summary>
    public string Description { get; }

    /// <summary>The root operation of the function body, used to look for earlier awaits in the same flow.</summary>
    public IOperation Body { get; }

    /// <summary>
    /// Where <paramref name="operation"/> sits among the function's branches: in the synchronous half of code that serves
    /// sync and async callers (<c>if (async) await ReadAsync(); else Read();</c>), or on the way to a throw.
    /// </summary>
    public Engine.BranchFacts BranchOf(IOperation operation, Catalogue.ConcurrencyCatalogue catalogue) =>
        Engine.Branches.Of(operation, FunctionOperation ?? Body, Function, catalogue);

    /// <summary>
    /// Finds the innermost function around <paramref name="operation"/>. Returns <see langword="false"/> when that
    /// function is synchronous, or when the operation sits inside a <c>lock</c> statement of that function:
    /// <c>await</c> is not allowed there, so blocking under a lock is left to the lock-hygiene rules (LS5002). A wait that
    /// releases its lock (<c>Monitor.Wait</c>, which LS5002 leaves alone) asks with <paramref name="throughLocks"/>.
    /// </summary>
    public static bool TryFind(IOperation operation, ISymbol containingSymbol, out AsyncContext context, bool throughLocks = false)
    {
        context = default;
        IOperation? last = operation;
        for (var current = operation.Parent; current is not null; last = current, current = current.Parent)
        {
            switch (current)
            {
                case ILockOperation when !throughLocks:
                    return false;

                case IAnonymousFunctionOperation lambda:
                    if (!lambda.Symbol.IsAsync)
                        return false;
                    context = new AsyncContext(lambda.Symbol, lambda, DescribeLambda(lambda, containingSymbol), lambda.Body);
                    return true;

                case ILocalFunctionOperation localFunction:
                    if (!localFunction.Symbol.IsAsync)
                        return false;
                    context = new AsyncContext(localFunction.Symbol, localFunction, "async local function '" + localFunction.Symbol.Name + "'", localFunction.Body ?? (IOperation)localFunction);
                    return true;
            }
        }

        if (containingSymbol is IMethodSymbol { IsAsync: true } method && last is not null)
        {
            context = new AsyncContext(method, null, DescribeMethod(method), last);
            return true;
        }

        return false;
    }

    /// <summary>
    /// Whether an <c>await</c> may be written at <paramref name="node"/>: not in an unsafe context, a catch filter or a
    /// query clause. The analyzers still report there; only the code fixes stand back.
    /// </summary>
    public static bool CanInsertAwait(SyntaxNode node)
    {
        for (var current = node.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case UnsafeStatementSyntax:
                case CatchFilterClauseSyntax:
                case QueryClauseSyntax:
                case SelectOrGroupClauseSyntax:
                case LockStatementSyntax:
                    return false;
                case MemberDeclarationSyntax member:
                    return !member.Modifiers.Any(SyntaxKind.UnsafeKeyword);
                case LocalFunctionStatementSyntax localFunction when localFunction.Modifiers.Any(SyntaxKind.UnsafeKeyword):
                    return false;
                case AnonymousFunctionExpressionSyntax:
                case LocalFunctionStatementSyntax:
                    return true;
            }
        }

        return true;
    }

    private static string DescribeMethod(IMethodSymbol method)
    {
        if (method.Name == WellKnownMemberNames.TopLevelStatementsEntryPointMethodName)
            return "async top-level statements";

        return "async method '" + method.Name + "'";
    }

    private static string DescribeLambda(IAnonymousFunctionOperation lambda, ISymbol containingSymbol)
    {
        string kind = lambda.Syntax is AnonymousMethodExpressionSyntax ? "async anonymous method" : "async lambda";
        string owner = OwnerName(lambda, containingSymbol);
        return owner.Length == 0 ? kind : kind + " in '" + owner + "'";
    }

    private static string OwnerName(IOperation operation, ISymbol containingSymbol)
    {
        // The nearest named function: an enclosing local function, else the member that holds the lambda.
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is ILocalFunctionOperation localFunction)
                return localFunction.Symbol.Name;
        }

        return containingSymbol switch
        {
            IMethodSymbol { MethodKind: MethodKind.PropertyGet or MethodKind.PropertySet or MethodKind.EventAdd or MethodKind.EventRemove } accessor => accessor.AssociatedSymbol?.Name ?? accessor.Name,
            IMethodSymbol { MethodKind: MethodKind.Constructor or MethodKind.StaticConstructor } constructor => constructor.ContainingType.Name,
            IMethodSymbol method when method.Name == WellKnownMemberNames.TopLevelStatementsEntryPointMethodName => "top-level statements",
            _ => containingSymbol.Name,
        };
    }
}
