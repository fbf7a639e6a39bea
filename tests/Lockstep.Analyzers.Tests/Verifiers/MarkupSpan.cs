using Microsoft.CodeAnalysis.Text;

namespace Lockstep.Analyzers.Tests.Verifiers;

/// <summary>One marked span, in positions of the text with all markup removed.</summary>
internal sealed record MarkupSpan(MarkupKind Kind, TextSpan Span, string? DiagnosticId = null, int LocationKey = -1);
