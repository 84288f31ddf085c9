# Section 3 of the scenario catalogue (test IDs 301-303), plus name validation (304) and the
# single-writer rule (305).
Feature: Initialization
  Buffers are created once, stale resources are reclaimed, and bad connections are refused clearly.

  @separate-process
  Scenario: Test 3.1 - Stale Resource Cleanup
    # A SIGKILLed reader leaves an unlocked lock file, its shared memory and both semaphores behind.
    Given the 'reader' process creates buffer 'stale-test' with metadata size '1024' and payload size '10240'
    And the 'reader' process is killed
    And a new 'reader' process is started
    When the 'reader' process creates buffer 'stale-test' with metadata size '1024' and payload size '20480'
    And the 'writer' process connects to buffer 'stale-test'
    And the 'writer' process writes frame with size '15000'
    Then the 'reader' process should read frame with sequence '1' and size '15000'

  Scenario: Test 3.2 - Concurrent Initialization Race
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
