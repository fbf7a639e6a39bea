using System.Threading;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace Lockstep.Benchmarks.Primitives;

/// <summary>
/// <see cref="OrderedLock"/> against the BCL locks, uncontended (one thread): the cost of taking and releasing the
/// lock, per enter/exit pair. Baseline: a <c>lock</c> statement on an object (<see cref="Monitor"/>, which
/// <see cref="OrderedLock"/> uses inside); also a <c>lock</c> on <see cref="Lock"/>. <see cref="OrderedLock"/> runs
/// with <see cref="LockOrderValidator.Policy"/> <see cref="LockOrderPolicy.Off"/> (the default) and with validation on
/// (<see cref="LockOrderPolicy.Report"/>; <see cref="LockOrderPolicy.Throw"/> costs the same on this path).
/// "Single": one lock. "Nested": an outer and an inner lock, per pair of enter/exit pairs; with validation on, the
/// inner acquisition checks the already-known order outer → inner.
/// </summary>
/// <remarks>
/// Goals (issue 4): validation off within 1.5× of <c>lock</c>, on within 4×. Run with
/// <c>dotnet run -c Release --project bench/Lockstep.Benchmarks -- --filter *OrderedLockBenchmarks*</c>, or add
/// <c>--job dry</c> to check that it runs. None of the paths allocate; the memory diagnoser shows it.
/// All cases run in one process (in-process toolchain), so dynamic PGO may compile <see cref="OrderedLock.EnterScope"/>
/// having seen both policies, which a real process (policy fixed at start-up) does not; for figures to quote, also
/// run the <c>*Off*</c> and <c>*Validated*</c> cases in separate runs (one <c>--filter</c> each) and compare.
/// </remarks>
[Config(typeof(PrimitiveBenchmarkConfig))]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class OrderedLockBenchmarks
{
    private const string Single = "Single";
    private const string Nested = "Nested";

    // Enter/exit pairs per invocation: enough that the loop, not the benchmark call, dominates.
    private const int Operations = 1_000;

    private readonly object _monitor = new();
    private readonly object _innerMonitor = new();
    private readonly Lock _lock = new();
    private readonly Lock _innerLock = new();
    private readonly OrderedLock _ordered = new("bench.outer");
    private readonly OrderedLock _innerOrdered = new("bench.inner");
    private int _counter;

    /// <summary>Validation on for the benchmarks that measure it; the edge outer → inner is learnt here, not measured.</summary>
    [GlobalSetup(Targets = new[] { nameof(OrderedLockValidated), nameof(OrderedLockValidatedNested) })]
    public void ValidationOn()
    {
        LockOrderValidator.Reset();
        LockOrderValidator.Policy = LockOrderPolicy.Report;
        using (_ordered.EnterScope())
        using (_innerOrdered.EnterScope())
        {
        }
    }

    /// <summary>Validation off (and forgotten) again, so the other benchmarks of the process run with the default.</summary>
    [GlobalCleanup(Targets = new[] { nameof(OrderedLockValidated), nameof(OrderedLockValidatedNested) })]
    public void ValidationOff() => LockOrderValidator.Reset();

    [Benchmark(Baseline = true, OperationsPerInvoke = Operations)]
    [BenchmarkCategory(Single)]
    public int LockStatement()
    {
        for (int i = 0; i < Operations; i++)
        {
            lock (_monitor)
            {
                _counter++;
            }
        }

        return _counter;
    }

    [Benchmark(OperationsPerInvoke = Operations)]
    [BenchmarkCategory(Single)]
    public int LockStatementOnLock()
    {
        for (int i = 0; i < Operations; i++)
        {
            lock (_lock)
            {
                _counter++;
            }
        }

        return _counter;
    }

    [Benchmark(OperationsPerInvoke = Operations)]
    [BenchmarkCategory(Single)]
    public int OrderedLockOff()
    {
        for (int i = 0; i < Operations; i++)
        {
            using (_ordered.EnterScope())
            {
                _counter++;
            }
        }

        return _counter;
    }

    [Benchmark(OperationsPerInvoke = Operations)]
    [BenchmarkCategory(Single)]
    public int OrderedLockValidated()
    {
        for (int i = 0; i < Operations; i++)
        {
            using (_ordered.EnterScope())
            {
                _counter++;
            }
        }

        return _counter;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Operations)]
    [BenchmarkCategory(Nested)]
    public int LockStatementNested()
    {
        for (int i = 0; i < Operations; i++)
        {
            lock (_monitor)
            {
                lock (_innerMonitor)
                {
                    _counter++;
                }
            }
        }

        return _counter;
    }

    [Benchmark(OperationsPerInvoke = Operations)]
    [BenchmarkCategory(Nested)]
    public int LockStatementOnLockNested()
    {
        for (int i = 0; i < Operations; i++)
        {
            lock (_lock)
            {
                lock (_innerLock)
                {
                    _counter++;
                }
            }
        }

        return _counter;
    }

    [Benchmark(OperationsPerInvoke = Operations)]
    [BenchmarkCategory(Nested)]
    public int OrderedLockOffNested()
    {
        for (int i = 0; i < Operations; i++)
        {
            using (_ordered.EnterScope())
            using (_innerOrdered.EnterScope())
            {
                _counter++;
            }
        }

        return _counter;
    }

    [Benchmark(OperationsPerInvoke = Operations)]
    [BenchmarkCategory(Nested)]
    public int OrderedLockValidatedNested()
    {
        for (int i = 0; i < Operations; i++)
        {
            using (_ordered.EnterScope())
            using (_innerOrdered.EnterScope())
            {
                _counter++;
            }
        }

        return _counter;
    }
}
