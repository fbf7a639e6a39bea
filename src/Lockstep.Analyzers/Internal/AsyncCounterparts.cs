using Microsoft.CodeAnalysis;

namespace Lockstep.Analyzers.Internal;

/// <summary>
/// Finds the awaitable twin of a synchronous method, the common library shape <c>Pause(int)</c> / <c>PauseAsync(int)</c>:
/// same type, same static-ness, same parameters (optionally one more trailing <c>CancellationToken</c>) and a task-like
/// return whose result matches the synchronous return type.
/// </summary>
internal static class AsyncCounterparts
{
    public static IMethodSymbol? Find(IMethodSymbol method, BlockingApi api)
    {
        if (method.MethodKind != MethodKind.Ordinary || method.ContainingType is null)
            return null;

        foreach (var member in method.ContainingType.GetMembers(method.Name + "Async"))
        {
            if (member is IMethodSymbol candidate
                && candidate.IsStatic == method.IsStatic
                && candidate.TypeParameters.Length == method.TypeParameters.Length
                && ParametersMatch(method, candidate, api)
                && ReturnMatches(method, candidate, api))
            {
                return candidate;
            }
        }

        return null;
    }

    private static bool ParametersMatch(IMethodSymbol method, IMethodSymbol candidate, BlockingApi api)
    {
        int extra = candidate.Parameters.Length - method.Parameters.Length;
        if (extra is not (0 or 1))
            return false;

        for (int i = 0; i < method.Parameters.Length; i++)
        {
            var expected = method.Parameters[i];
            var actual = candidate.Parameters[i];
            if (expected.RefKind != actual.RefKind || expected.Type.ToDisplayString() != actual.Type.ToDisplayString())
                return false;
        }

        // A trailing token must be optional: the fix passes one only when exactly one is in scope.
        return extra == 0
            || (SymbolEqualityComparer.Default.Equals(candidate.Parameters[candidate.Parameters.Length - 1].Type, api.CancellationToken)
                && candidate.Parameters[candidate.Parameters.Length - 1].IsOptional);
    }

    private static bool ReturnMatches(IMethodSymbol method, IMethodSymbol candidate, BlockingApi api)
    {
        if (candidate.ReturnType is not INamedTypeSymbol returnType || !api.IsTaskLike(returnType))
            return false;

        if (method.ReturnsVoid)
            return true; // awaiting Task<T> as a statement discards the result, as the sync call did

        return returnType.IsGenericType
            && returnType.TypeArguments.Length == 1
            && returnType.TypeArguments[0].ToDisplayString() == method.ReturnType.ToDisplayString();
    }
}
