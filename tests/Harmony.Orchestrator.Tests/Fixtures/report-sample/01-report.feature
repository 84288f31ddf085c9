Feature: Report sample
  A small run with a pass, a failure and an outline, for the report tests.

  Scenario: Test 1.1 - Passing write and read
    Given the 'reader' process succeeds
    And the 'writer' process succeeds
    Then every process succeeds

  Rule: failures are reported with their step

    Example: Test 1.2 - Failing frame count
      Given the 'reader' process succeeds
      When the 'writer' process fails with '3 frames but got 2'
      Then the 'reader' process succeeds
