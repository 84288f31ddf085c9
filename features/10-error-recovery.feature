# Section 10 of the scenario catalogue (test IDs 1001-1008): errors the libraries must survive.
# 10.2-10.5 corrupt a live buffer or kill a peer. Corruption goes through each library's diagnostics
# API by buffer name (never raw offsets in step code); the same corruption must give the same kind in
# every language (PROTOCOL.md §5: InvalidOieb, §4: InvalidFrameSize), never a crash or a hang. In
# separate-process mode a killed process is a real SIGKILL; in same-process mode the orchestrator sends
# `simulateCrash` for the role (see features/02-process-lifecycle.feature).
Feature: Error recovery
  A corrupted buffer is refused with the error that names the corruption, and a peer that dies is
  detected by the one left behind.

  Scenario: Test 10.2 - Corrupted OIEB Is Detected
    # PROTOCOL.md §5: the OIEB is checked in full when a writer connects, and each operation checks the
    # fields it uses before using them. A running writer and reader keep their own positions and sizes,
    # so a corrupted copy of those in the OIEB cannot steer them (they write the right value back on
    # their next frame); payload_free_bytes is used by every write and metadata_written_bytes by every
    # metadata read, so those fail. Each corruption is put back afterwards: the refusal was its doing.
    Given the 'reader' process creates buffer 'test-corrupt-oieb' with metadata size '1024' and payload size '10240'
    And the 'writer' process connects to buffer 'test-corrupt-oieb'
    When the 'writer' process writes metadata with size '100'
    And the 'writer' process writes frame with size '1024'
    Then the 'reader' process should read frame with sequence '1' and size '1024'
    # The catalogue's "operation_size" is oieb_size, which must be 128.
    When the 'reader' process sets OIEB field 'oieb_size' to '64'
    Then the 'writer' process should fail to connect to buffer 'test-corrupt-oieb' with 'InvalidOieb' naming 'oieb_size'
    # Put back, nothing else is wrong: now the live writer is what refuses a second one.
    When the 'reader' process sets OIEB field 'oieb_size' to '128'
    Then the 'writer' process should fail to connect to buffer 'test-corrupt-oieb' with 'WriterAlreadyConnected'
    # A ring that does not fill the mapping: a writer trusting it would write past the end.
    When the 'reader' process sets OIEB field 'payload_size' to '20480'
    Then the 'writer' process should fail to connect to buffer 'test-corrupt-oieb' with 'InvalidOieb' naming 'payload_size'
    When the 'reader' process sets OIEB field 'payload_size' to '10240'
    # The catalogue's "write_pos > buffer_size", then the same for read_pos.
    And the 'reader' process sets OIEB field 'payload_write_pos' to '10241'
    Then the 'writer' process should fail to connect to buffer 'test-corrupt-oieb' with 'InvalidOieb' naming 'payload_write_pos'
    When the 'writer' process writes frame with size '1024'
    And the 'reader' process sets OIEB field 'payload_read_pos' to '18446744073709551615'
    Then the 'writer' process should fail to connect to buffer 'test-corrupt-oieb' with 'InvalidOieb' naming 'payload_read_pos'
    And the 'reader' process should read frame with sequence '2' and size '1024'
    And the 'reader' process should see written count '2', read count '2', free bytes '10240', write position '2080' and read position '2080' in the OIEB
    # More free bytes than the ring holds: the running writer refuses to use it, and the refused write
    # leaves no trace.
    When the 'reader' process sets OIEB field 'payload_free_bytes' to '10241'
    Then the 'writer' process should fail to connect to buffer 'test-corrupt-oieb' with 'InvalidOieb' naming 'payload_free_bytes'
    And the 'writer' process should fail to write frame with size '1024' with 'InvalidOieb'
    And the 'reader' process should see written count '2', read count '2', free bytes '10241', write position '2080' and read position '2080' in the OIEB
    When the 'reader' process sets OIEB field 'payload_free_bytes' to '10240'
    And the 'writer' process writes frame with size '1024'
    Then the 'reader' process should read frame with sequence '3' and size '1024'
    # More metadata recorded than the 1024-byte block holds: the running reader refuses to read it.
    When the 'reader' process sets OIEB field 'metadata_written_bytes' to '1025'
    Then the 'reader' process should fail to read metadata with 'InvalidOieb'
    And the 'writer' process should fail to connect to buffer 'test-corrupt-oieb' with 'InvalidOieb' naming 'metadata_written_bytes'
    When the 'reader' process sets OIEB field 'metadata_written_bytes' to '108'
    Then the 'reader' process should have metadata with size '100'

  Scenario Outline: Test 10.3 - Corrupted Frame Header Is Detected
    # PROTOCOL.md §4 reader step 3: a header whose payload_size is 0 or runs past the end of the ring is
    # InvalidFrameSize naming the size, and the reader does not move past it. A size of 0 anywhere but
    # offset 0 is a wrap marker (reader step 2), so the catalogue's "payload_size 0" is a frame at
    # offset 0, where a writer never puts a marker: a first frame of 10224 bytes fills the 10240-byte
    # ring and puts the second at 0. After a first frame of 1024 bytes the second sits at 1040, where
    # 10240 - 1040 - 16 = 9184 payload bytes fit; 2^64 - 1 would wrap a careless bounds check.
    Given the 'reader' process creates buffer 'test-corrupt-frame' with metadata size '1024' and payload size '10240'
    And the 'writer' process connects to buffer 'test-corrupt-frame'
    When the 'writer' process writes frame with size '<first>'
    Then the 'reader' process should read frame with sequence '1' and size '<first>'
    When the 'writer' process writes frame with size '1024'
    And the 'writer' process sets the payload size of the next unread frame to '<size>'
    Then the 'reader' process should see a frame with sequence '2' and size '<size>' at offset '<offset>' in the ring
    And the 'reader' process should fail to read a frame with 'InvalidFrameSize' naming '<size>'
    And the 'reader' process should see written count '2', read count '1', free bytes '9200', write position '<end>' and read position '<offset>' in the OIEB

    Examples:
      | first | offset | size                 | end  |
      | 10224 | 0      | 0                    | 1040 |
      | 10224 | 0      | 10225                | 1040 |
      | 1024  | 1040   | 9185                 | 2080 |
      | 1024  | 1040   | 18446744073709551615 | 2080 |

  Scenario: Test 10.4 - Reader Death While The Writer Waits For Space
    # The catalogue's 10 KB ring and 8 KB frames: the second frame cannot fit until the first is read, so
    # its write waits for space; the reader is killed meanwhile. The writer finds out when its wait times
    # out (PROTOCOL.md §4 writer step 4): the reader is gone, so ReaderDead, not BufferFull. The write
    # timeout is 2 s so that the wait is still going on when the kill comes on a loaded machine.
    Given the 'reader' process creates buffer 'test-reader-death' with metadata size '1024' and payload size '10240'
    And the 'writer' process connects to buffer 'test-reader-death'
    And the 'writer' process sets write timeout to '2000' ms
    When the 'writer' process writes frame with size '8192'
    And the 'writer' process starts writing '1' frames with size '8192' in the background
    Then the 'writer' process should be blocked with '0' frames written for '300' ms
    When the 'reader' process is killed
    Then the 'writer' process should stop writing with 'ReaderDead' within '5000' ms
    And the 'writer' process should see a dead reader pid recorded in the OIEB
    And the 'writer' process should see the reader disconnected
    # The next write that has to wait fails the same way, and only after waiting its timeout.
    And the 'writer' process should fail to write frame with size '8192' with 'ReaderDead' after the write timeout

  Scenario: Test 10.5 - Writer Death While The Reader Waits For Data
    # The reader has read everything; a read with a live writer just times out with no frame. Then a
    # read with a 2 s timeout is started in the background and the writer is killed while it waits on
    # the frame semaphore (PROTOCOL.md §4 reader step 1). Nothing wakes it: only when its timeout runs
    # out does it look at writer_pid and find the writer dead, so WriterDead after at least 2000 ms,
    # never at once and never "no frame". The timeout is 2 s so that the read is still waiting when the
    # kill comes on a loaded machine (the 300 ms wait lets it block first).
    Given the 'reader' process creates buffer 'test-writer-death' with metadata size '1024' and payload size '10240'
    And the 'writer' process connects to buffer 'test-writer-death'
    When the 'writer' process writes frame with size '1024'
    Then the 'reader' process should read frame with sequence '1' and size '1024'
    And the 'reader' process should receive no frame within '300' ms
    When the 'reader' process starts reading a frame in the background with timeout '2000' ms
    And wait for '300' ms
    And the 'writer' process is killed
    Then the 'reader' process should stop reading with 'WriterDead' after at least '2000' ms and within '5000' ms
    And the 'reader' process should see a dead writer pid recorded in the OIEB
    And the 'reader' process should see the writer disconnected
    # The next read fails the same way, and only after waiting its timeout.
    And the 'reader' process should fail to read a frame with 'WriterDead' after waiting '1000' ms
