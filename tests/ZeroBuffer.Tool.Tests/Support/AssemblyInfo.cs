// The cross-process tests start several processes each and time out on a busy 2-core machine if
// they all run at once; one at a time keeps them honest and the run short.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
