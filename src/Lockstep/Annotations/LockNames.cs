using System;
using System.Collections.Generic;

namespace Lockstep;

/// <summary>Argument checks shared by the annotations that name locks.</summary>
internal static class LockNames
{
    public static string Validate(string lockName, string parameterName, string attributeName)
    {
        if (lockName is null)
            throw new ArgumentNullException(parameterName, $"[{attributeName}] needs the name of a lock: write nameof(_sync) for a field or property of the same type, or \"this\".");
        if (lockName.Trim().Length == 0)
            throw new ArgumentException($"[{attributeName}] needs the name of a lock, not an empty or blank string: write nameof(_sync) for a field or property of the same type, or \"this\".", parameterName);
        return lockName;
    }

    public static IReadOnlyList<string> ValidateAll(string[] lockNames, string parameterName, string attributeName)
    {
        if (lockNames is null)
            throw new ArgumentNullException(parameterName, $"[{attributeName}] needs the names of one or more locks, for example nameof(_second).");
        if (lockNames.Length == 0)
            throw new ArgumentException($"[{attributeName}] needs the names of one or more locks, for example nameof(_second); none were given.", parameterName);

        var copy = new string[lockNames.Length];
        for (int i = 0; i < lockNames.Length; i++)
        {
            if (lockNames[i] is null || lockNames[i].Trim().Length == 0)
                throw new ArgumentException($"[{attributeName}] lock name at index {i} is null, empty or blank; write nameof(_lock) for each lock.", parameterName);
            copy[i] = lockNames[i];
        }

        return Array.AsReadOnly(copy);
    }
}
