using System.Globalization;

namespace Lockstep;

/// <summary>
/// One observed lock order: a thread held <see cref="HeldLockName"/> and acquired <see cref="AcquiredLockName"/>.
/// </summary>
/// <remarks>
/// Edges are recorded between lock classes (lock names), not instances. The validator keeps the first observation
/// of each edge, so the sites are where the order was first seen.
/// </remarks>
public sealed class LockOrderEdge
{
    internal LockOrderEdge(
        string heldLockName,
        int? heldLockRank,
        AcquisitionSite heldAt,
        string acquiredLockName,
        int? acquiredLockRank,
        AcquisitionSite acquiredAt,
        int threadId)
    {
        HeldLockName = heldLockName;
        HeldLockRank = heldLockRank;
        HeldAt = heldAt;
        AcquiredLockName = acquiredLockName;
        AcquiredLockRank = acquiredLockRank;
        AcquiredAt = acquiredAt;
        ThreadId = threadId;
    }

    /// <summary>The name (lock class) of the lock that was held.</summary>
    public string HeldLockName { get; }

    /// <summary>The rank of the held lock instance, or <see langword="null"/> if it has none.</summary>
    public int? HeldLockRank { get; }

    /// <summary>Where the held lock had been acquired.</summary>
    public AcquisitionSite HeldAt { get; }

    /// <summary>The name (lock class) of the lock acquired while <see cref="HeldLockName"/> was held.</summary>
    public string AcquiredLockName { get; }

    /// <summary>The rank of the acquired lock instance, or <see langword="null"/> if it has none.</summary>
    public int? AcquiredLockRank { get; }

    /// <summary>Where the second lock was acquired.</summary>
    public AcquisitionSite AcquiredAt { get; }

    /// <summary>The managed thread id of the thread that took the locks in this order.</summary>
    public int ThreadId { get; }

    /// <summary>The edge as one line: both locks, their ranks, both sites and the thread.</summary>
    /// <returns>A description of the edge.</returns>
    public override string ToString() =>
        $"'{HeldLockName}' → '{AcquiredLockName}': thread {ThreadId.ToString(CultureInfo.InvariantCulture)} held '{HeldLockName}'"
        + $" ({Describe(HeldLockRank)}taken in {HeldAt}) and took '{AcquiredLockName}' {Describe(AcquiredLockRank, parenthesised: true)}in {AcquiredAt}";

    private static string Describe(int? rank, bool parenthesised = false)
    {
        if (rank is not int r)
            return "";
        string text = "rank " + r.ToString(CultureInfo.InvariantCulture);
        return parenthesised ? "(" + text + ") " : text + ", ";
    }
}
