using Microsoft.CodeAnalysis;

namespace Lockstep.Analyzers.Catalogue;

/// <summary>
/// Namespace tests without building display strings: these run for every invocation the analyzers see, and
/// <c>ToDisplayString()</c> allocated a new string each time (it dominated the analyzers' own cost in profiles).
/// </summary>
internal static class Namespaces
{
    /// <summary>Whether <paramref name="ns"/> is exactly the dotted name given by <paramref name="parts"/>, outermost first.</summary>
    public static bool Is(INamespaceSymbol? ns, params string[] parts)
    {
        for (int i = parts.Length - 1; i >= 0; i--)
        {
            if (ns is null || ns.IsGlobalNamespace || ns.Name != parts[i])
                return false;
            ns = ns.ContainingNamespace;
        }

        return ns is { IsGlobalNamespace: true };
    }
}
