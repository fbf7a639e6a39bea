using System;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace Lockstep.Analyzers.Internal;

/// <summary>
/// One whole-program result per compilation, built on first request and then shared by every rule that asks. Built
/// outside the lock and not through <c>Lazy&lt;T&gt;</c>: a build cancelled half way must not be cached as a failure.
/// When two builds race, the first one stored wins and both callers get it.
/// </summary>
internal sealed class PerCompilationCache<T>
    where T : class
{
    private readonly ConditionalWeakTable<Compilation, T> _results = new();
    private readonly object _gate = new();

    public T GetOrBuild(Compilation compilation, Func<T> build)
    {
        lock (_gate)
        {
            if (_results.TryGetValue(compilation, out var cached))
                return cached;
        }

        var built = build();
        lock (_gate)
        {
            if (_results.TryGetValue(compilation, out var other))
                return other;
            _results.Add(compilation, built);
            return built;
        }
    }
}
