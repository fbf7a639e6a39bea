namespace Lockstep.Panel;

/// <summary>
/// One Lockstep diagnostic on a library: where (repository-relative path, 1-based line and column), which rule, the
/// level the rule has by default (every rule is forced on for the run, so this is what a user would see), and the message.
/// </summary>
public sealed record Finding(string Library, string Path, int Line, int Column, string Rule, DefaultLevel Level, string Message);
