namespace Lockstep.Analyzers.Tests.Verifiers;

internal static class LineEndings
{
    /// <summary>
    /// Test sources come from raw string literals whose line endings follow the checkout (CRLF on some Windows
    /// clones); positions and fixed-code comparisons must not depend on that.
    /// </summary>
    public static string Normalize(string text) => text.Replace("\r\n", "\n").Replace('\r', '\n');
}
