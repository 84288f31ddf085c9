# Section 2 of the scenario catalogue (test IDs 201-203). Crashes are real: the orchestrator sends
# SIGKILL to the named worker, so these scenarios need separate processes.
@separate-process
Feature: Process lifecycle
  A reader or writer that dies is detected by its peer, and a new reader can replace a dead one.

  Scenario: Test 2.1 - Writer Crash Detection
    Given the 'reader' process creates buffer 'test-writer-crash' with metadata size '1024' and payload size '10240'
    And the 'writer' process connects to buffer 'test-writer-crash'
    When the 'writer' process writes metadata with size '100'
    And the 'writer' process writes frame with size '1024'
    And the 'writer' process is killed
    Then the 'reader' process should read frame with sequence '1' and size '1024'
    And the 'reader' process should see the writer disconnected
    And the 'reader' process should fail to read a frame within '1000' ms with 'WriterDead'

  Scenario: Test 2.2 - Reader Crash Detection
    Given the 'reader' process creates buffer 'test-reader-crash' with metadata size '1024' and payload size '10240'
    And the 'writer' process connects to buffer 'test-reader-crash'
    And the 'writer' process sets write timeout to '1000' ms
    When the 'writer' process writes frame with size '10224'
    And the 'reader' process is killed
    Then the 'writer' process should see the reader disconnected
    And the 'writer' process should fail to write frame with size '1024' with 'ReaderDead'

  Scenario: Test 2.3 - Reader Replacement After Crash
    Given the 'reader' process creates buffer 'test-reader-replacement' with metadata size '1024' and payload size '10240'
    And the 'writer' process connects to buffer 'test-reader-replacement'
    And the 'writer' process sets write timeout to '1000' ms
    When the 'writer' process writes '5' frames with size '1024'
    Then the 'reader' process should read '5' frames with size '1024' in order
    When the 'reader' process is killed
    And a new 'reader' process is started
    And the 'reader' process creates buffer 'test-reader-replacement' with metadata size '1024' and payload size '20480'
    Then the 'writer' process should fail to write frame with size '10224' with 'ReaderDead'
    When the 'writer' process connects to buffer 'test-reader-replacement'
    And the 'writer' process writes frame with size '15000'
    Then the 'reader' process should read frame with sequence '1' and size '15000'
