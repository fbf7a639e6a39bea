using System.Threading.Tasks;
using Xunit;
using Verify = Lockstep.Analyzers.Tests.Verifiers.CSharpCodeFixVerifier<
    Lockstep.Analyzers.Rules.LockUsage.LockOnWeakIdentityObjectAnalyzer,
    Lockstep.Analyzers.Rules.LockUsage.LockOnWeakIdentityObjectFixer>;

namespace Lockstep.Analyzers.Tests.Rules.LockUsage;

/// <summary>LS5003 on fields real libraries lock: set once late versus replaced while in use.</summary>
public sealed class LockOnWeakIdentityObjectPrecisionTests
{
    [Fact]
    public Task A_lock_field_set_once_before_use_is_stable() => Verify.VerifyAnalyzerAsync(
        """
        public sealed class JoinObserver
        {
            private object? _gate;
            private int _count;

            // Subscribe hands the observer the gate of its pattern before any notification arrives.
            public void Subscribe(object gate) => _gate = gate;
            public void OnNext() { lock (_gate!) { _count++; } }
        }
        """);

    [Fact]
    public Task A_lock_field_replaced_after_it_had_an_object_is_reported() => Verify.VerifyAnalyzerAsync(
        """
        using System.Collections.Generic;
        public sealed class Pool
        {
            private List<int> _running = new();
            public void Add(int id) { lock ([|_running|]) { _running.Add(id); } }
            public void Reset() { lock ([|_running|]) { _running = new List<int>(); } }
        }
        """);
}
