using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Lockstep.Analyzers.Catalogue;

/// <summary>What the timeout argument of a wait says about how long the call can block.</summary>
internal enum TimeoutKind
{
    /// <summary>The call has no timeout argument the caller wrote.</summary>
    None,

    /// <summary><c>-1</c>, <c>Timeout.Infinite</c>, <c>Timeout.InfiniteTimeSpan</c>: waits for ever.</summary>
    Infinite,

    /// <summary><c>0</c> or <c>TimeSpan.Zero</c>: never waits, it only tests.</summary>
    Zero,

    /// <summary>Any other value: waits at most that long, then gives up.</summary>
    Finite,
}

/// <summary>
/// Reads the timeout a caller passes to a wait or an acquisition (a millisecond count of a BCL primitive, or a
/// <c>TimeSpan</c>). One reader for the lock rules and the blocking rules, so "a zero timeout never waits" means the
/// same everywhere.
/// </summary>
internal sealed class Timeouts
{
    private readonly KnownTypes _types;
    private readonly MemberSet _infinite;
    private readonly MemberSet _zeroTimeSpan;

    public Timeouts(KnownTypes types)
    {
        _types = types;
        _infinite = MemberSet.Of(types.Timeout, "Infinite", "InfiniteTimeSpan");
        _zeroTimeSpan = MemberSet.Of(types.TimeSpan, "Zero");
    }

    /// <summary>What one argument the caller wrote (a millisecond count or a <c>TimeSpan</c>) says; <see cref="TimeoutKind.None"/> for a default.</summary>
    public TimeoutKind OfArgument(IArgumentOperation argument)
    {
        if (argument.ArgumentKind == ArgumentKind.DefaultValue)
            return TimeoutKind.None;

        var value = argument.Value;
        while (value is IConversionOperation conversion)
            value = conversion.Operand;

        if (value.ConstantValue is { HasValue: true, Value: -1 or -1L or uint.MaxValue } || value is IFieldReferenceOperation infinite && _infinite.Contains(infinite.Field))
            return TimeoutKind.Infinite;
        if (value.ConstantValue is { HasValue: true, Value: 0 or 0L or 0u } || value is IFieldReferenceOperation zero && _zeroTimeSpan.Contains(zero.Field))
            return TimeoutKind.Zero;
        return TimeoutKind.Finite;
    }

    /// <summary>The first timeout argument the caller wrote (an <c>int</c> or, with <paramref name="timeSpanOnly"/>, only a <c>TimeSpan</c>).</summary>
    public TimeoutKind Of(IInvocationOperation invocation, bool timeSpanOnly = false)
    {
        foreach (var argument in invocation.Arguments)
        {
            // An argument the caller did not write (a [CallerLineNumber], a default) is no timeout the caller chose.
            var type = argument.Parameter?.Type;
            if (type is null || argument.ArgumentKind == ArgumentKind.DefaultValue)
                continue;
            if (!KnownTypes.Is(type, _types.TimeSpan) && (timeSpanOnly || type.SpecialType != SpecialType.System_Int32))
                continue;

            var value = argument.Value;
            while (value is IConversionOperation conversion)
                value = conversion.Operand;

            if (value.ConstantValue is { HasValue: true, Value: -1 } || value is IFieldReferenceOperation infinite && _infinite.Contains(infinite.Field))
                return TimeoutKind.Infinite;
            if (value.ConstantValue is { HasValue: true, Value: 0 } || value is IFieldReferenceOperation zero && _zeroTimeSpan.Contains(zero.Field))
                return TimeoutKind.Zero;
            return TimeoutKind.Finite;
        }

        return TimeoutKind.None;
    }
}
