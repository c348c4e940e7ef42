// The results of one `orchestrator test` run and the report formats it prints or writes:
// the plain one-line-per-test text, TAP version 13, JUnit XML and JSON. Pure functions of
// the results; test_command.cpp runs the tests and chooses the outputs.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace orch::cli::testing {

enum class TestStatus : unsigned char { kPassed, kFailed, kSkipped };

/// One test, or one file that does not compile (`compile_error`, name empty).
struct TestRecord {
  /// The file as found from the command line (`examples/hello.orch`).
  std::string file;
  /// The test's name; empty for a file-level compile failure.
  std::string name;
  /// Line of the `test` declaration (0 for a file-level failure).
  unsigned line = 0;
  TestStatus status = TestStatus::kSkipped;
  bool compile_error = false;
  bool timed_out = false;
  /// One-line reason of a failure: "assertion failed: …" (with the code in `code`).
  std::string message;
  /// The diagnostic code of the failure ("E0511"), or "compile" / "" .
  std::string code;
  /// `file:line:column` where it failed (the failing statement, or the test for a timeout).
  std::string location;
  /// Further lines: the call chain, `log` lines, rendered compile diagnostics.
  std::vector<std::string> details;
  std::chrono::nanoseconds elapsed{0};
};

struct Totals {
  size_t passed = 0;
  size_t failed = 0;
  size_t skipped = 0;
};
Totals Count(const std::vector<TestRecord>& records);

/// `ok   file.orch: name (3 ms)` / `FAIL file.orch:12: name` + indented reason and details.
/// Skipped tests print nothing.
std::string PlainLine(const TestRecord& record);
/// `N passed, N failed` and `, N skipped` when any was skipped.
std::string SummaryLine(const Totals& totals);

/// The TAP "test line" (and YAML diagnostic block) of test number `number`.
std::string TapLine(const TestRecord& record, size_t number);
/// `TAP version 13` and the plan line.
std::string TapHeader(size_t count);

/// The whole JUnit XML document (testsuites → one testsuite per file → testcase).
std::string JunitXml(const std::vector<TestRecord>& records);

/// The whole JSON report: {"tests": [...], "passed": N, "failed": N, "skipped": N}.
std::string JsonReport(const std::vector<TestRecord>& records);

}  // namespace orch::cli::testing
