using System.Collections.Immutable;
using Lockstep.Analyzers.Catalogue;
using Lockstep.Analyzers.Internal;
using Microsoft.CodeAnalysis;

namespace Lockstep.Analyzers.Rules.AsyncBlocking;

/// <summary>Builds LS3001/LS3002 diagnostics with the fix kind their code fixes read back.</summary>
internal static class AsyncBlockingDiagnostics
{
    public static Diagnostic Create(DiagnosticDescriptor descriptor, IOperation operation, BlockingCall call, ConcurrencyCatalogue catalogue, params object[] messageArgs)
    {
        var fix = call.Fix;
        if (fix != AwaitFixKind.None && !AsyncContext.CanInsertAwait(operation.Syntax))
            fix = AwaitFixKind.None;

        // No awaitable form with the same meaning (an event, a join, a timeout, a busy wait): wait on a pool thread.
        if (fix == AwaitFixKind.None && Offloading.CanOffload(operation, catalogue))
            fix = AwaitFixKind.Offload;

        var properties = fix == AwaitFixKind.None
            ? FixProperties.None
            : FixProperties.AwaitFix.Set(FixProperties.None, fix);

        return Diagnostic.Create(descriptor, operation.Syntax.GetLocation(), properties, messageArgs);
    }
}
