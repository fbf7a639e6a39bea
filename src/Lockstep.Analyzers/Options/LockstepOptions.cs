using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Lockstep.Analyzers.Options;

/// <summary>The <c>.editorconfig</c> keys Lockstep reads (all listed in docs/configuration.md).</summary>
internal static class LockstepOptions
{
    /// <summary>
    /// <c>lockstep.concurrent_entry_points</c>: methods other code runs concurrently (framework callbacks Lockstep cannot
    /// see), as a comma-separated list of <c>Namespace.Type.Method</c> or <c>Type.Method</c>. Same effect as
    /// <c>[Lockstep.RunsConcurrently]</c>.
    /// </summary>
    public const string ConcurrentEntryPoints = "lockstep.concurrent_entry_points";

    /// <summary>The configured entry points that apply to <paramref name="tree"/>; empty when none are set.</summary>
    public static ImmutableHashSet<string> ReadEntryPoints(AnalyzerOptions? options, SyntaxTree tree)
    {
        if (options is null || !options.AnalyzerConfigOptionsProvider.GetOptions(tree).TryGetValue(ConcurrentEntryPoints, out var value))
        {
            if (options is null || !options.AnalyzerConfigOptionsProvider.GlobalOptions.TryGetValue(ConcurrentEntryPoints, out value))
                return ImmutableHashSet<string>.Empty;
        }

        var builder = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
        foreach (var entry in value.Split(new[] { ',', ';', ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries))
            builder.Add(entry.Trim());
        return builder.ToImmutable();
    }

    /// <summary>Whether <paramref name="method"/> is named by an entry of the list, with or without its namespace.</summary>
    public static bool Names(ImmutableHashSet<string> entries, IMethodSymbol method)
    {
        if (entries.IsEmpty || method.ContainingType is null)
            return false;

        string typeAndMethod = method.ContainingType.Name + "." + method.Name;
        string full = method.ContainingType.ToDisplayString() + "." + method.Name;
        return entries.Contains(typeAndMethod) || entries.Contains(full);
    }
}
