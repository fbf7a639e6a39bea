using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Lockstep.Analyzers.Tests.Verifiers;

/// <summary>
/// One expected location of a <see cref="DiagnosticResult"/>. Lines and columns are stored zero-based, as in
/// <see cref="FileLinePositionSpan"/>; the public <c>WithSpan</c>/<c>WithLocation</c> helpers take one-based values.
/// An empty <see cref="FileLinePositionSpan.Path"/> means "the first source file".
/// </summary>
public readonly struct DiagnosticLocation
{
    public DiagnosticLocation(FileLinePositionSpan span, DiagnosticLocationOptions options)
    {
        Span = span;
        Options = options;
    }

    public FileLinePositionSpan Span { get; }

    public DiagnosticLocationOptions Options { get; }

    /// <summary>The markup key when <see cref="DiagnosticLocationOptions.InterpretAsMarkupKey"/> is set (stored in the start line).</summary>
    internal int MarkupKey => Span.StartLinePosition.Line;

    internal bool IsMarkupKey => (Options & DiagnosticLocationOptions.InterpretAsMarkupKey) != 0;

    internal bool IgnoresLength => (Options & DiagnosticLocationOptions.IgnoreLength) != 0;

    internal static DiagnosticLocation ForMarkupKey(int key) =>
        new(new FileLinePositionSpan(string.Empty, new LinePosition(key, 0), new LinePosition(key, 0)),
            DiagnosticLocationOptions.InterpretAsMarkupKey);

    internal DiagnosticLocation WithPath(string path) => new(new FileLinePositionSpan(path, Span.Span), Options);
}
