namespace Lockstep;

/// <summary>A callback that receives a value by reference, may change it in place, and returns a result.</summary>
/// <typeparam name="T">The type of the value.</typeparam>
/// <typeparam name="TResult">The type of the result.</typeparam>
/// <param name="value">The value; assignments to it change the original.</param>
/// <returns>A result computed while the value is in reach, for example the value after the change.</returns>
/// <seealso cref="Guarded{T}.Update{TResult}(RefFunc{T, TResult})"/>
public delegate TResult RefFunc<T, out TResult>(ref T value);
