using System;

namespace Lockstep.Analyzers.Tests.Verifiers;

/// <summary>How a <see cref="DiagnosticLocation"/> is compared with the location of an actual diagnostic.</summary>
[Flags]
public enum DiagnosticLocationOptions
{
    /// <summary>Path, start and end must all match.</summary>
    None = 0,

    /// <summary>Only path and start are compared: <c>WithLocation(line, column)</c> does not know where the span ends.</summary>
    IgnoreLength = 1,

    /// <summary>The location is a markup key (<c>{|#0:…|}</c>) that is replaced by the marked span before comparing.</summary>
    InterpretAsMarkupKey = 2,
}
