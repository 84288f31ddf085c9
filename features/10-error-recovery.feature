# Section 10 of the scenario catalogue (error recovery, test IDs 1001-1008).
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
  A failure to create the shared memory or a semaphore is reported as ResourceExhausted and leaves nothing
  behind; a user without permission is refused with PermissionDenied and changes nothing.

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
  # so the writer's shm_open fails with EACCES.
  @privileged @separate-process
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
