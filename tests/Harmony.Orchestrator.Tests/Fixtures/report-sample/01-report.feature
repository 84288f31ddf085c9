Feature: Report sample
  A small run with a pass, a failure and an outline, for the report tests.

  Scenario: Test 1.1 - Passing write and read
    Given the 'reader' process succeeds
    And the 'writer' process measures
    Then every process succeeds

  Scenario Outline: Test 1.3 - Outline says <word>
    Given the 'writer' process says <word>

    Examples:
      | word  |
      | hello |
      | bye   |

  Rule: failures are reported with their step

    Example: Test 1.2 - Failing frame count
      Given the 'reader' process succeeds
      When the 'writer' process fails with '3 frames but got 2'
      Then the 'reader' process succeeds
