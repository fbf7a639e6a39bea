global using Xunit;

// One exploration at a time: each test owns the Coyote scheduler for its run, and its figures (time per schedule)
// should not depend on what else runs in the process.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
