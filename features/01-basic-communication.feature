# Section 1 of the scenario catalogue (test IDs 101-103), plus two upstream regressions (104, 105).
# Frame bytes follow the shared pattern: byte i of the frame with sequence s is (s + i) & 0xFF.
# Metadata bytes follow: byte i is i & 0xFF.
Feature: Basic communication
  A reader creates a buffer, a writer connects, and frames travel intact and in order.

  Scenario: Test 1.1 - Simple Write-Read Cycle
    Given the 'reader' process creates buffer 'test-basic' with metadata size '1024' and payload size '10240'
    And the 'writer' process connects to buffer 'test-basic'
    Then the 'writer' process should see the reader connected
    And the 'reader' process should see the writer connected
    When the 'writer' process writes metadata with size '100'
    And the 'writer' process writes frame with size '1024'
    Then the 'reader' process should have metadata with size '100'
    And the 'reader' process should read frame with sequence '1' and size '1024'
    # "Reader signals space available": the released frame's bytes are free again and the space
    # semaphore holds one post that the writer has not needed yet.
    And the 'reader' process should see '10240' free payload bytes in the OIEB
    And the 'reader' process should see '1' space signals pending

  Scenario: Test 1.2 - Multiple Frames Sequential
    Given the 'reader' process creates buffer 'test-multi' with metadata size '1024' and payload size '102400'
    And the 'writer' process connects to buffer 'test-multi'
    When the 'writer' process writes metadata with size '200'
    And the 'writer' process writes '10' frames with size '5120'
    Then the 'reader' process should have metadata with size '200'
    And the 'reader' process should read '10' frames with size '5120' in order
    And the 'reader' process should receive no frame within '200' ms

  Scenario: Test 1.3 - Buffer Full Handling
    Given the 'reader' process creates buffer 'test-full' with metadata size '512' and payload size '10240'
    And the 'writer' process connects to buffer 'test-full'
    When the 'writer' process writes metadata with size '100'
    And the 'writer' process writes frame with size '8192'
    And the 'writer' process starts writing '1' frames with size '5120' in the background
    Then the 'writer' process should still be writing after '300' ms
    And the 'reader' process should read frame with sequence '1' and size '8192'
    # The write timeout is 5000 ms: finishing within 1000 ms proves the reader's signal woke the
    # writer (without the sem_post it would only re-check free space at its deadline).
    And the 'writer' process should finish writing within '1000' ms
    And the 'reader' process should read frame with sequence '2' and size '5120'

  Scenario: Test 1.4 - Slow Reader With Fast Writer
    Given the 'reader' process creates buffer 'test-slow-reader' with metadata size '1024' and payload size '10240'
    And the 'writer' process connects to buffer 'test-slow-reader'
    When the 'writer' process starts writing '20' frames with size '1024' in the background
    Then the 'reader' process should read '20' frames with size '1024' in order with '100' ms delay
    And the 'writer' process should finish writing within '5000' ms

  Scenario: Test 1.5 - High Volume Wrap-Around Without Delay
    Given the 'reader' process creates buffer 'test-high-volume' with metadata size '1024' and payload size '10240'
    And the 'writer' process connects to buffer 'test-high-volume'
    When the 'writer' process starts writing '5000' frames with size '1024' in the background
    Then the 'reader' process should read '5000' frames with size '1024' in order
    And the 'writer' process should finish writing within '10000' ms
