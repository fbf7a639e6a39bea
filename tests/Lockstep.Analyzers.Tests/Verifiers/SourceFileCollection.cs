using System.Collections.Generic;

namespace Lockstep.Analyzers.Tests.Verifiers;

/// <summary>
/// Files given as <c>(filename, content)</c> pairs, for example
/// <c>AnalyzerConfigFiles = { ("/.editorconfig", "root = true\n[*.cs]\nkey = value") }</c>.
/// </summary>
public class SourceFileCollection : List<(string filename, string content)>
{
}
