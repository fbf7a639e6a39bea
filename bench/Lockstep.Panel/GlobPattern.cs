using System.Text;
using System.Text.RegularExpressions;

namespace Lockstep.Panel;

/// <summary>
/// A path pattern as MSBuild items write them: <c>**</c> spans folders, <c>*</c> and <c>?</c> stay within one name.
/// Matched against repository-relative paths with forward slashes, ignoring case (the panel's libraries are also built
/// on Windows, where their own excludes were written).
/// </summary>
public sealed class GlobPattern
{
    private readonly Regex _regex;

    public GlobPattern(string pattern)
    {
        Pattern = pattern;
        _regex = new Regex("^" + ToRegex(pattern.Replace('\\', '/')) + "$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    }

    public string Pattern { get; }

    public bool IsMatch(string relativePath) => _regex.IsMatch(relativePath);

    private static string ToRegex(string pattern)
    {
        var regex = new StringBuilder();
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            if (c == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                // "**/" is zero or more whole folders; a trailing "**" is everything below.
                bool folder = i + 2 < pattern.Length && pattern[i + 2] == '/';
                regex.Append(folder ? "(?:.*/)?" : ".*");
                i += folder ? 2 : 1;
            }
            else if (c == '*')
            {
                regex.Append("[^/]*");
            }
            else if (c == '?')
            {
                regex.Append("[^/]");
            }
            else
            {
                regex.Append(Regex.Escape(c.ToString()));
            }
        }

        return regex.ToString();
    }
}
