using System;

namespace Lockstep.Tests.Testing;

/// <summary>Uses a value of a ref struct type (a thread-bound scope) inside a delegate, which cannot capture one.</summary>
internal delegate void RefStructUse<T>(T value)
    where T : allows ref struct;

/// <summary>
/// <c>Record.Exception</c> for thread-bound scopes: they are ref structs on .NET 8 and later, so a lambda cannot capture
/// them and <c>Assert.Throws(() => scope.Dispose())</c> does not compile. The scope is passed in instead.
/// </summary>
internal static class RefStructs
{
    public static Exception? Catch<T>(T value, RefStructUse<T> use)
        where T : allows ref struct
    {
        try
        {
            use(value);
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }
}
