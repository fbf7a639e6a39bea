using System;
using System.Linq;
using System.Reflection;

namespace Lockstep.Tests.Annotations;

public sealed class AnnotationTests
{
    // The analyzers never reference the runtime library: they find these attributes by metadata name, so a rename or
    // a namespace move silently turns the contracts off. This pins the names.
    [Theory]
    [InlineData(typeof(GuardedByAttribute), "Lockstep.GuardedByAttribute")]
    [InlineData(typeof(RequiresLockAttribute), "Lockstep.RequiresLockAttribute")]
    [InlineData(typeof(RunsConcurrentlyAttribute), "Lockstep.RunsConcurrentlyAttribute")]
    [InlineData(typeof(AcquiredBeforeAttribute), "Lockstep.AcquiredBeforeAttribute")]
    [InlineData(typeof(AcquiredAfterAttribute), "Lockstep.AcquiredAfterAttribute")]
    public void Attribute_keeps_the_metadata_name_the_analyzers_look_for(Type attribute, string metadataName)
    {
        Assert.Equal(metadataName, attribute.FullName);
        Assert.True(attribute.IsSealed);
        Assert.True(attribute.IsPublic);
    }

    [Theory]
    [InlineData(typeof(GuardedByAttribute), AttributeTargets.Field | AttributeTargets.Property, false)]
    [InlineData(typeof(RequiresLockAttribute), AttributeTargets.Method | AttributeTargets.Constructor | AttributeTargets.Property, true)]
    [InlineData(typeof(RunsConcurrentlyAttribute), AttributeTargets.Method | AttributeTargets.Constructor | AttributeTargets.Property, false)]
    [InlineData(typeof(AcquiredBeforeAttribute), AttributeTargets.Field | AttributeTargets.Property, false)]
    [InlineData(typeof(AcquiredAfterAttribute), AttributeTargets.Field | AttributeTargets.Property, false)]
    public void Attribute_applies_to_the_documented_targets_and_is_not_inherited(Type attribute, AttributeTargets targets, bool allowMultiple)
    {
        var usage = attribute.GetCustomAttribute<AttributeUsageAttribute>()!;
        Assert.Equal(targets, usage.ValidOn);
        Assert.Equal(allowMultiple, usage.AllowMultiple);
        Assert.False(usage.Inherited);
    }

    [Fact]
    public void Lock_names_are_kept_as_written()
    {
        Assert.Equal("_sync", new GuardedByAttribute("_sync").LockName);
        Assert.Equal("this", new GuardedByAttribute("this").LockName);
        Assert.Equal("_sync", new RequiresLockAttribute("_sync").LockName);
        Assert.Equal(new[] { "_b", "_c" }, new AcquiredBeforeAttribute("_b", "_c").LockNames);
        Assert.Equal(new[] { "_a" }, new AcquiredAfterAttribute("_a").LockNames);
    }

    [Fact]
    public void Lock_name_lists_are_copied_and_read_only()
    {
        var names = new[] { "_b", "_c" };
        var attribute = new AcquiredBeforeAttribute(names);
        names[0] = "_changed";

        Assert.Equal(new[] { "_b", "_c" }, attribute.LockNames);
        Assert.Throws<NotSupportedException>(() => ((System.Collections.Generic.IList<string>)attribute.LockNames)[0] = "_x");
    }

    [Fact]
    public void Null_lock_name_is_refused_with_ArgumentNullException()
    {
        var guardedBy = Assert.Throws<ArgumentNullException>(() => new GuardedByAttribute(null!));
        Assert.Equal("lockName", guardedBy.ParamName);
        Assert.Contains("nameof(_sync)", guardedBy.Message);

        var requiresLock = Assert.Throws<ArgumentNullException>(() => new RequiresLockAttribute(null!));
        Assert.Equal("lockName", requiresLock.ParamName);
        Assert.Contains("[RequiresLock]", requiresLock.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t")]
    public void Blank_lock_name_is_refused_with_ArgumentException(string name)
    {
        var guardedBy = Assert.Throws<ArgumentException>(() => new GuardedByAttribute(name));
        Assert.Equal("lockName", guardedBy.ParamName);
        Assert.Contains("[GuardedBy]", guardedBy.Message);

        Assert.Throws<ArgumentException>(() => new RequiresLockAttribute(name));
        var before = Assert.Throws<ArgumentException>(() => new AcquiredBeforeAttribute("_a", name));
        Assert.Contains("index 1", before.Message);
        var after = Assert.Throws<ArgumentException>(() => new AcquiredAfterAttribute(name));
        Assert.Contains("index 0", after.Message);
    }

    [Fact]
    public void Lock_order_needs_at_least_one_name()
    {
        Assert.Equal("lockNames", Assert.Throws<ArgumentNullException>(() => new AcquiredBeforeAttribute(null!)).ParamName);
        Assert.Equal("lockNames", Assert.Throws<ArgumentNullException>(() => new AcquiredAfterAttribute(null!)).ParamName);

        var before = Assert.Throws<ArgumentException>(() => new AcquiredBeforeAttribute());
        Assert.Contains("none were given", before.Message);
        Assert.Throws<ArgumentException>(() => new AcquiredAfterAttribute(Array.Empty<string>()));
        Assert.Throws<ArgumentException>(() => new AcquiredAfterAttribute("_a", null!));
    }

    [Fact]
    public void Annotations_written_in_code_are_read_back_through_reflection()
    {
        var type = typeof(Account);
        BindingFlags all = BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public;

        Assert.Equal("_sync", type.GetField("_balance", all)!.GetCustomAttribute<GuardedByAttribute>()!.LockName);
        Assert.Equal("this", type.GetProperty(nameof(Account.Owner), all)!.GetCustomAttribute<GuardedByAttribute>()!.LockName);
        Assert.Equal(
            new[] { "_audit", "_sync" },
            type.GetMethod("ApplyFee", all)!.GetCustomAttributes<RequiresLockAttribute>().Select(a => a.LockName).OrderBy(n => n, StringComparer.Ordinal));
        Assert.Equal(new[] { "_audit" }, type.GetField("_sync", all)!.GetCustomAttribute<AcquiredBeforeAttribute>()!.LockNames);
        Assert.Equal(new[] { "_sync" }, type.GetField("_audit", all)!.GetCustomAttribute<AcquiredAfterAttribute>()!.LockNames);
        Assert.NotNull(type.GetMethod(nameof(Account.OnDeposit), all)!.GetCustomAttribute<RunsConcurrentlyAttribute>());
    }

    private sealed class Account
    {
        [AcquiredBefore(nameof(_audit))]
        private readonly object _sync = new();

        [AcquiredAfter(nameof(_sync))]
        private readonly object _audit = new();

        [GuardedBy(nameof(_sync))]
        private decimal _balance;

        [GuardedBy("this")]
        public string Owner { get; set; } = "";

        [RunsConcurrently]
        public void OnDeposit(decimal amount)
        {
            lock (_sync)
            {
                lock (_audit)
                {
                    _balance += amount;
                    ApplyFee();
                }
            }
        }

        [RequiresLock(nameof(_sync))]
        [RequiresLock(nameof(_audit))]
        private void ApplyFee() => _balance -= 0.01m;
    }
}
