using System.Collections.Immutable;

namespace Lockstep.Analyzers.Tests.Verifiers;

/// <summary>A source with its markup removed, and the spans the markup marked, ordered by start then end.</summary>
internal sealed record MarkupParseResult(string Text, ImmutableArray<MarkupSpan> Spans);
