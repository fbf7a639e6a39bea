using System;

namespace Lockstep;

/// <summary>
/// Where a lock was acquired, as the compiler filled in the caller-information parameters of
/// <see cref="OrderedLock.EnterScope"/>: no stack trace is taken.
/// </summary>
public sealed class AcquisitionSite : IEquatable<AcquisitionSite>
{
    internal static readonly AcquisitionSite AcquireInOrder = new(nameof(Locks) + "." + nameof(Locks.AcquireInOrder), "", 0);

    internal AcquisitionSite(string memberName, string filePath, int lineNumber)
    {
        MemberName = memberName ?? "";
        FilePath = filePath ?? "";
        LineNumber = lineNumber;
    }

    /// <summary>The method, property or constructor that acquired the lock (its simple name), or empty if unknown.</summary>
    public string MemberName { get; }

    /// <summary>The full path of the source file at compile time, or empty if unknown.</summary>
    public string FilePath { get; }

    /// <summary>The line of the acquisition in <see cref="FilePath"/>, or 0 if unknown.</summary>
    public int LineNumber { get; }

    /// <summary>Whether the site has a source location (a file and a line).</summary>
    public bool HasLocation => FilePath.Length != 0 && LineNumber > 0;

    /// <summary>Whether two sites name the same member, file and line.</summary>
    /// <param name="other">The site to compare with.</param>
    /// <returns><see langword="true"/> if <paramref name="other"/> is the same site.</returns>
    public bool Equals(AcquisitionSite? other) =>
        other is not null
        && string.Equals(MemberName, other.MemberName, StringComparison.Ordinal)
        && string.Equals(FilePath, other.FilePath, StringComparison.Ordinal)
        && LineNumber == other.LineNumber;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as AcquisitionSite);

    /// <inheritdoc/>
    public override int GetHashCode() =>
        unchecked((StringComparer.Ordinal.GetHashCode(MemberName) * 31 + StringComparer.Ordinal.GetHashCode(FilePath)) * 31 + LineNumber);

    /// <summary>The site as <c>Member (File.cs:42)</c>, with the file name only.</summary>
    /// <returns>A short description of the site.</returns>
    public override string ToString()
    {
        string member = MemberName.Length != 0 ? MemberName : "<unknown member>";
        if (!HasLocation)
            return member;
        return $"{member} ({FileName(FilePath)}:{LineNumber})";
    }

    // Path.GetFileName on the running OS does not split a path compiled on the other one.
    private static string FileName(string path)
    {
        int slash = Math.Max(path.LastIndexOf('/'), path.LastIndexOf('\\'));
        return slash >= 0 ? path.Substring(slash + 1) : path;
    }
}
