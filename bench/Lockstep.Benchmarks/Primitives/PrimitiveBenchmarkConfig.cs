using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Lockstep.Benchmarks.Primitives;

/// <summary>
/// The configuration every runtime-primitive benchmark shares: in process (no second project to build on a small
/// machine), applied as a mutator so <c>--job dry</c> or <c>--job short</c> stay one in-process job, and with the
/// memory diagnoser, since "no allocation on the uncontended path" is part of what the primitives promise.
/// </summary>
public sealed class PrimitiveBenchmarkConfig : ManualConfig
{
    public PrimitiveBenchmarkConfig()
    {
        AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).AsMutator());
        AddDiagnoser(MemoryDiagnoser.Default);
    }
}
