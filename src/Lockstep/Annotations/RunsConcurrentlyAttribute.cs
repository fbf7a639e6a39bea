using System;

namespace Lockstep;

/// <summary>
/// Marks a method that other code runs concurrently (for example a callback registered with a framework that
/// Lockstep cannot see), so the analyzers treat it as a concurrent entry point.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Constructor | AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class RunsConcurrentlyAttribute : Attribute
{
}
