using System;
using System.Runtime.CompilerServices;

namespace Lockstep;

/// <summary>
/// The current thread's managed id, cached in a thread-static field. On .NET 10 (Linux x64),
/// <see cref="Environment.CurrentManagedThreadId"/> measured at a good part of an uncontended
/// <see cref="System.Threading.Monitor"/> enter and exit, a thread-static read at next to nothing; the lock paths read
/// the id twice. A thread's managed id never changes.
/// </summary>
internal static class CurrentThread
{
    [ThreadStatic]
    private static int t_id;

    internal static int Id
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            int id = t_id;
            return id != 0 ? id : Initialize();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Initialize() => t_id = Environment.CurrentManagedThreadId;
}
