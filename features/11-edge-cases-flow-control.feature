# Section 11 of the scenario catalogue (test IDs 1101-1105).
# Ring figures: a frame of n bytes takes 16 + n (its header); free bytes and positions are the OIEB's.
Feature: Edge cases and flow control
  A buffer without a metadata block, the smallest ring, frames that alternate around the wrap, signals
  that pile up, and a writer held back by a slow reader.

  Scenario: Test 11.1 - Zero-Sized Metadata Block
    Given the 'reader' process creates buffer 'test-zero-metadata' with metadata size '0' and payload size '10240'
    And the 'writer' process connects to buffer 'test-zero-metadata'
    # The 8-byte length prefix alone does not fit a 0-byte block, so even empty metadata is refused.
    Then the 'writer' process should fail to write metadata with size '1' with 'MetadataTooLarge'
    And the 'writer' process should fail to write metadata with size '0' with 'MetadataTooLarge'
    When the 'writer' process writes '3' frames with size '1024'
    Then the 'reader' process should have no metadata
    And the 'reader' process should read '3' frames with size '1024' in order

  Scenario: Test 11.2 - Minimum Buffer Sizes
    # The libraries round the ring up to a multiple of 64 (PROTOCOL.md §2), so a ring of 16 + 1 bytes is
    # 64 bytes. A 31-byte frame (47 bytes) first leaves exactly 16 + 1 bytes before the end, and the
    # reader has freed nothing (read_pos 0), so this is the catalogue's minimum viable buffer.
    Given the 'reader' process creates buffer 'test-min-buffer' with metadata size '1024' and payload size '17'
    And the 'writer' process connects to buffer 'test-min-buffer'
    Then the 'reader' process should see '64' free payload bytes in the OIEB
    When the 'writer' process writes frame with size '31'
    Then the 'reader' process should see '17' free payload bytes in the OIEB
    When the 'writer' process writes frame with size '1'
    Then the 'reader' process should see '0' free payload bytes in the OIEB
    And the 'reader' process should see a frame with sequence '2' and size '1' at offset '47' in the ring
    # A 2-byte frame (18 bytes) has no room: the writer blocks until its write timeout.
    When the 'writer' process sets write timeout to '300' ms
    Then the 'writer' process should fail to write frame with size '2' with 'BufferFull' after the write timeout
    And the 'reader' process should read frame with sequence '1' and size '31'
    And the 'reader' process should read frame with sequence '2' and size '1'
    And the 'reader' process should receive no frame within '100' ms

  Scenario: Test 11.3 - Alternating Frame Sizes
    # 90 % of 10240 is 9216 (9232 with its header). After the 1-byte frame the tail is 991 bytes, so the
    # next large frame must wrap, and it fits at the start only once the reader has freed the first one.
    Given the 'reader' process creates buffer 'test-alternating' with metadata size '1024' and payload size '10240'
    And the 'writer' process connects to buffer 'test-alternating'
    When the 'writer' process writes frame with size '9216'
    And the 'writer' process writes frame with size '1'
    Then the 'reader' process should see '991' free payload bytes in the OIEB
    When the 'writer' process starts writing '1' frames with size '9216' in the background
    Then the 'writer' process should still be writing after '300' ms
    And the 'reader' process should read frame with sequence '1' and size '9216'
    # No deadlock: the freed start (9232 bytes) plus the tail is exactly what the wrapping frame needs.
    And the 'writer' process should finish writing within '1000' ms
    And the 'reader' process should see '0' free payload bytes in the OIEB
    And the 'reader' process should see a wrap marker at offset '9249' wasting '991' bytes
    And the 'reader' process should see a frame with sequence '3' and size '9216' at offset '0' in the ring
    And the 'reader' process should read frame with sequence '2' and size '1'
    And the 'reader' process should read frame with sequence '3' and size '9216'
    # A second round: the wrap happens again, now without waiting (only the 1-byte frame is unread).
    When the 'writer' process writes frame with size '1'
    And the 'writer' process writes frame with size '9216'
    Then the 'reader' process should see a wrap marker at offset '9249' wasting '991' bytes
    And the 'reader' process should read frame with sequence '4' and size '1'
    And the 'reader' process should read frame with sequence '5' and size '9216'
    And the 'reader' process should see '10240' free payload bytes in the OIEB

  Scenario: Test 11.4 - Semaphore Signal Coalescing
    Given the 'reader' process creates buffer 'test-coalesce' with metadata size '1024' and payload size '10240'
    And the 'writer' process connects to buffer 'test-coalesce'
    When the 'writer' process writes '10' frames with size '512'
    # One post per frame, none consumed yet: the count is the number of pending frames.
    Then the 'reader' process should see '10' frame signals pending
    And the 'reader' process should read '4' frames with size '512' in order
    And the 'reader' process should see '6' frame signals pending
    And the 'reader' process should read '6' frames with size '512' in order
    And the 'reader' process should see '0' frame signals pending
    # Each release posted sem-r once; the writer never had to wait, so none was consumed.
    And the 'reader' process should see '10' space signals pending
    And the 'reader' process should receive no frame within '100' ms

  Scenario: Test 11.5 - Reader Slower Than Writer
    # The catalogue's 1000 frames take over 10 s at 10 ms each: that is the @long twin below
    # (./test.sh --long); 100 frames show the same flow control in about 1.5 s.
    Given the 'reader' process creates buffer 'test-flow-control' with metadata size '1024' and payload size '10240'
    And the 'writer' process connects to buffer 'test-flow-control'
    When the 'writer' process starts writing '100' frames with size '1024' in the background
    # Nine frames (9360 bytes) fill the ring; the tenth needs the 880-byte tail and 1040 more.
    Then the 'writer' process should still be writing after '300' ms
    And the 'reader' process should see '880' free payload bytes in the OIEB
    And the 'reader' process should see '9' frame signals pending
    And the 'reader' process should read '100' frames with size '1024' in order with '10' ms delay
    And the 'writer' process should finish writing within '1000' ms
    And the 'reader' process should receive no frame within '100' ms

  @long
  Scenario: Test 11.5 - Reader Slower Than Writer (1000 frames)
    Given the 'reader' process creates buffer 'test-flow-control' with metadata size '1024' and payload size '10240'
    And the 'writer' process connects to buffer 'test-flow-control'
    When the 'writer' process starts writing '1000' frames with size '1024' in the background
    Then the 'writer' process should still be writing after '300' ms
    And the 'reader' process should see '880' free payload bytes in the OIEB
    And the 'reader' process should see '9' frame signals pending
    And the 'reader' process should read '1000' frames with size '1024' in order with '10' ms delay
    And the 'writer' process should finish writing within '1000' ms
    And the 'reader' process should receive no frame within '100' ms
