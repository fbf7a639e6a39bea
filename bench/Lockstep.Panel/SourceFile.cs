namespace Lockstep.Panel;

/// <summary>A C# file of a library: its full path, and its path in the repository (what findings and reports show).</summary>
public sealed record SourceFile(string FullPath, string RelativePath);
