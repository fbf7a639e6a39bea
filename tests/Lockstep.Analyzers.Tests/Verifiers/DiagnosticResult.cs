using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Lockstep.Analyzers.Tests.Verifiers;

/// <summary>
/// An expected diagnostic. Immutable: every <c>With…</c> method returns a copy, so a shared result such as
/// <c>Verify.Diagnostic()</c> can be refined per test. Lines and columns passed in are one-based.
/// </summary>
/// <remarks>
/// A result without any location expects a diagnostic without a source location (<see cref="Location.None"/>),
/// as in Microsoft.CodeAnalysis.Testing; <see cref="WithNoLocation"/> states that explicitly. The first location
/// is the primary one; each further <c>WithLocation</c>/<c>WithSpan</c> adds an additional location, compared
/// in order with <see cref="Diagnostic.AdditionalLocations"/>.
/// </remarks>
public readonly struct DiagnosticResult
{
    /// <summary>An empty array, for <c>VerifyCodeFixAsync(source, DiagnosticResult.EmptyDiagnosticResults, fixedSource)</c>.</summary>
    public static readonly DiagnosticResult[] EmptyDiagnosticResults = Array.Empty<DiagnosticResult>();

    // default(DiagnosticResult) leaves this default; Spans reads it as empty.
    private readonly ImmutableArray<DiagnosticLocation> _spans;

    public DiagnosticResult(string id, DiagnosticSeverity severity)
        : this(id, severity, ImmutableArray<DiagnosticLocation>.Empty, message: null, messageArguments: null, messageFormat: null)
    {
    }

    public DiagnosticResult(DiagnosticDescriptor descriptor)
        : this((descriptor ?? throw new ArgumentNullException(nameof(descriptor))).Id, descriptor.DefaultSeverity,
               ImmutableArray<DiagnosticLocation>.Empty, message: null, messageArguments: null, descriptor.MessageFormat)
    {
    }

    private DiagnosticResult(
        string id,
        DiagnosticSeverity? severity,
        ImmutableArray<DiagnosticLocation> spans,
        string? message,
        object?[]? messageArguments,
        LocalizableString? messageFormat)
    {
        Id = id;
        Severity = severity;
        _spans = spans;
        Message = message;
        MessageArguments = messageArguments;
        MessageFormat = messageFormat;
    }

    public string Id { get; }

    /// <summary>The expected severity, or <see langword="null"/> when any severity is accepted (markup with a compiler ID).</summary>
    public DiagnosticSeverity? Severity { get; }

    /// <summary>Expected locations: primary first, then additional locations. Default (unset) reads as empty.</summary>
    public ImmutableArray<DiagnosticLocation> Spans => _spans.IsDefault ? ImmutableArray<DiagnosticLocation>.Empty : _spans;

    public bool HasLocation => !Spans.IsEmpty;

    /// <summary>The exact expected message, set by <see cref="WithMessage"/>.</summary>
    public string? Message { get; }

    /// <summary>Arguments formatted into <see cref="MessageFormat"/> (or the actual descriptor's format) to get the expected message.</summary>
    public object?[]? MessageArguments { get; }

    /// <summary>The descriptor's message format, known when the result was made from a descriptor.</summary>
    public LocalizableString? MessageFormat { get; }

    public static DiagnosticResult CompilerError(string identifier) => new(identifier, DiagnosticSeverity.Error);

    public static DiagnosticResult CompilerWarning(string identifier) => new(identifier, DiagnosticSeverity.Warning);

    /// <summary>A result whose severity is not compared; markup such as <c>{|CS0103:x|}</c> produces these.</summary>
    internal static DiagnosticResult WithAnySeverity(string id) =>
        new(id, severity: null, ImmutableArray<DiagnosticLocation>.Empty, message: null, messageArguments: null, messageFormat: null);

    /// <summary>Expects the diagnostic to start at <paramref name="line"/>:<paramref name="column"/> in the first source file; its end is not compared.</summary>
    public DiagnosticResult WithLocation(int line, int column) => WithLocation(string.Empty, line, column);

    public DiagnosticResult WithLocation(string path, int line, int column)
    {
        var start = ToLinePosition(line, column);
        return AddLocation(new DiagnosticLocation(new FileLinePositionSpan(path, start, start), DiagnosticLocationOptions.IgnoreLength));
    }

    /// <summary>Expects the span marked <c>{|#markupKey:…|}</c> in the sources.</summary>
    public DiagnosticResult WithLocation(int markupKey) => AddLocation(DiagnosticLocation.ForMarkupKey(markupKey));

    public DiagnosticResult WithLocation(DiagnosticLocation location) => AddLocation(location);

    public DiagnosticResult WithSpan(int startLine, int startColumn, int endLine, int endColumn) =>
        WithSpan(string.Empty, startLine, startColumn, endLine, endColumn);

    public DiagnosticResult WithSpan(string path, int startLine, int startColumn, int endLine, int endColumn) =>
        WithSpan(new FileLinePositionSpan(path, ToLinePosition(startLine, startColumn), ToLinePosition(endLine, endColumn)));

    /// <summary>Adds a location from a zero-based span (the form Roslyn uses).</summary>
    public DiagnosticResult WithSpan(FileLinePositionSpan span) => AddLocation(new DiagnosticLocation(span, DiagnosticLocationOptions.None));

    /// <summary>Replaces the path of every location that has none (the default is the first source file).</summary>
    public DiagnosticResult WithDefaultPath(string path)
    {
        var spans = Spans.ToBuilder();
        for (var i = 0; i < spans.Count; i++)
        {
            if (spans[i].Span.Path.Length == 0 && !spans[i].IsMarkupKey)
                spans[i] = spans[i].WithPath(path);
        }

        return new(Id, Severity, spans.ToImmutable(), Message, MessageArguments, MessageFormat);
    }

    /// <summary>States that the diagnostic has no source location (the default when no location is added).</summary>
    public DiagnosticResult WithNoLocation() =>
        new(Id, Severity, ImmutableArray<DiagnosticLocation>.Empty, Message, MessageArguments, MessageFormat);

    public DiagnosticResult WithSeverity(DiagnosticSeverity severity) =>
        new(Id, severity, Spans, Message, MessageArguments, MessageFormat);

    public DiagnosticResult WithArguments(params object?[] arguments) =>
        new(Id, Severity, Spans, Message, arguments ?? throw new ArgumentNullException(nameof(arguments)), MessageFormat);

    public DiagnosticResult WithMessage(string? message) =>
        new(Id, Severity, Spans, message, MessageArguments, MessageFormat);

    public DiagnosticResult WithMessageFormat(LocalizableString messageFormat) =>
        new(Id, Severity, Spans, Message, MessageArguments, messageFormat);

    internal DiagnosticResult WithSpans(ImmutableArray<DiagnosticLocation> spans) =>
        new(Id, Severity, spans, Message, MessageArguments, MessageFormat);

    /// <summary>The result as C# that builds it, e.g. <c>Verify.Diagnostic("LS3001").WithSpan(3, 5, 3, 21)</c>.</summary>
    public override string ToString() => DiagnosticFormatter.FormatExpected(this);

    private DiagnosticResult AddLocation(DiagnosticLocation location) =>
        new(Id, Severity, Spans.Add(location), Message, MessageArguments, MessageFormat);

    private static LinePosition ToLinePosition(int line, int column)
    {
        // One-based in the API (as editors show them), zero-based inside Roslyn.
        if (line < 1)
            throw new ArgumentOutOfRangeException(nameof(line), line, "Lines are one-based.");
        if (column < 1)
            throw new ArgumentOutOfRangeException(nameof(column), column, "Columns are one-based.");
        return new LinePosition(line - 1, column - 1);
    }
}
