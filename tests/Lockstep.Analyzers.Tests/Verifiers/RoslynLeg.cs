using Microsoft.CodeAnalysis.CSharp;

namespace Lockstep.Analyzers.Tests.Verifiers;

/// <summary>
/// Every rule test runs twice: in <c>Lockstep.Analyzers.Tests</c> on the Roslyn floor the analyzers are built against
/// (4.5), and in <c>Lockstep.Analyzers.Tests.CurrentRoslyn</c>, which compiles the same test files against the newest
/// Roslyn served here with <c>CURRENT_ROSLYN</c> defined. Tests whose outcome depends on the leg ask this class.
/// </summary>
internal static class RoslynLeg
{
#if CURRENT_ROSLYN
    public static bool IsCurrent => true;

    /// <summary>What the .NET 10 SDK compiles net10.0 projects with when the project file names no LangVersion.</summary>
    public static LanguageVersion LanguageVersion => LanguageVersion.CSharp14;
#else
    public static bool IsCurrent => false;

    /// <summary>The newest C# version Roslyn 4.5 knows; users of the floor compilers cannot write anything newer.</summary>
    public static LanguageVersion LanguageVersion => LanguageVersion.CSharp11;
#endif

    /// <summary>
    /// The type of a lock field a fix adds: from C# 13 on, with .NET 9 or newer, a <c>System.Threading.Lock</c>; before
    /// that an <c>object</c>. The fixers choose by the language version, so tests of fixes that add a field expect this.
    /// </summary>
    public static string LockType => IsCurrent ? "Lock" : "object";
}
