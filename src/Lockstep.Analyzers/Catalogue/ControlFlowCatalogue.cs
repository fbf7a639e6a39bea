using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Lockstep.Analyzers.Catalogue;

/// <summary>
/// Calls that say something about control flow: calls that never return (the process ends, or the method is marked
/// <c>[DoesNotReturn]</c>), and assertions, whose condition the code after them relies on.
/// </summary>
internal sealed class ControlFlowCatalogue
{
    private readonly KnownTypes _types;
    private readonly MemberSet _endsProcess;
    private readonly MemberSet _assert;

    public ControlFlowCatalogue(KnownTypes types)
    {
        _types = types;
        _endsProcess = MemberSet.Of(types.Environment, "FailFast", "Exit");
        _assert = MemberSet.Union(MemberSet.Of(types.Debug, "Assert"), MemberSet.Of(types.Trace, "Assert"));
    }

    /// <summary>
    /// A call after which the function does not go on: <c>Environment.FailFast</c>, <c>Environment.Exit</c>, or a method
    /// marked <c>[DoesNotReturn]</c> (throw helpers).
    /// </summary>
    public bool NeverReturns(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        if (_endsProcess.Contains(method))
            return true;

        if (_types.DoesNotReturnAttribute is { } attribute)
        {
            foreach (var data in method.GetAttributes())
            {
                if (SymbolEqualityComparer.Default.Equals(data.AttributeClass, attribute))
                    return true;
            }
        }

        return false;
    }

    /// <summary><c>Debug.Assert(condition, …)</c> or <c>Trace.Assert</c>: the author states the condition holds here.</summary>
    public bool IsAssert(IInvocationOperation invocation) => _assert.Contains(invocation.TargetMethod);
}
