# Section 13 of the scenario catalogue (protocol compliance, test IDs 1301-1304): the OIEB, the layout,
# the lock file and the OS names follow PROTOCOL.md exactly. Every look goes through each library's
# diagnostics API by buffer name, so a worker sees what any process would see.
Feature: Protocol compliance
  The OIEB counters, the block alignment, the lock file and the semaphore names are exactly as
  PROTOCOL.md says.

  Scenario: Test 13.1 - OIEB Counters After Each Write And Read
    # A frame of n bytes takes 16 + n ring bytes (PROTOCOL.md §4, no padding): free bytes fall by that
    # on write and rise by it on release; the positions advance by it. Frames of 100, 1000 and 8000
    # bytes leave 900 bytes at the end of the 10048-byte ring, so the fourth frame wraps. The
    # catalogue's "all values 64-byte aligned" holds for the block sizes (payload 10000 is stored as
    # 10048, metadata 1000 as 1024); positions are not rounded (§4: frames have no padding), so the
    # steps assert the exact figures the protocol gives.
    Given the 'reader' process creates buffer 'test-oieb-counters' with metadata size '1000' and payload size '10000'
    Then the 'reader' process should see the OIEB, metadata and payload 64-byte aligned with metadata size '1024' and payload size '10048'
    And the 'reader' process should see written count '0', read count '0', free bytes '10048', write position '0' and read position '0' in the OIEB
    When the 'writer' process connects to buffer 'test-oieb-counters'
    And the 'writer' process writes frame with size '100'
    Then the 'writer' process should see written count '1', read count '0', free bytes '9932', write position '116' and read position '0' in the OIEB
    When the 'writer' process writes frame with size '1000'
    Then the 'writer' process should see written count '2', read count '0', free bytes '8916', write position '1132' and read position '0' in the OIEB
    When the 'writer' process writes frame with size '8000'
    Then the 'reader' process should see written count '3', read count '0', free bytes '900', write position '9148' and read position '0' in the OIEB
    Then the 'reader' process should read frame with sequence '1' and size '100'
    Then the 'reader' process should see written count '3', read count '1', free bytes '1016', write position '9148' and read position '116' in the OIEB
    Then the 'reader' process should read frame with sequence '2' and size '1000'
    Then the 'writer' process should see written count '3', read count '2', free bytes '2032', write position '9148' and read position '1132' in the OIEB
    # 900 bytes to the end, a 1016-byte frame: a wrap marker is written at 9148 (it counts as written),
    # the 900-byte tail is consumed, and the frame goes to offset 0.
    When the 'writer' process writes frame with size '1000'
    Then the 'writer' process should see written count '5', read count '2', free bytes '116', write position '1016' and read position '1132' in the OIEB
    Then the 'reader' process should read frame with sequence '3' and size '8000'
    And the 'reader' process should read frame with sequence '4' and size '1000'
    Then the 'reader' process should see written count '5', read count '5', free bytes '10048', write position '1016' and read position '1016' in the OIEB

  Scenario: Test 13.2 - OIEB, Metadata And Payload Start 64-Byte Aligned
    # Odd sizes are rounded up to multiples of 64 (PROTOCOL.md §2), so the metadata block starts at 128
    # and the payload at 128 + align64(metadata): both 64-byte aligned in a page-aligned mapping, and
    # frames of any size are read back intact from there. The catalogue's "all data access respects
    # alignment" cannot mean 64-byte aligned frames: PROTOCOL.md §4 packs frames with no padding, so a
    # frame after a 1-byte one starts at an odd offset. What is asserted instead: the block starts are
    # aligned, and headers and payloads at the odd offsets the sizes below produce are read back intact.
    Given the 'reader' process creates buffer 'test-alignment' with metadata size '1' and payload size '4097'
    Then the 'reader' process should see the OIEB, metadata and payload 64-byte aligned with metadata size '64' and payload size '4160'
    When the 'writer' process connects to buffer 'test-alignment'
    Then the 'writer' process should see the OIEB, metadata and payload 64-byte aligned with metadata size '64' and payload size '4160'
    When the 'writer' process writes frame with size '1'
    And the 'writer' process writes frame with size '63'
    And the 'writer' process writes frame with size '65'
    And the 'writer' process writes frame with size '1000'
    Then the 'reader' process should read frame with sequence '1' and size '1'
    And the 'reader' process should read frame with sequence '2' and size '63'
    And the 'reader' process should read frame with sequence '3' and size '65'
    And the 'reader' process should read frame with sequence '4' and size '1000'

  Scenario: Test 13.3 - Lock File Is Held, Taken Over After A Crash And Removed On Close
    # The reader holds flock(LOCK_EX) on <lock dir>/<name>.lock. Killed (SIGKILL, or simulateCrash in
    # same-process mode), its lock goes with its descriptors; a new reader finds the buffer stale,
    # reclaims it and holds the lock itself (the writer, still connected to the old one, looks at the
    # buffer by name). (The free, stale lock is not asserted between the two: in
    # a parallel run any other reader's stale sweep may remove it first.)
    Given the 'reader' process creates buffer 'test-lock-file' with metadata size '1024' and payload size '10240'
    Then the 'reader' process should see the lock file of the buffer held
    When the 'writer' process connects to buffer 'test-lock-file'
    Then the 'writer' process should see the shared memory, both semaphores and the lock file of the buffer with mode '0600'
    And the 'writer' process should see the lock file of the buffer held
    When the 'reader' process is killed
    And a new 'reader' process is started
    And the 'reader' process creates buffer 'test-lock-file' with metadata size '1024' and payload size '10240'
    Then the 'reader' process should see its pid recorded as the reader in the OIEB
    And the 'writer' process should see the lock file of the buffer held
    When the 'reader' process closes its reader
    Then the 'writer' process should see no shared memory, semaphores or lock file of the buffer

  Scenario Outline: Test 13.4 - Semaphores Are Named sem-w- And sem-r- Followed By The Buffer Name
    # For a UUID-style name, one with every allowed character and a maximum-length one, the objects are
    # exactly /dev/shm/<name>, /dev/shm/sem.sem-w-<name>, /dev/shm/sem.sem-r-<name> and <name>.lock.
    Given the 'reader' process creates buffer '<name>' padded to '<length>' characters with metadata size '1024' and payload size '10240'
    And the 'writer' process connects to buffer '<name>' padded to '<length>' characters
    Then the 'writer' process should see the shared memory, both semaphores and the lock file of the buffer with mode '0600'
    When the 'writer' process writes frame with size '1024'
    Then the 'reader' process should read frame with sequence '1' and size '1024'
    When the 'writer' process closes its writer
    And the 'reader' process closes its reader
    Then the 'writer' process should see no shared memory, semaphores or lock file of the buffer

    Examples:
      | name                                 | length |
      | 3f2b8c1e-9a4d-4e6f-b7c2-0d1e2f3a4b5c | 0      |
      | AZaz09._-                            | 0      |
      | uuid-3f2b8c1e-9a4d-4e6f-b7c2         | 200    |
