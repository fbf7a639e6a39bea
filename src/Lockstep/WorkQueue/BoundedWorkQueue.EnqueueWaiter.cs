using System;
using System.Threading;
using System.Threading.Tasks;

namespace Lockstep;

public sealed partial class BoundedWorkQueue
{
    // A producer waiting in EnqueueAsync for room, with the item it brings. Listed (InList) while it waits; leaves the
    // list under the queue's lock exactly once, through acceptance, cancellation or rejection, so its outcome is decided
    // there and a cancelled wait can never also have enqueued its item.
    private sealed class EnqueueWaiter : TaskCompletionSource<bool>
    {
        public EnqueueWaiter(BoundedWorkQueue owner, WorkItem item, CancellationToken token)
            : base(TaskCreationOptions.RunContinuationsAsynchronously)
        {
            Owner = owner;
            Item = item;
            Token = token;
        }

        public BoundedWorkQueue Owner { get; }

        public WorkItem Item { get; }

        public CancellationToken Token { get; }

        public CancellationTokenRegistration Registration;

        public EnqueueWaiter? Previous;

        public EnqueueWaiter? Next;

        public bool InList;

        // Outside the queue's lock: disposing the registration waits for a cancellation callback running on another
        // thread, and that callback takes the lock.
        public void Accept()
        {
            TrySetResult(true);
            Registration.Dispose();
        }

        public void Reject(Exception reason)
        {
            TrySetException(reason);
            Registration.Dispose();
        }
    }
}
