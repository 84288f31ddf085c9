# Section 5 of the scenario catalogue (test IDs 501-506).
# Ring figures: a frame of n bytes takes 16 + n (its header); positions and free bytes are the OIEB's,
# read through each library's diagnostics API. Payload sizes are multiples of 64, so the ring is exactly
# the size asked for.
Feature: Edge cases
  Frames that exactly fill the ring, the smallest frames, and wrapping at the end of the ring.

  Scenario: Test 5.1 - Exact Buffer Fit
    Given the 'reader' process creates buffer 'test-exact-fit' with metadata size '1024' and payload size '10240'
    And the 'writer' process connects to buffer 'test-exact-fit'
    When the 'writer' process writes frame with size '10224'
    # 10224 + 16 = 10240: the ring is completely full, nothing is left anywhere in it.
    Then the 'reader' process should see '0' free payload bytes in the OIEB
    And the 'reader' process should see '0' continuous free bytes in the OIEB
    And the 'reader' process should see write position '0' and read position '0' in the OIEB
    And the 'writer' process sets write timeout to '300' ms
    And the 'writer' process should fail to write frame with size '1' with 'BufferFull' after the write timeout
    And the 'reader' process should read frame with sequence '1' and size '10224'
    And the 'reader' process should see '10240' free payload bytes in the OIEB

  Scenario: Test 5.2 - Minimum Frame Size
    Given the 'reader' process creates buffer 'test-min-frame' with metadata size '1024' and payload size '10240'
    And the 'writer' process connects to buffer 'test-min-frame'
    Then the 'writer' process should fail to write frame with size '0' with 'InvalidFrameSize'
    # The refused frame left no trace: no header, no free bytes taken.
    And the 'reader' process should see '10240' free payload bytes in the OIEB
    And the 'reader' process should see write position '0' and read position '0' in the OIEB
    When the 'writer' process writes frame with size '1'
    # 16 bytes of header + 1 byte of payload.
    Then the 'reader' process should see '10223' free payload bytes in the OIEB
    And the 'reader' process should see write position '17' and read position '0' in the OIEB
    And the 'reader' process should see a frame with sequence '1' and size '1' at offset '0' in the ring
    And the 'reader' process should read frame with sequence '1' and size '1'
    And the 'reader' process should see write position '17' and read position '17' in the OIEB

  Scenario: Test 5.3 - Wrap-Around Behavior
    # The catalogue's 6 KB then 7 KB can never work in a 10 KB ring: a wrapping frame needs
    # 16 + n <= read_pos (PROTOCOL.md §4), and read_pos is at most 6160 after the 6 KB frame. So the second
    # frame is 5 KB (5136 bytes with its header): too big for the 4080-byte tail, small enough for the start
    # once the reader frees it. The catalogue's "reader reads, then signals space" is the read step, which
    # releases the frame (and posts sem-r) before it returns.
    Given the 'reader' process creates buffer 'test-wrap' with metadata size '1024' and payload size '10240'
    And the 'writer' process connects to buffer 'test-wrap'
    When the 'writer' process writes frame with size '6144'
    And the 'writer' process starts writing '1' frames with size '5120' in the background
    Then the 'writer' process should still be writing after '300' ms
    # It waits for the start: nothing was wrapped or written yet.
    And the 'reader' process should see write position '6160' and read position '0' in the OIEB
    And the 'reader' process should read frame with sequence '1' and size '6144'
    # The write timeout is 5000 ms: finishing within 1000 ms proves the reader's signal woke the writer.
    And the 'writer' process should finish writing within '1000' ms
    And the 'reader' process should see a frame with sequence '2' and size '5120' at offset '0' in the ring
    And the 'reader' process should see a wrap marker at offset '6160' wasting '4080' bytes
    And the 'reader' process should see write position '5136' and read position '6160' in the OIEB
    And the 'reader' process should see written count '3' and read count '1' in the OIEB
    And the 'reader' process should read frame with sequence '2' and size '5120'
    And the 'reader' process should see write position '5136' and read position '5136' in the OIEB

  Scenario: Test 5.4 - Wrap-Around With Wasted Space
    # First a wrap marker (a 100-byte tail), then the implicit wrap (PROTOCOL.md §4 step 5): a tail of
    # 8 bytes has no room for a marker, so the writer writes nothing there and both sides skip it.
    # Markers count in payload_written_count / payload_read_count, implicit wraps do not.
    Given the 'reader' process creates buffer 'test-wasted-space' with metadata size '1024' and payload size '10240'
    And the 'writer' process connects to buffer 'test-wasted-space'
    # 10124 + 16 = 10140: 100 bytes are left at the end.
    When the 'writer' process writes frame with size '10124'
    Then the 'reader' process should read frame with sequence '1' and size '10124'
    And the 'reader' process should see '10240' free payload bytes in the OIEB
    When the 'writer' process writes frame with size '200'
    # The 100-byte tail is consumed: 10240 - 100 - 216.
    Then the 'reader' process should see '9924' free payload bytes in the OIEB
    And the 'reader' process should see a wrap marker at offset '10140' wasting '100' bytes
    And the 'reader' process should see a frame with sequence '2' and size '200' at offset '0' in the ring
    And the 'reader' process should see write position '216' and read position '10140' in the OIEB
    And the 'reader' process should see written count '3' and read count '1' in the OIEB
    # The reader follows the marker to the start (and gives the wasted tail back).
    And the 'reader' process should read frame with sequence '2' and size '200'
    And the 'reader' process should see write position '216' and read position '216' in the OIEB
    And the 'reader' process should see written count '3' and read count '3' in the OIEB
    And the 'reader' process should see '10240' free payload bytes in the OIEB
    # 216 + 10016 = 10232: an 8-byte tail, too small for a header.
    When the 'writer' process writes frame with size '10000'
    Then the 'reader' process should read frame with sequence '3' and size '10000'
    When the 'writer' process writes frame with size '200'
    # The 8-byte tail is consumed: 10240 - 8 - 216.
    Then the 'reader' process should see '10016' free payload bytes in the OIEB
    And the 'reader' process should see an implicit wrap at offset '10232' wasting '8' bytes
    And the 'reader' process should see a frame with sequence '4' and size '200' at offset '0' in the ring
    And the 'reader' process should see written count '5' and read count '4' in the OIEB
    And the 'reader' process should read frame with sequence '4' and size '200'
    And the 'reader' process should see write position '216' and read position '216' in the OIEB
    And the 'reader' process should see written count '5' and read count '5' in the OIEB
    And the 'reader' process should see '10240' free payload bytes in the OIEB

  Scenario: Test 5.5 - Continuous Free Space Calculation
    # Real frames bring the ring to each case. Continuous free bytes are the largest frame + header that
    # can be written without waiting (PROTOCOL.md §4): 0 when the ring is full; read_pos - write_pos when
    # write_pos < read_pos; otherwise the tail, or the start up to read_pos when that is larger (never
    # when read_pos is 0: wrapping there would meet the reader).
    Given the 'reader' process creates buffer 'test-continuous' with metadata size '1024' and payload size '10240'
    And the 'writer' process connects to buffer 'test-continuous'
    # write_pos == read_pos == 0, empty: the whole ring.
    Then the 'reader' process should see '10240' continuous free bytes in the OIEB
    # read_pos == 0 (cannot wrap): only the tail.
    When the 'writer' process writes '3' frames with size '2048'
    Then the 'reader' process should see write position '6192' and read position '0' in the OIEB
    And the 'reader' process should see '4048' continuous free bytes in the OIEB
    # write_pos == read_pos, empty, not at 0: the start (6192) beats the tail (4048).
    When the 'reader' process should read '3' frames with size '2048' in order
    Then the 'reader' process should see write position '6192' and read position '6192' in the OIEB
    And the 'reader' process should see '6192' continuous free bytes in the OIEB
    # write_pos < read_pos (wrapped case): up to read_pos.
    When the 'writer' process writes frame with size '5000'
    Then the 'reader' process should see write position '5016' and read position '6192' in the OIEB
    And the 'reader' process should see '1176' continuous free bytes in the OIEB
    # The figure is what the writer can use: a frame of exactly 1176 bytes with its header fits without
    # waiting, and then write_pos == read_pos with the ring full.
    When the 'writer' process writes frame with size '1160'
    Then the 'reader' process should see write position '6192' and read position '6192' in the OIEB
    And the 'reader' process should see '0' free payload bytes in the OIEB
    And the 'reader' process should see '0' continuous free bytes in the OIEB
    # write_pos > read_pos (normal case): the start up to read_pos (5016) beats the tail (4048)...
    When the 'reader' process should read frame with sequence '4' and size '5000'
    Then the 'reader' process should see write position '6192' and read position '5016' in the OIEB
    And the 'reader' process should see '5016' continuous free bytes in the OIEB
    # ...and a frame that needs all of it wraps and is written without waiting.
    When the 'writer' process writes frame with size '5000'
    Then the 'reader' process should see write position '5016' and read position '5016' in the OIEB
    And the 'reader' process should see '0' continuous free bytes in the OIEB
    And the 'reader' process should read frame with sequence '5' and size '1160'
    And the 'reader' process should read frame with sequence '6' and size '5000'
    And the 'reader' process should see '10240' free payload bytes in the OIEB

  Scenario: Test 5.6 - Maximum Frame Size
    # The catalogue's 100 MB ring (104857600 bytes): writing and pattern-checking the largest frame takes
    # under 1.5 s in every pair, so it needs no smaller default.
    Given the 'reader' process creates buffer 'test-max-frame' with metadata size '1024' and payload size '104857600'
    And the 'writer' process connects to buffer 'test-max-frame'
    When the 'writer' process writes frame with size '104857584'
    Then the 'reader' process should see '0' free payload bytes in the OIEB
    # One byte more can never fit: refused at once, before any waiting.
    And the 'writer' process should fail to write frame with size '104857585' with 'FrameTooLarge'
    And the 'reader' process should read frame with sequence '1' and size '104857584'
