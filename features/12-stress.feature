# Section 12 of the scenario catalogue (test IDs 1201-1203): long and repeated use leaks nothing. Off by
# default (./test.sh --tags @stress or --stress runs it). Each worker measures itself: VmRSS from
# /proc/self/status and the entries of /proc/self/fd, reported in data.metrics. "Flat" means the same
# number of open descriptors and an RSS growth of at most 2 MiB or 15 % of the first sample, whichever is
# larger, measured from a warm-up on (2 s of frames, a first round of buffers or cycles: runtimes allocate
# once, and a garbage collector grows its heap up to its budget before it collects).
# The scenarios run in same-process mode too: one worker then plays both roles and measures them together.
@stress
Feature: Stress
  Long runs and repeated creation leak no memory, descriptors, shared memory, semaphores or lock files,
  and the system's refusal of one more buffer is a clean ResourceExhausted.

  Scenario: Test 12.1 - Continuous Write-Read Keeps Memory And Descriptors Flat
    # The run lasts as long as the second wait: 60 s by default, the catalogue's 24 hours with '86400'.
    # Sequence overflow: sequences are the writer's 64-bit counters from 1; no API can start them
    # elsewhere, and at a million frames a second they wrap after about 585 000 years, so a run cannot
    # reach the wrap. What this scenario covers is every frame in order (sequence = previous + 1, no
    # SequenceError) for the whole run, and the OIEB's written and read counts equal at the end.
    Given the 'reader' process creates buffer 'test-continuous' with metadata size '1024' and payload size '65536'
    And the 'writer' process connects to buffer 'test-continuous'
    When the 'reader' process starts reading frames with size '1024' continuously in the background
    And the 'writer' process starts writing frames with size '1024' continuously in the background
    And wait for '2' seconds
    And the 'reader' process records its resource usage
    And the 'writer' process records its resource usage
    And wait for '60' seconds
    Then the 'writer' process stops writing continuously without error
    And the 'reader' process stops reading continuously and should have read every written frame in order
    And the 'writer' process should have kept its resource usage flat
    And the 'reader' process should have kept its resource usage flat

  Scenario: Test 12.2 - Buffers Until The System Refuses One, Then All Released
    # What refuses first is the open-file limit: each buffer keeps descriptors open (its lock file
    # at least), RLIMIT_NOFILE is in the thousands while /dev/shm (tmpfs, half the RAM) and
    # vm.max_map_count (three mappings a buffer) hold more. The step lowers its own soft limit to a
    # couple of hundred descriptors above those open, so the refusal comes soon and at a known place,
    # then restores it. The refused buffer must leave none of its four objects behind.
    # Warm-up: a whole round first (a runtime allocates once: exception types, caches, heap growth); the
    # round after the baseline must not grow.
    Given the 'reader' process creates buffers 'warmup-limit' until one fails with 'ResourceExhausted' under an open-file limit of '200' more descriptors
    And the 'reader' process closes all its readers
    And the 'reader' process records its resource usage
    When the 'reader' process creates buffers 'test-limit' until one fails with 'ResourceExhausted' under an open-file limit of '200' more descriptors
    And the 'writer' process connects to buffer 'test-limit-1'
    Then the 'writer' process should see the reader connected
    When the 'writer' process closes its writer
    And the 'reader' process closes all its readers
    Then the 'reader' process should see no OS object named after buffer 'test-limit'
    And the 'writer' process should see no OS object named after buffer 'test-limit'
    And the 'reader' process should have kept its resource usage flat

  Scenario: Test 12.3 - Create And Destroy A Buffer 1000 Times While A Writer Keeps Connecting
    # Each cycle creates the buffer, holds it 1 ms and closes it; after each close its shared memory,
    # semaphores and lock file must be gone. Meanwhile the writer tries to connect every millisecond:
    # each attempt connects (and disconnects) or is refused with BufferNotFound (no buffer, or one not
    # finished) or ReaderDead (its reader is closing it) - anything else fails the scenario.
    # Warm-up: the same 1000 cycles under the connecting writer first. A runtime allocates once (JIT
    # code, exception types, its collector's heap up to the budget) and a worker's log capture holds
    # what a step logged until its reply (the library logs every connect), so memory rises to a level
    # the first round sets; the round after the baseline must not go past it.
    Given the 'writer' process starts connecting to buffer 'warmup-cycles' over and over in the background
    And the 'reader' process creates and destroys buffer 'warmup-cycles' '1000' times
    And the 'writer' process stops connecting and should have seen only connections and clean refusals
    And the 'reader' process records its resource usage
    And the 'writer' process records its resource usage
    When the 'writer' process starts connecting to buffer 'test-cycles' over and over in the background
    And the 'reader' process creates and destroys buffer 'test-cycles' '1000' times
    Then the 'writer' process stops connecting and should have seen only connections and clean refusals
    And the 'reader' process should see no OS object named after buffer 'test-cycles'
    And the 'writer' process should have kept its resource usage flat
    And the 'reader' process should have kept its resource usage flat
