# Section 10 of the scenario catalogue (test IDs 1001-1008): errors the libraries must survive.
# 10.2-10.5 corrupt a live buffer or kill a peer. Corruption goes through each library's diagnostics
# API by buffer name (never raw offsets in step code); the same corruption must give the same kind in
# every language (PROTOCOL.md §5: InvalidOieb, §4: InvalidFrameSize), never a crash or a hang. In
# separate-process mode a killed process is a real SIGKILL; in same-process mode the orchestrator sends
# `simulateCrash` for the role (see features/02-process-lifecycle.feature).
# The resource scenarios (10.1, 10.6, 10.7) run the reader in a mount namespace of its own whose /dev/shm is
# a small tmpfs (the orchestrator step "a new 'reader' process is started with a private /dev/shm of ..."),
# so the OS limit is hit for real, with no test seam and nothing taken from the machine's /dev/shm. Sizes
# are in 4 KB pages: a buffer of metadata 1024 and payload 10240 is 128 + 1024 + 10240 bytes of shared
# memory (3 pages, all reserved by posix_fallocate at creation) and one page per semaphore (glibc keeps a
# named semaphore as the file /dev/shm/sem.<name>), 5 pages in all. The lock files stay in the machine's
# lock directory, where "should see no OS object named after buffer" looks too.
# These scenarios need root (mount namespaces, another uid), hence @privileged (run with --tags @privileged),
# and a process of their own for one role, which same-process mode cannot give, hence @separate-process.
Feature: Error recovery
  A corrupted buffer is refused with the error that names the corruption, a peer that dies is detected
  by the one left behind, a failure to create the shared memory or a semaphore is reported as
  ResourceExhausted and leaves nothing behind, and a user without permission is refused with
  PermissionDenied and changes nothing.

  # Needs root and its own process: the reader's private /dev/shm of 32 KB (8 pages) holds one buffer
  # (5 pages) and the second buffer's shared memory (3 pages) exactly, so the real sem_open of the second
  # buffer's first semaphore fails with ENOSPC. The reader must unlink the shared memory it had made before
  # throwing: only then does the second buffer fit once the first is closed.
  @privileged @separate-process
  Scenario: Test 10.1 - Semaphore Creation Failure Leaves No Shared Memory
    Given a new 'reader' process is started with a private /dev/shm of '32' KB
    And the 'reader' process creates buffer 'test-sem-first' with metadata size '1024' and payload size '10240'
    Then the 'reader' process should fail to create buffer 'test-sem-fail' with 'ResourceExhausted'
    And the 'reader' process should see no OS object named after buffer 'test-sem-fail'
    When the 'reader' process closes its reader
    Then the 'reader' process creates buffer 'test-sem-fail' with metadata size '1024' and payload size '10240'
    And the 'reader' process should see '10240' free payload bytes in the OIEB

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

  # Needs root and its own process: the reader's private /dev/shm of 40 KB (10 pages) holds two buffers;
  # the third one's posix_fallocate fails with ENOSPC. Without that reservation the third buffer would be
  # created on pages that do not exist and its first touch would kill the worker with SIGBUS.
  @privileged @separate-process
  Scenario: Test 10.6 - Shared Memory Exhaustion
    Given a new 'reader' process is started with a private /dev/shm of '40' KB
    And the 'reader' process creates buffer 'test-shm-full-1' with metadata size '1024' and payload size '10240'
    And the 'reader' process creates buffer 'test-shm-full-2' with metadata size '1024' and payload size '10240'
    Then the 'reader' process should fail to create buffer 'test-shm-full-3' with 'ResourceExhausted'
    And the 'reader' process should see no OS object named after buffer 'test-shm-full-3'
    # The buffers made before are untouched, and the failed one leaked no page: closing one makes room for it.
    And the 'reader' process should see '10240' free payload bytes in the OIEB
    When the 'reader' process closes its reader
    Then the 'reader' process creates buffer 'test-shm-full-3' with metadata size '1024' and payload size '10240'
    And the 'reader' process should see '10240' free payload bytes in the OIEB

  # Linux has no limit on named semaphores of its own (getconf SEM_NSEMS_MAX: undefined): each is a file in
  # /dev/shm, so what limits them is the space of /dev/shm (10.1) and the files it may hold (tmpfs nr_inodes),
  # measured here; RLIMIT_NOFILE is none, as sem_open closes its descriptor once the semaphore is mapped.
  # Needs root and its own process: the reader's private /dev/shm holds 4 files, one buffer's three and the
  # second buffer's shared memory, so the second buffer's first semaphore cannot be created (ENOSPC).
  @privileged @separate-process
  Scenario: Test 10.7 - Semaphore Limit
    Given a new 'reader' process is started with a private /dev/shm of '1024' KB and '4' files
    And the 'reader' process creates buffer 'test-sem-limit-1' with metadata size '1024' and payload size '10240'
    Then the 'reader' process should fail to create buffer 'test-sem-limit-2' with 'ResourceExhausted'
    And the 'reader' process should see no OS object named after buffer 'test-sem-limit-2'
    When the 'reader' process closes its reader
    Then the 'reader' process creates buffer 'test-sem-limit-2' with metadata size '1024' and payload size '10240'
    And the 'reader' process should see '10240' free payload bytes in the OIEB

  # Needs root and a second pid of another uid: the reader runs as root, the writer worker is started as
  # user 'nobody' (the worker's command, working directory and files must be readable and executable by
  # nobody; the step fails saying so when they are not). The shared memory is mode 0600 (PROTOCOL.md §5),
  # so the writer's shm_open fails with EACCES. @other-user marks that need: scripts/test-all.sh leaves the
  # scenario out, saying why, when the checkout is not readable by nobody (a clone inside a 0700 folder).
  @privileged @separate-process @other-user
  Scenario: Test 10.8 - Permission Denied For Another User
    Given the 'reader' process creates buffer 'test-permission' with metadata size '1024' and payload size '10240'
    When a new 'writer' process is started as user 'nobody'
    Then the 'writer' process should fail to connect to buffer 'test-permission' with 'PermissionDenied'
    # No corruption: the refused writer left no trace, and the owner's writer still works.
    And the 'reader' process should see written count '0', read count '0', free bytes '10240', write position '0' and read position '0' in the OIEB
    And the 'reader' process should see the writer disconnected
    When a new 'writer' process is started
    And the 'writer' process connects to buffer 'test-permission'
    And the 'writer' process writes frame with size '1024'
    Then the 'reader' process should read frame with sequence '1' and size '1024'
