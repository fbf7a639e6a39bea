using System;
using System.Runtime.CompilerServices;

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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Push(OrderedLock held, long batch, string memberName, string filePath, int lineNumber)
    {
        Entry[] entries = Entries;
        int count = Count;
        if ((uint)count >= (uint)entries.Length)
        {
            Array.Resize(ref Entries, count * 2);
            entries = Entries;
        }

        ref Entry entry = ref entries[count];
        Count = count + 1;

        // A popped slot keeps its references, and a loop pushes the same lock and site into the same slot again and
        // again: compare before storing, since a reference store into the heap costs a GC write barrier.
        if (!ReferenceEquals(entry.Lock, held))
            entry.Lock = held;
        if (!ReferenceEquals(entry.MemberName, memberName))
            entry.MemberName = memberName;
        if (!ReferenceEquals(entry.FilePath, filePath))
            entry.FilePath = filePath;
        entry.Batch = batch;
        entry.LineNumber = lineNumber;
    }

    /// <summary>Removes <paramref name="released"/>; usually the top entry, but locks may be released in any order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Remove(OrderedLock released)
    {
        int top = Count - 1;
        if (top >= 0 && ReferenceEquals(Entries[top].Lock, released))
        {
            // The slot keeps its references until it is reused: at most one lock per slot of the deepest nesting.
            Count = top;
            return;
        }

        RemoveBelowTop(released);
    }

    private void RemoveBelowTop(OrderedLock released)
    {
        for (int i = Count - 2; i >= 0; i--)
        {
            if (!ReferenceEquals(Entries[i].Lock, released))
                continue;

            Count--;
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
