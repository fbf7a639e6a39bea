using System.Collections.Generic;

namespace Lockstep.Panel;

/// <summary>
/// A package found in the packages folder: the version and framework folder used, its compile assemblies, and the
/// source generator assemblies it ships for C# (what a build of a project referencing it would run).
/// </summary>
public sealed record ResolvedPackage(string Id, string Version, string Framework, IReadOnlyList<string> Assemblies, IReadOnlyList<string> Generators);
