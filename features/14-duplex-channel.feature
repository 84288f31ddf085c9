# Section 14 of the scenario catalogue (test IDs 1401-1410): the duplex channel (PROTOCOL.md section 8).
# The server process runs the server ('server' role), the client process the client ('client' role);
# pair csharp_python = client csharp, server python. Request payloads follow the frame pattern of
# their sequence; every response is checked byte for byte against what the handler must return.
Feature: Duplex channel
  A client sends requests over <channel>_request and a server answers them over <channel>_response,
  in request order (SingleThread) or matched by the request sequence (ThreadPool, correlated).

  Scenario: Test 14.1 - Basic Request-Response
    Given the 'server' process starts an immutable 'echo' server on channel 'duplex-basic' with payload size '1048576' in 'SingleThread' mode
    And the 'client' process connects to channel 'duplex-basic' with response payload size '1048576'
    When the 'client' process sends a request with size '1'
    And the 'client' process sends a request with size '1024'
    And the 'client' process sends a request with size '102400'
    Then the 'client' process should receive the 'echo' response to every request in 'request' order within '5000' ms

  Scenario: Test 14.2 - Out-of-Order Responses Matched by Sequence
    Given the 'server' process starts an immutable 'echo' server on channel 'duplex-sequence' with payload size '1048576' answering every '10' requests in reverse order after '500' ms
    And the 'client' process connects to channel 'duplex-sequence' with response payload size '1048576'
    When the 'client' process sends '10' requests with size '1024'
    Then the 'client' process should receive the 'echo' response to every request in 'reverse' order within '10000' ms
    And the 'client' process should have waited at least '500' ms for the first response

  Scenario: Test 14.3 - Concurrent Client Threads
    Given the 'server' process starts an immutable 'echo' server on channel 'duplex-concurrent' with payload size '1048576' in 'ThreadPool' mode with a delay of up to '100' ms
    And the 'client' process connects to channel 'duplex-concurrent' with response payload size '1048576'
    Then the 'client' process sends '20' requests with size '1024' from each of '5' threads and each thread receives its 'echo' responses within '30000' ms

  Scenario: Test 14.4 - SingleThread Processing Is Sequential
    Given the 'server' process starts an immutable 'echo' server on channel 'duplex-single' with payload size '1048576' in 'SingleThread' mode with '1000' ms delay
    And the 'client' process connects to channel 'duplex-single' with response payload size '1048576'
    When the 'client' process sends '3' requests with size '1024'
    Then the 'client' process should receive the 'echo' response to every request in 'request' order within '10000' ms
    And the 'client' process should have taken at least '3000' ms from the first request to the last response

  # Needs a second pid: the Python server measures its allocations with tracemalloc, which sees the
  # whole process, so a client sharing that process would be counted as the server's.
  @separate-process
  Scenario: Test 14.5 - Mutable and Immutable Servers Agree
    Given the 'server' process starts a mutable 'xor' server on channel 'duplex-mutable' with payload size '1048576' in 'SingleThread' mode
    And the 'server' process starts an immutable 'xor' server on channel 'duplex-immutable' with payload size '1048576' in 'SingleThread' mode
    When the 'client' process connects to channel 'duplex-mutable' with response payload size '1048576'
    And the 'client' process sends '20' requests with size '10240'
    Then the 'client' process should receive the 'xor' response to every request in 'request' order within '10000' ms
    When the 'client' process connects to channel 'duplex-immutable' with response payload size '1048576'
    And the 'client' process sends '20' requests with size '10240'
    Then the 'client' process should receive the 'xor' response to every request in 'request' order within '10000' ms
    And the 'client' process should have received identical responses on channels 'duplex-mutable' and 'duplex-immutable'
    And the 'server' process should have allocated nothing per request on channel 'duplex-mutable'
    And the 'server' process should have allocated at least the request size per request on channel 'duplex-immutable'

  # Needs a second pid: the server worker is killed with SIGKILL while its handler holds a request,
  # and the client must see that real death (duplex crash simulation in one process is not in scope).
  @separate-process
  Scenario: Test 14.6 - Server Crash During Processing
    Given the 'server' process starts an immutable 'echo' server on channel 'duplex-crash' with payload size '4194304' in 'SingleThread' mode with '30000' ms delay
    And the 'client' process connects to channel 'duplex-crash' with response payload size '4194304'
    When the 'client' process sends a request with size '1048576'
    Then the 'server' process should be handling a request within '5000' ms
    When the 'server' process is killed
    Then the 'client' process should see the server disconnected
    And the 'client' process should fail to receive the '1' pending responses with 'WriterDead' within '5000' ms

  # Needs a second pid: the client worker is killed with SIGKILL while the server handles its request,
  # and the server must notice that real death when it answers.
  @separate-process
  Scenario: Test 14.7 - Client Crash During Processing
    Given the 'server' process starts an immutable 'echo' server on channel 'duplex-client-crash' with payload size '1048576' in 'SingleThread' mode with '2000' ms delay
    And the 'client' process connects to channel 'duplex-client-crash' with response payload size '1048576'
    When the 'client' process sends a request with size '1024'
    Then the 'server' process should be handling a request within '5000' ms
    When the 'client' process is killed
    Then the 'server' process should see a response fail with 'ReaderDead' within '10000' ms
    When a new 'client' process is started
    And the 'client' process connects to channel 'duplex-client-crash' with response payload size '1048576'
    And the 'client' process sends a request with size '1024'
    Then the 'client' process should receive the 'echo' response to every request in 'request' order within '10000' ms

  Scenario: Test 14.8 - Response Back-Pressure With Small Buffers
    Given the 'server' process starts an immutable 'double' server on channel 'duplex-small' with payload size '10240' in 'SingleThread' mode
    And the 'client' process connects to channel 'duplex-small' with response payload size '10240'
    When the 'client' process sends '2' requests with size '4096'
    Then the 'server' process should still be writing a response after '1000' ms
    Then the 'client' process should receive '1' 'double' responses within '5000' ms
    Then the 'server' process should have answered '2' requests within '5000' ms
    And the 'client' process should receive the 'double' response to every request in 'request' order within '5000' ms

  Scenario: Test 14.9 - Zero-Copy Requests
    Given the 'server' process starts an immutable 'echo' server on channel 'duplex-zerocopy' with payload size '1048576' in 'SingleThread' mode
    And the 'client' process connects to channel 'duplex-zerocopy' with response payload size '1048576'
    When the 'client' process sends '10' requests with size '4096' through the zero-copy path
    Then the 'client' process should receive the 'echo' response to every request in 'request' order within '5000' ms

  Scenario: Test 14.10 - Server Dispose With Pending Responses
    Given the 'server' process starts an immutable 'echo' server on channel 'duplex-cleanup' with payload size '1048576' answering only the first '3' requests
    And the 'client' process connects to channel 'duplex-cleanup' with response payload size '1048576'
    When the 'client' process sends '5' requests with size '1024'
    Then the 'client' process should receive '3' 'echo' responses within '5000' ms
    When the 'server' process stops the server on channel 'duplex-cleanup'
    Then the 'client' process should fail to receive the '2' pending responses with 'WriterDead' within '5000' ms
    When the 'client' process disconnects from channel 'duplex-cleanup'
    Then the 'server' process should see no shared memory left for channel 'duplex-cleanup'
    When the 'server' process starts an immutable 'echo' server on channel 'duplex-cleanup' with payload size '1048576' in 'SingleThread' mode
    And the 'client' process connects to channel 'duplex-cleanup' with response payload size '1048576'
    And the 'client' process sends a request with size '1024'
    Then the 'client' process should receive the 'echo' response to every request in 'request' order within '5000' ms
