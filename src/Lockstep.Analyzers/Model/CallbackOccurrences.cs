using System.Collections.Generic;
using System.Threading;
using Lockstep.Analyzers.Catalogue;
using Lockstep.Analyzers.Engine;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Lockstep.Analyzers.Model;

/// <summary>What a callback runs once per, and where it is registered (LS4001: a thread started there is one per occurrence).</summary>
internal readonly struct CallbackOccurrence
{
    public CallbackOccurrence(string occurrence, IOperation registration)
    {
        Occurrence = occurrence;
        Registration = registration;
    }

    /// <summary><c>timer tick</c>, <c>file system event</c>, <c>accepted connection</c>…</summary>
    public string Occurrence { get; }

    /// <summary>The registration or start that hands the callback over.</summary>
    public IOperation Registration { get; }
}

/// <summary>
/// Whether a function runs once per occurrence of something that grows with the input or with time: a lambda or method
/// registered as a repeating timer callback, a file system watcher or process output handler, a repeating wait
/// registration, a socket accept or receive callback, the body of a parallel loop, or an async handler an accept loop
/// does not await (the catalogue's <see cref="StartApi.Occurrence"/>).
/// </summary>
internal static class CallbackOccurrences
{
    /// <summary>For a lambda: the start it is handed to, when that start runs it per occurrence.</summary>
    public static CallbackOccurrence? OfLambda(IOperation functionRoot, ConcurrencyCatalogue catalogue)
    {
        if (functionRoot is not IAnonymousFunctionOperation)
            return null;

        var value = functionRoot.Parent;
        while (value is IDelegateCreationOperation or IConversionOperation)
            value = value.Parent;

        var start = value switch
        {
            IArgumentOperation { Parent: { } call } => call,
            IEventAssignmentOperation assignment => assignment,
            _ => null,
        };
        // items.Select(x => …) starts nothing unless the lambda is async: a synchronous projection runs on the caller's
        // thread, element after element, as the query is enumerated (a pool sized by a setting makes its workers so).
        return start is not null && catalogue.Starts.TryGetStart(start, out var api, out _) && api.Occurrence is { } occurrence
            && (!api.AsyncDelegatesOnly || ((IAnonymousFunctionOperation)functionRoot).Symbol.IsAsync)
            ? new CallbackOccurrence(occurrence, start)
            : null;
    }

    /// <summary>
    /// For a method: a registration of it as a method group, or a start of it, made by code of its own type (where
    /// handlers are registered: a constructor, a <c>Start</c> method). Registrations from other types are not looked
    /// for: that would mean reading every body of the compilation for each thread start.
    /// </summary>
    public static CallbackOccurrence? OfMethod(IMethodSymbol method, FunctionIndex index, CancellationToken cancellationToken)
    {
        var target = method.OriginalDefinition;
        var type = target.ContainingType;
        while (type?.ContainingType is { } containing)
            type = containing;
        if (type is null)
            return null;

        var types = new Stack<INamedTypeSymbol>();
        types.Push(type);
        while (types.Count > 0)
        {
            foreach (var member in types.Pop().GetMembers())
            {
                if (member is INamedTypeSymbol nested)
                {
                    types.Push(nested);
                    continue;
                }

                if (member is not IMethodSymbol { IsAbstract: false } function || index.Get(function, cancellationToken) is not { } facts)
                    continue;

                if (Find(facts, target, index.Catalogue) is { } found)
                    return found;
                foreach (var nestedFunction in index.NestedIn(function))
                {
                    if (Find(nestedFunction, target, index.Catalogue) is { } inLambda)
                        return inLambda;
                }
            }
        }

        return null;
    }

    private static CallbackOccurrence? Find(FunctionFacts facts, IMethodSymbol target, ConcurrencyCatalogue catalogue)
    {
        foreach (var start in facts.Starts)
        {
            if (SymbolEqualityComparer.Default.Equals(start.Target, target)
                && catalogue.Starts.TryGetStart(start.Operation, out var api, out _)
                && api.Occurrence is { } occurrence)
            {
                return new CallbackOccurrence(occurrence, start.Operation);
            }
        }

        return null;
    }
}
