using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Lockstep.Analyzers.Tests.Verifiers;

/// <summary>The one order diagnostics are listed and fixed in: file, span start, span end, ID.</summary>
internal static class DiagnosticOrder
{
    public static IOrderedEnumerable<Diagnostic> Sort(IEnumerable<Diagnostic> diagnostics) => diagnostics
        .OrderBy(d => d.Location.GetLineSpan().Path ?? string.Empty, StringComparer.Ordinal)
        .ThenBy(d => d.Location.SourceSpan.Start)
        .ThenBy(d => d.Location.SourceSpan.End)
        .ThenBy(d => d.Id, StringComparer.Ordinal);
}
