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

    /// <summary>
    /// <c>lockstep.LS4001.max_threads_per_loop</c>: a loop whose trip count is a compile-time constant no larger than
    /// this starts a bounded number of threads and is not reported by LS4001. Default
    /// <see cref="DefaultMaxThreadsPerLoop"/>; a non-negative integer.
    /// </summary>
    public const string MaxThreadsPerLoop = "lockstep.LS4001.max_threads_per_loop";

    /// <summary>
    /// 128: demos and tests that start a fixed 10 or 100 threads are bounded and cheap; at a thousand the stacks and the
    /// scheduling cost show.
    /// </summary>
    internal const int DefaultMaxThreadsPerLoop = 128;

    /// <summary>
    /// <c>lockstep.call_graph_budget</c>: how many functions one question about calls (does this call block, which
    /// locks does it take, what does this started code reach) may visit before Lockstep stops following calls and says
    /// so with LS0001. Default <see cref="DefaultCallGraphBudget"/>; a positive integer.
    /// </summary>
    public const string CallGraphBudget = "lockstep.call_graph_budget";

    /// <summary>
    /// 5,000: more than any chain a reader could follow, and small enough that a pathological program (generated code,
    /// a call graph where everything reaches everything) cannot stall a build.
    /// </summary>
    internal const int DefaultCallGraphBudget = 5000;

    /// <summary>
    /// The call-graph budget of the compilation: from a global config, else from the <c>.editorconfig</c> that applies to
    /// the compilation's first file (one budget for the whole compilation); the default when unset or not a positive integer.
    /// </summary>
    public static int ReadCallGraphBudget(AnalyzerOptions? options, Compilation compilation)
    {
        if (options is null)
            return DefaultCallGraphBudget;

        if (!options.AnalyzerConfigOptionsProvider.GlobalOptions.TryGetValue(CallGraphBudget, out var value))
        {
            SyntaxTree? first = null;
            foreach (var tree in compilation.SyntaxTrees)
            {
                first = tree;
                break;
            }

            if (first is null || !options.AnalyzerConfigOptionsProvider.GetOptions(first).TryGetValue(CallGraphBudget, out value))
                return DefaultCallGraphBudget;
        }

        return int.TryParse(value.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int budget) && budget > 0
            ? budget
            : DefaultCallGraphBudget;
    }

    /// <summary>The LS4001 loop bound that applies to <paramref name="tree"/>; the default when unset or not a non-negative integer.</summary>
    public static int ReadMaxThreadsPerLoop(AnalyzerOptions? options, SyntaxTree tree)
    {
        if (options is null)
            return DefaultMaxThreadsPerLoop;

        if (!options.AnalyzerConfigOptionsProvider.GetOptions(tree).TryGetValue(MaxThreadsPerLoop, out var value)
            && !options.AnalyzerConfigOptionsProvider.GlobalOptions.TryGetValue(MaxThreadsPerLoop, out value))
        {
            return DefaultMaxThreadsPerLoop;
        }

        return int.TryParse(value.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int bound)
            ? bound
            : DefaultMaxThreadsPerLoop;
    }

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

    /// <summary>Every key Lockstep reads, as docs/configuration.md lists them.</summary>
    public static readonly ImmutableArray<string> AllKeys = ImmutableArray.Create(ConcurrentEntryPoints, CallGraphBudget, MaxThreadsPerLoop);

    /// <summary>The prefix of Lockstep's keys: a key with it that Lockstep does not read is most likely misspelt.</summary>
    internal const string KeyPrefix = "lockstep.";

    /// <summary>
    /// Why <paramref name="value"/> is not a value of <paramref name="key"/> and what is accepted instead, phrased for
    /// LS0002; <see langword="null"/> when the reader above understands it. Kept next to the readers so that the two agree.
    /// </summary>
    public static (string Problem, string Accepted)? ValueProblem(string key, string value)
    {
        string trimmed = value.Trim();
        if (string.Equals(key, CallGraphBudget, StringComparison.OrdinalIgnoreCase))
        {
            return int.TryParse(trimmed, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int budget) && budget > 0
                ? null
                : ("'" + CallGraphBudget + " = " + trimmed + "' is not a positive integer, so the default " + DefaultCallGraphBudget.ToString(System.Globalization.CultureInfo.InvariantCulture) + " applies",
                    "a positive integer, such as " + DefaultCallGraphBudget.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (string.Equals(key, MaxThreadsPerLoop, StringComparison.OrdinalIgnoreCase))
        {
            return int.TryParse(trimmed, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _)
                ? null
                : ("'" + MaxThreadsPerLoop + " = " + trimmed + "' is not a non-negative integer, so the default " + DefaultMaxThreadsPerLoop.ToString(System.Globalization.CultureInfo.InvariantCulture) + " applies",
                    "a non-negative integer, such as " + DefaultMaxThreadsPerLoop.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (string.Equals(key, ConcurrentEntryPoints, StringComparison.OrdinalIgnoreCase))
        {
            foreach (var entry in value.Split(new[] { ',', ';', ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries))
            {
                if (!IsTypeAndMethod(entry.Trim()))
                {
                    return ("'" + entry.Trim() + "' in " + ConcurrentEntryPoints + " is not a method name of the form Type.Method, so it matches no method",
                        "a comma-separated list of Type.Method or Namespace.Type.Method");
                }
            }

            return null;
        }

        return ("'" + key + "' is not a Lockstep option, so it is ignored", "one of " + string.Join(", ", AllKeys));
    }

    /// <summary>Dotted identifiers, at least two: <c>Handler.OnMessage</c>, <c>My.App.Handler.OnMessage</c>.</summary>
    private static bool IsTypeAndMethod(string entry)
    {
        string[] parts = entry.Split('.');
        if (parts.Length < 2)
            return false;

        foreach (string part in parts)
        {
            if (part.Length == 0 || !(char.IsLetter(part[0]) || part[0] == '_'))
                return false;
            foreach (char c in part)
            {
                if (!char.IsLetterOrDigit(c) && c != '_')
                    return false;
            }
        }

        return true;
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
