using System;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace Lockstep.Analyzers.Internal;

/// <summary>
/// One result per compilation, built once on first request and then shared by every rule that asks (single flight:
/// a second caller waits for the first build instead of starting its own). A build that throws, cancellation
/// included, is not cached: the next caller builds again, so a build cancelled half way is never taken for a result.
/// </summary>
internal sealed class PerCompilationCache<T>
    where T : class
{
    private readonly ConditionalWeakTable<Compilation, Box> _results = new();

    public T GetOrBuild(Compilation compilation, Func<T> build)
    {
        var box = _results.GetValue(compilation, static _ => new Box());
        var lazy = Volatile.Read(ref box.Current);
        if (lazy is null)
        {
            var created = new Lazy<T>(build, LazyThreadSafetyMode.ExecutionAndPublication);
            lazy = Interlocked.CompareExchange(ref box.Current, created, null) ?? created;
        }

        try
        {
            return lazy.Value;
        }
        catch
        {
            // Forget the failed build so the next request starts a fresh one; this request fails as it did.
            Interlocked.CompareExchange(ref box.Current, null, lazy);
            throw;
        }
    }

    private sealed class Box
    {
        public Lazy<T>? Current;
    }
}
