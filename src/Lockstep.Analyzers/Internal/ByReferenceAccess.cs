using Lockstep.Analyzers.Catalogue;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Lockstep.Analyzers.Internal;

/// <summary>A location passed by reference to a call: whether the call may write it, and whether it is Interlocked or Volatile.</summary>
internal static class ByReferenceAccess
{
    /// <summary>
    /// True when <paramref name="reference"/> is an argument passed by reference: ref and out, and also 'in' and
    /// 'ref readonly' (.NET 9 made Volatile.Read and Interlocked.Read take 'ref readonly T', a RefKind newer than the
    /// Roslyn this analyzer is built against, so anything but None counts). <paramref name="writable"/>: passed as
    /// ref or out. Calls of Interlocked and Volatile are atomic.
    /// </summary>
    public static bool Classify(IOperation reference, AtomicCatalogue atomics, out bool writable, out bool isAtomic)
    {
        writable = false;
        isAtomic = false;
        if (reference.Parent is not IArgumentOperation { Parameter: { RefKind: not RefKind.None } parameter } argument)
            return false;

        isAtomic = argument.Parent is IInvocationOperation invocation && atomics.IsAtomic(invocation);
        writable = parameter.RefKind is RefKind.Ref or RefKind.Out;
        return true;
    }
}
