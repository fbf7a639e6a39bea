namespace Lockstep.Panel;

/// <summary>Compiler errors of one ID on a library, with one example, to see which missing reference would pay most.</summary>
public sealed record CompilerErrorGroup(string Id, int Count, string Example);
