# Not part of the matrix (features/ is): the sample the tests in FailingSampleTests.cs run through xUnit
# to show what a failing, a skipped and a passing row look like.
Feature: Failing sample
  Scenarios that fail, are skipped and pass on purpose.

  Scenario: Test 99.1 - Metadata That Was Written Is Not There
    Given the 'reader' process creates buffer 'sample-fail' with metadata size '1024' and payload size '10240'
    And the 'writer' process connects to buffer 'sample-fail'
    When the 'writer' process writes metadata with size '100'
    Then the 'reader' process should have no metadata

  @stress
  Scenario: Test 99.2 - A Costly Scenario
    Given the 'reader' process creates buffer 'sample-costly' with metadata size '1024' and payload size '10240'

  # Needs separate processes only to show the planner's same-process skip.
  @separate-process
  Scenario: Test 99.3 - Metadata Arrives
    Given the 'reader' process creates buffer 'sample-pass' with metadata size '1024' and payload size '10240'
    And the 'writer' process connects to buffer 'sample-pass'
    When the 'writer' process writes metadata with size '100'
    Then the 'reader' process should have metadata with size '100'
