namespace Lockstep.Panel;

/// <summary>An analyzer that threw (what a build reports as AD0001): never acceptable, always listed.</summary>
public sealed record AnalyzerException(string Library, string Analyzer, string Exception);
