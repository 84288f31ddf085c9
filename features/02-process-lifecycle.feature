# Section 2 of the scenario catalogue (test IDs 201-203). In separate-process mode a crash is a real
# SIGKILL of the named worker. In same-process mode the orchestrator sends `simulateCrash` for the
# role: its readers and writers are abandoned as a dead process leaves them (descriptors closed,
# nothing unlinked, no OIEB field reset) and their pid fields name a dead process, so the peer
# detects the death by the normal rules (the catalogue's "alternative mechanisms").
# The catalogue's 5 s timeouts are the libraries' defaults; the scenarios set 1 s and assert that
# the call really waited for it before detecting the dead peer.
Feature: Process lifecycle
  A reader or writer that dies is detected by its peer, and a new reader can replace a dead one.

  Scenario: Test 2.1 - Writer Crash Detection
    Given the 'reader' process creates buffer 'test-writer-crash' with metadata size '1024' and payload size '10240'
    And the 'writer' process connects to buffer 'test-writer-crash'
    When the 'writer' process writes metadata with size '100'
    And the 'writer' process writes frame with size '1024'
    Then the 'writer' process should see its pid recorded as the writer in the OIEB
    When the 'writer' process is killed
    Then the 'reader' process should read frame with sequence '1' and size '1024'
    And the 'reader' process should see a dead writer pid recorded in the OIEB
    And the 'reader' process should fail to read a frame with 'WriterDead' after waiting '1000' ms
    And the 'reader' process should see the writer disconnected

  Scenario: Test 2.2 - Reader Crash Detection
    Given the 'reader' process creates buffer 'test-reader-crash' with metadata size '1024' and payload size '10240'
    And the 'reader' process should see its pid recorded as the reader in the OIEB
    And the 'writer' process connects to buffer 'test-reader-crash'
    And the 'writer' process sets write timeout to '1000' ms
    When the 'writer' process writes frame with size '10224'
    Then the 'writer' process should see '0' free payload bytes in the OIEB
    When the 'reader' process is killed
    Then the 'writer' process should see a dead reader pid recorded in the OIEB
    And the 'writer' process should fail to write frame with size '1024' with 'ReaderDead' after the write timeout
    And the 'writer' process should see the reader disconnected

  Scenario: Test 2.3 - Reader Replacement After Crash
    Given the 'reader' process creates buffer 'test-reader-replacement' with metadata size '1024' and payload size '10240'
    And the 'writer' process connects to buffer 'test-reader-replacement'
    And the 'writer' process sets write timeout to '1000' ms
    When the 'writer' process starts writing '1000000' frames with size '1024' in the background
    Then the 'reader' process should read '5' frames with size '1024' in order
    When the 'reader' process is killed
    Then the 'writer' process should stop writing with 'ReaderDead' within '5000' ms
    And the 'writer' process should see a dead reader pid recorded in the OIEB
    When a new 'reader' process is started
    And the 'reader' process creates buffer 'test-reader-replacement' with metadata size '1024' and payload size '20480'
    Then the 'reader' process should see a fresh buffer 'test-reader-replacement' with payload size '20480'
    When the 'writer' process connects to buffer 'test-reader-replacement'
    And the 'writer' process writes frame with size '15000'
    Then the 'reader' process should read frame with sequence '1' and size '15000'
