using System.Collections.Immutable;
using Lockstep.Analyzers.Catalogue;
using Lockstep.Analyzers.Internal;
using Microsoft.CodeAnalysis;

namespace Lockstep.Analyzers.Rules.AsyncBlocking;

/// <summary>Builds LS3001/LS3002 diagnostics with the fix kind their code fixes read back.</summary>
internal static class AsyncBlockingDiagnostics
{
    public static Diagnostic Create(DiagnosticDescriptor descriptor, IOperation operation, BlockingCall call, params object[] messageArgs)
    {
        var fix = call.Fix;
        if (fix != AwaitFixKind.None && !AsyncContext.CanInsertAwait(operation.Syntax))
            fix = AwaitFixKind.None;

        var properties = fix == AwaitFixKind.None
            ? ImmutableDictionary<string, string?>.Empty
            : ImmutableDictionary<string, string?>.Empty.Add(DiagnosticPropertyKeys.AwaitFix, fix.ToString());

        return Diagnostic.Create(descriptor, operation.Syntax.GetLocation(), properties, messageArgs);
    }
}
