using System.Collections.Immutable;
using Microsoft.CodeAnalysis.Text;

namespace Lockstep.Analyzers.Tests.Verifiers;

/// <summary>A test file after markup removal: its path, plain text and the spans the markup marked.</summary>
internal sealed record PreparedFile(string Path, string Text, ImmutableArray<MarkupSpan> Markup)
{
    private SourceText? _sourceText;

    public SourceText SourceText => _sourceText ??= SourceText.From(Text);
}
