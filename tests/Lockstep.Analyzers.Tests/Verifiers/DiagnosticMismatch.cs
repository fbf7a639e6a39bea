using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace Lockstep.Analyzers.Tests.Verifiers;

/// <summary>An expected and an actual diagnostic that are close (same ID, same line) but differ in the listed ways.</summary>
internal sealed record DiagnosticMismatch(DiagnosticResult Expected, Diagnostic Actual, IReadOnlyList<string> Differences);
