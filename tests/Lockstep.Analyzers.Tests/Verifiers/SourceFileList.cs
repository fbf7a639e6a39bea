using System.Diagnostics.CodeAnalysis;

namespace Lockstep.Analyzers.Tests.Verifiers;

/// <summary>
/// C# sources: plain strings get the next default name (<c>/0/Test0.cs</c>, <c>/0/Test1.cs</c>…), pairs keep theirs.
/// The name is fixed when the source is added, so <c>TestState.Sources</c> and <c>FixedState.Sources</c> filled in
/// the same order name their files alike.
/// </summary>
public sealed class SourceFileList : SourceFileCollection
{
    private readonly string _defaultPrefix;
    private readonly string _defaultExtension;

    public SourceFileList(string defaultPrefix, string defaultExtension)
    {
        _defaultPrefix = defaultPrefix;
        _defaultExtension = defaultExtension;
    }

    public void Add([StringSyntax("C#-test")] string content) => Add(($"{_defaultPrefix}{Count}.{_defaultExtension}", content));
}
