# Section 7 of the scenario catalogue (test IDs 701-703): what the writer wrote is exactly what the
# reader sees, a corrupted sequence is refused, and a frame is never visible half-written.
Feature: Data integrity
  Every byte arrives as written, a corrupted sequence stops the reader, and no frame is seen half-written.

  Scenario Outline: Test 7.1 - Data Pattern Integrity
    # Five pattern frames through a ring that holds about two and a half, so they cross the wrap (a
    # wrap marker, or for 1-byte frames a tail under 16 bytes); the reader checks every byte.
    Given the 'reader' process creates buffer 'test-pattern' with metadata size '1024' and payload size '<payload>'
    And the 'writer' process connects to buffer 'test-pattern'
    When the 'writer' process starts writing '5' frames with size '<size>' in the background
    Then the 'reader' process should read '5' frames with size '<size>' in order
    And the 'writer' process should finish writing within '5000' ms

    Examples:
      | size     | payload  |
      | 1        | 64       |
      | 1024     | 2600     |
      | 1048576  | 2621440  |
      | 10485760 | 26214400 |

  Scenario: Test 7.2 - Sequence Corruption Is Detected
    # Frame 4's header is edited in the shared memory to say 5. The reader refuses it naming both numbers
    # and does not advance past it, so it cannot go on: the next frame's signal meets the same header.
    Given the 'reader' process creates buffer 'test-corruption' with metadata size '1024' and payload size '10240'
    And the 'writer' process connects to buffer 'test-corruption'
    When the 'writer' process writes '4' frames with size '1024'
    Then the 'reader' process should read '3' frames with size '1024' in order
    When the 'writer' process sets the sequence of the next unread frame to '5'
    Then the 'reader' process should fail to read a frame with 'SequenceError' naming expected '4' and actual '5'
    When the 'writer' process writes frame with size '1024'
    Then the 'reader' process should fail to read a frame with 'SequenceError' naming expected '4' and actual '5'

  Scenario: Test 7.3 - Multi-Field Records Are Never Seen Half-Written
    # Each record is 32 fields of 8 bytes stored one by one into the ring, while one spinning thread
    # (process in Python) per core competes for the CPUs, so the writer is preempted mid-record; the
    # reader, woken by the signal, must see every field of every record. A 4 KiB ring holds 15 records,
    # so the two sides overtake each other all the time.
    Given the 'reader' process creates buffer 'test-records' with metadata size '1024' and payload size '4096'
    And the 'writer' process connects to buffer 'test-records'
    When the 'writer' process starts writing '5000' records of '32' fields under CPU load in the background
    Then the 'reader' process should read '5000' records of '32' fields in order, each whole
    And the 'writer' process should finish writing within '5000' ms
