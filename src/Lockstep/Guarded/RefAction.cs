namespace Lockstep;

/// <summary>A callback that receives a value by reference and may change it in place.</summary>
/// <typeparam name="T">The type of the value.</typeparam>
/// <param name="value">The value; assignments to it change the original.</param>
/// <seealso cref="Guarded{T}.Update(RefAction{T})"/>
public delegate void RefAction<T>(ref T value);
