using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using Lockstep.Analyzers.Catalogue;
using Lockstep.Analyzers.Rules.LockUsage;
using Microsoft.CodeAnalysis;

namespace Lockstep.Analyzers;

/// <summary>
/// The typed entries of <see cref="Diagnostic.Properties"/> that analyzers write for their code fixes, each with its
/// key (<see cref="DiagnosticPropertyKeys"/>) and the one way its value is formatted and parsed. Analyzer and fixer both
/// go through these, so a value the fixer reads is always one the analyzer wrote.
/// </summary>
internal static class FixProperties
{
    public static readonly FixProperty<AwaitFixKind> AwaitFix = EnumProperty<AwaitFixKind>(DiagnosticPropertyKeys.AwaitFix);
    public static readonly FixProperty<string> AsyncCounterpart = TextProperty(DiagnosticPropertyKeys.AsyncCounterpart);
    public static readonly FixProperty<RaceFixKind> RaceFix = EnumProperty<RaceFixKind>(DiagnosticPropertyKeys.RaceFix);
    public static readonly FixProperty<int> RegionStart = IntProperty(DiagnosticPropertyKeys.RegionStart);
    public static readonly FixProperty<HoldLockFixKind> HoldLockFix = EnumProperty<HoldLockFixKind>(DiagnosticPropertyKeys.HoldLockFix);
    public static readonly FixProperty<string> LockName = TextProperty(DiagnosticPropertyKeys.LockName);
    public static readonly FixProperty<WeakLockKind> WeakLockKind = EnumProperty<WeakLockKind>(DiagnosticPropertyKeys.WeakLockKind);
    public static readonly FixProperty<BlockingUnderLockFixKind> BlockingUnderLockFix = EnumProperty<BlockingUnderLockFixKind>(DiagnosticPropertyKeys.BlockingUnderLockFix);
    public static readonly FixProperty<ReleaseFixKind> ReleaseFix = EnumProperty<ReleaseFixKind>(DiagnosticPropertyKeys.ReleaseFix);
    public static readonly FixProperty<string> AsyncLockField = TextProperty(DiagnosticPropertyKeys.AsyncLockField);
    public static readonly FixProperty<WorkerWaitFixKind> WorkerWaitFix = EnumProperty<WorkerWaitFixKind>(DiagnosticPropertyKeys.WorkerWaitFix);
    public static readonly FixProperty<LockOrderFixKind> LockOrderFix = EnumProperty<LockOrderFixKind>(DiagnosticPropertyKeys.LockOrderFix);
    public static readonly FixProperty<ImmutableArray<(int Outer, int Inner)>> LockOrderFixPairs = new(DiagnosticPropertyKeys.LockOrderFixPairs, FormatPairs, TryParsePairs);
    public static readonly FixProperty<ThreadCreationFixKind> ThreadCreationFix = EnumProperty<ThreadCreationFixKind>(DiagnosticPropertyKeys.ThreadCreationFix);
    public static readonly FixProperty<int> StartSite = IntProperty(DiagnosticPropertyKeys.StartSite);

    /// <summary>No properties: the start of every diagnostic's set.</summary>
    public static ImmutableDictionary<string, string?> None => ImmutableDictionary<string, string?>.Empty;

    private static FixProperty<TEnum> EnumProperty<TEnum>(string key)
        where TEnum : struct, Enum =>
        new(key, value => value.ToString(), (string text, out TEnum value) => Enum.TryParse(text, ignoreCase: false, out value) && Enum.IsDefined(typeof(TEnum), value));

    private static FixProperty<int> IntProperty(string key) =>
        new(key, value => value.ToString(CultureInfo.InvariantCulture), (string text, out int value) => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value));

    private static FixProperty<string> TextProperty(string key) =>
        new(key, value => value, (string text, out string value) => (value = text).Length > 0);

    /// <summary><c>outer:inner</c> index pairs separated by <c>;</c>.</summary>
    private static string FormatPairs(ImmutableArray<(int Outer, int Inner)> pairs)
    {
        var parts = new List<string>(pairs.Length);
        foreach (var (outer, inner) in pairs)
            parts.Add(outer.ToString(CultureInfo.InvariantCulture) + ":" + inner.ToString(CultureInfo.InvariantCulture));
        return string.Join(";", parts);
    }

    private static bool TryParsePairs(string text, out ImmutableArray<(int Outer, int Inner)> pairs)
    {
        pairs = default;
        var builder = ImmutableArray.CreateBuilder<(int, int)>();
        foreach (var pair in text.Split(';'))
        {
            var parts = pair.Split(':');
            if (parts.Length != 2
                || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int outer)
                || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int inner))
            {
                return false;
            }

            builder.Add((outer, inner));
        }

        pairs = builder.ToImmutable();
        return pairs.Length > 0;
    }
}

/// <summary>One typed entry of <see cref="Diagnostic.Properties"/>.</summary>
internal sealed class FixProperty<T>
{
    public delegate bool Parser(string text, out T value);

    private readonly Func<T, string> _format;
    private readonly Parser _parse;

    public FixProperty(string key, Func<T, string> format, Parser parse)
    {
        Key = key;
        _format = format;
        _parse = parse;
    }

    public string Key { get; }

    /// <summary>The properties with this entry set to <paramref name="value"/>.</summary>
    public ImmutableDictionary<string, string?> Set(ImmutableDictionary<string, string?> properties, T value) =>
        properties.SetItem(Key, _format(value));

    /// <summary>The value the analyzer wrote; false when the entry is absent or not one this property writes.</summary>
    public bool TryGet(Diagnostic diagnostic, out T value)
    {
        value = default!;
        return diagnostic.Properties.TryGetValue(Key, out var text) && text is not null && _parse(text, out value);
    }

    public bool IsSet(Diagnostic diagnostic) => TryGet(diagnostic, out _);
}
