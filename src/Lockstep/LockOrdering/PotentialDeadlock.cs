using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Lockstep;

/// <summary>
/// A potential deadlock found by <see cref="LockOrderValidator"/>: lock orders that, run at the same time on
/// different threads, can wait for each other forever. It is found the first time the conflicting order is
/// observed, whether or not a deadlock actually happened.
/// </summary>
public sealed class PotentialDeadlock
{
    internal PotentialDeadlock(PotentialDeadlockKind kind, string[] lockNames, LockOrderEdge[] edges)
    {
        Kind = kind;
        LockNames = Array.AsReadOnly(lockNames);
        Edges = Array.AsReadOnly(edges);
        Message = BuildMessage(kind, lockNames, edges);
    }

    /// <summary>Whether this is a cycle in the lock-order graph or a rank inversion.</summary>
    public PotentialDeadlockKind Kind { get; }

    /// <summary>
    /// The locks involved, in order. For <see cref="PotentialDeadlockKind.LockOrderCycle"/>: the cycle, each lock
    /// acquired while the previous one was held, and the first while the last one was held; it starts with the lock
    /// held at the acquisition that closed the cycle, followed by the lock being acquired. A single name is a lock
    /// class nested in itself (two instances of the same name). For <see cref="PotentialDeadlockKind.RankInversion"/>:
    /// the held lock, then the acquired one.
    /// </summary>
    public IReadOnlyList<string> LockNames { get; }

    /// <summary>
    /// For each lock in <see cref="LockNames"/>, the edge from it to the next (for the last, to the first) with both
    /// acquisition sites. <c>Edges[0]</c> is the acquisition that found the problem; the others are the first
    /// observations of the orders it conflicts with. For a rank inversion there is one edge.
    /// </summary>
    public IReadOnlyList<LockOrderEdge> Edges { get; }

    /// <summary>A description over several lines: the cycle or the ranks, and every edge with its sites.</summary>
    public string Message { get; }

    /// <summary>Returns <see cref="Message"/>.</summary>
    /// <returns><see cref="Message"/>.</returns>
    public override string ToString() => Message;

    private static string BuildMessage(PotentialDeadlockKind kind, IReadOnlyList<string> lockNames, IReadOnlyList<LockOrderEdge> edges)
    {
        var text = new StringBuilder();
        if (kind == PotentialDeadlockKind.RankInversion)
        {
            LockOrderEdge edge = edges[0];
            text.Append("Potential deadlock: lock rank inversion: '").Append(edge.AcquiredLockName).Append("' (rank ")
                .Append(Rank(edge.AcquiredLockRank)).Append(") acquired while holding '").Append(edge.HeldLockName)
                .Append("' (rank ").Append(Rank(edge.HeldLockRank))
                .Append("); ranked locks must be acquired in strictly increasing rank order.");
        }
        else if (lockNames.Count == 1)
        {
            text.Append("Potential deadlock: two locks of class '").Append(lockNames[0])
                .Append("' nested, in an order that depends on the instances; take them with Locks.AcquireInOrder, or give them increasing ranks or different names.");
        }
        else
        {
            text.Append("Potential deadlock: lock order cycle ");
            foreach (string name in lockNames)
                text.Append('\'').Append(name).Append("' → ");
            text.Append('\'').Append(lockNames[0]).Append("'.");
        }

        for (int i = 0; i < edges.Count; i++)
        {
            text.AppendLine().Append("  ").Append(edges[i].ToString());
            if (i == 0)
                text.Append(" [this acquisition]");
            else
                text.Append(" [first seen]");
        }

        return text.ToString();
    }

    private static string Rank(int? rank) => rank is int r ? r.ToString(CultureInfo.InvariantCulture) : "none";
}
