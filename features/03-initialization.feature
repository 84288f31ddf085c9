# Section 3 of the scenario catalogue (test IDs 301-303), plus name validation (304) and the
# single-writer rule (305).
Feature: Initialization
  Buffers are created once, stale resources are reclaimed, and bad connections are refused clearly.

  Scenario: Test 3.1 - Stale Resource Cleanup
    # The catalogue makes the stale lock file, shared memory and semaphores by hand; a reader abandoned
    # as a crashed process leaves exactly those (lock file nobody holds, nothing unlinked, a dead pid),
    # with three posts on its frame semaphore to tell the old semaphores from new ones. (No separate
    # "should see stale resources" step here: in a parallel run any reader created elsewhere runs the
    # same stale sweep and may reclaim the buffer between two steps.)
    Given the 'reader' process leaves stale resources for buffer 'stale-test' with payload size '10240'
    When the 'reader' process creates buffer 'stale-test' with metadata size '1024' and payload size '20480'
    Then the 'reader' process should see a fresh buffer 'stale-test' with payload size '20480'
    When the 'writer' process connects to buffer 'stale-test'
    And the 'writer' process writes frame with size '15000'
    Then the 'reader' process should read frame with sequence '1' and size '15000'

  Scenario: Test 3.2 - Concurrent Initialization Race
    # Both readers start on the same wall-clock instant and each tries 200 times to create the buffer,
    # holding a win for 1 ms: every attempt must either own the buffer alone or get ReaderAlreadyConnected.
    When the 'reader' process starts racing to create buffer 'race-test' '200' times
    And the 'reader-2' process starts racing to create buffer 'race-test' '200' times
    Then the 'reader' process should finish racing within '20000' ms
    And the 'reader-2' process should finish racing within '20000' ms
    Given the 'reader' process creates buffer 'race-test' with metadata size '1024' and payload size '10240'
    Then the 'reader-2' process should fail to create buffer 'race-test' with 'ReaderAlreadyConnected'
    When the 'writer' process connects to buffer 'race-test'
    And the 'writer' process writes frame with size '1024'
    Then the 'reader' process should read frame with sequence '1' and size '1024'

  Scenario: Test 3.3 - Writer Without Reader
    Then the 'writer' process should fail to connect to buffer 'no-reader' with 'BufferNotFound'

  Scenario Outline: Test 3.4 - Invalid Buffer Names Are Refused
    Then the 'reader' process should fail to create buffer '<name>' with 'InvalidBufferName'
    And the 'writer' process should fail to connect to buffer '<name>' with 'InvalidBufferName'

    Examples:
      | name        |
      | bad/name    |
      | ../escape   |
      | white space |

  Scenario: Test 3.5 - Second Writer Is Rejected
    Given the 'reader' process creates buffer 'test-second-writer' with metadata size '1024' and payload size '10240'
    And the 'writer' process connects to buffer 'test-second-writer'
    Then the 'writer-2' process should fail to connect to buffer 'test-second-writer' with 'WriterAlreadyConnected'
    When the 'writer' process writes frame with size '1024'
    Then the 'reader' process should read frame with sequence '1' and size '1024'
