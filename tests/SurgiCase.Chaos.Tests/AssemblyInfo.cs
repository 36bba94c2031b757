// One AppHost at a time: the API simulator listens on its fixed port (5400) outside the orchestrator's proxy, and the
// scenarios measure time, which a second AppHost on the same cores would distort.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
