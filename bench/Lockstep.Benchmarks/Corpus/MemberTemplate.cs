using System;

namespace Lockstep.Benchmarks.Corpus;

/// <summary>
/// One kind of class member the generator can write. For correct code <paramref name="Weight"/> is the relative
/// chance of being picked; for a pitfall (<paramref name="PitfallFamily"/> = the Lockstep category without the
/// <c>Lockstep.</c> prefix whose rules should report it) it is the exact number of copies seeded in the corpus.
/// </summary>
internal sealed record MemberTemplate(string Name, double Weight, string? PitfallFamily, Func<FileContext, ClassContext, string> Build);
