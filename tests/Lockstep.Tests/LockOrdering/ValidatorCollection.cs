using System;

namespace Lockstep.Tests.LockOrdering;

/// <summary>
/// Tests that switch <see cref="LockOrderValidator.Policy"/> (process-wide) run in this collection: one at a time, and
/// after the parallel tests, so no other test takes <see cref="OrderedLock"/>s while a policy is on.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ValidatorCollection
{
    public const string Name = "LockOrderValidator (process-wide policy)";
}

/// <summary>Resets the validator before and after each test, so every test starts with policy Off and no edges.</summary>
public abstract class ValidatorTestBase : IDisposable
{
    protected ValidatorTestBase()
    {
        LockOrderValidator.Reset();
    }

    public void Dispose()
    {
        LockOrderValidator.Reset();
        GC.SuppressFinalize(this);
    }
}
