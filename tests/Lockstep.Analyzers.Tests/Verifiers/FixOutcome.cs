using System.Collections.Generic;

namespace Lockstep.Analyzers.Tests.Verifiers;

/// <summary>Where a run of code fixes ended: the last project's analysis, and what was applied on the way (for failure messages).</summary>
internal sealed record FixOutcome(AnalysisResult FinalAnalysis, int Iterations, IReadOnlyList<string> Log);
