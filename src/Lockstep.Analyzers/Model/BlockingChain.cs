using System.Collections.Immutable;

namespace Lockstep.Analyzers.Model;

/// <summary>A call chain that ends in a blocking call: <c>Pause → Thread.Sleep</c>.</summary>
internal sealed class BlockingChain
{
    public BlockingChain(ImmutableArray<string> steps) => Steps = steps;

    /// <summary>Method names from the first callee to the blocking API.</summary>
    public ImmutableArray<string> Steps { get; }

    public override string ToString() => string.Join(" → ", Steps);
}
