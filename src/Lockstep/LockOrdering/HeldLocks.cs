using System;

namespace Lockstep;

/// <summary>
/// The <see cref="OrderedLock"/>s the current thread holds, outermost first, with where each was acquired: the
/// per-thread stack of <see cref="LockOrderValidator"/>. Only the owning thread touches it. Re-entries are not
/// pushed; locks taken while the policy was <see cref="LockOrderPolicy.Off"/> are not either.
/// </summary>
internal sealed class HeldLocks
{
    [ThreadStatic]
    private static HeldLocks? t_current;

    private long _lastBatch;

    internal Entry[] Entries = new Entry[8];
    internal int Count;

    internal static HeldLocks Current => t_current ??= new HeldLocks();

    internal static HeldLocks? CurrentOrNull => t_current;

    /// <summary>A new id for one <see cref="Locks.AcquireInOrder"/> call on this thread; 0 means "not in a batch".</summary>
    internal long NextBatch() => ++_lastBatch;

    internal void Push(OrderedLock held, long batch, string memberName, string filePath, int lineNumber)
    {
        if (Count == Entries.Length)
            Array.Resize(ref Entries, Count * 2);

        ref Entry entry = ref Entries[Count++];
        entry.Lock = held;
        entry.Batch = batch;
        entry.MemberName = memberName;
        entry.FilePath = filePath;
        entry.LineNumber = lineNumber;
    }

    /// <summary>Removes <paramref name="released"/>; usually the top entry, but locks may be released in any order.</summary>
    internal void Remove(OrderedLock released)
    {
        for (int i = Count - 1; i >= 0; i--)
        {
            if (!ReferenceEquals(Entries[i].Lock, released))
                continue;

            Count--;
            if (i < Count)
                Array.Copy(Entries, i + 1, Entries, i, Count - i);
            Entries[Count] = default;
            return;
        }
    }

    internal struct Entry
    {
        public OrderedLock Lock;
        public long Batch;
        public string MemberName;
        public string FilePath;
        public int LineNumber;

        public readonly AcquisitionSite Site => new(MemberName, FilePath, LineNumber);
    }
}
