using System;
using System.Threading;

namespace Lockstep;

/// <summary>
/// A lock class for <see cref="LockOrderValidator"/>: every <see cref="OrderedLock"/> created with one name. Its
/// outgoing edges (classes acquired while one of its locks was held) are a sorted array, replaced whole under the
/// validator's lock and read without a lock on the acquisition path.
/// </summary>
internal sealed class LockClass
{
    private int[] _successors = Array.Empty<int>();

    internal LockClass(int id, string name)
    {
        Id = id;
        Name = name;
    }

    internal int Id { get; }

    internal string Name { get; }

    internal int[] Successors => Volatile.Read(ref _successors);

    internal bool HasSuccessor(int id)
    {
        int[] successors = Volatile.Read(ref _successors);
        int low = 0;
        int high = successors.Length - 1;
        while (low <= high)
        {
            int middle = (low + high) >> 1;
            int value = successors[middle];
            if (value == id)
                return true;
            if (value < id)
                low = middle + 1;
            else
                high = middle - 1;
        }

        return false;
    }

    // Under the validator's lock.
    internal void AddSuccessor(int id)
    {
        int[] old = _successors;
        int index = Array.BinarySearch(old, id);
        if (index >= 0)
            return;

        index = ~index;
        var updated = new int[old.Length + 1];
        Array.Copy(old, 0, updated, 0, index);
        updated[index] = id;
        Array.Copy(old, index, updated, index + 1, old.Length - index);
        Volatile.Write(ref _successors, updated);
    }

    // Under the validator's lock.
    internal void ClearSuccessors() => Volatile.Write(ref _successors, Array.Empty<int>());

    public override string ToString() => Name;
}
