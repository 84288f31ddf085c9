# Section 4 of the scenario catalogue (test IDs 401-403). The zero-sized metadata block is catalogue
# 11.1 (features/11-edge-cases-flow-control.feature).
Feature: Metadata
  Metadata is written at most once, must fit its block, and is optional.

  Scenario: Test 4.1 - Metadata Write Once
    Given the 'reader' process creates buffer 'test-metadata-once' with metadata size '1024' and payload size '10240'
    And the 'writer' process connects to buffer 'test-metadata-once'
    When the 'writer' process writes metadata with size '500'
    And the 'writer' process writes '3' frames with size '1024'
    Then the 'writer' process should fail to write metadata with size '500' with 'MetadataAlreadyWritten'
    And the 'reader' process should have metadata with size '500'
    And the 'reader' process should read '3' frames with size '1024' in order

  Scenario Outline: Test 4.2 - Metadata Size Overflow
    Given the 'reader' process creates buffer 'test-metadata-overflow' with metadata size '1024' and payload size '10240'
    And the 'writer' process connects to buffer 'test-metadata-overflow'
    Then the 'writer' process should fail to write metadata with size '<size>' with 'MetadataTooLarge'
    And the 'reader' process should have no metadata
    When the 'writer' process writes metadata with size '1016'
    Then the 'reader' process should have metadata with size '1016'

    Examples:
      | size |
      | 1017 |
      | 2048 |

  Scenario: Test 4.3 - Writer Without Metadata
    # A normal metadata block that the writer never writes: frames still flow.
    Given the 'reader' process creates buffer 'test-no-metadata' with metadata size '1024' and payload size '10240'
    And the 'writer' process connects to buffer 'test-no-metadata'
    When the 'writer' process writes '3' frames with size '1024'
    Then the 'reader' process should have no metadata
    And the 'reader' process should read '3' frames with size '1024' in order
