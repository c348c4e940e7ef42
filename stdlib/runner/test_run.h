// RunTest: runs one `test` block of a compiled module the way `orchestrator test` does:
// with a fresh MockTable, no server at all (a tool call with no mock fails the test), the
// standard built-ins, and a time limit. Shared by the `test` command and its unit tests;
// prints nothing.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/ir/ir.h"
#include "runtime/interp/native_code.h"
#include "runtime/interp/runtime_error.h"

namespace orch::stdlib {

/// How one test ended.
struct TestOutcome {
  bool passed = false;
  /// The test ran past its time limit and was cancelled (error then says where it was
  /// started: the test's own span).
  bool timed_out = false;
  /// Why it failed (assertion, unmocked call, runtime error, timeout).
  std::optional<interp::RuntimeError> error;
  /// Its `log` lines, in order.
  std::vector<std::string> logs;
  std::chrono::nanoseconds elapsed{0};
};

/// Runs function `index` of `module` (a function with is_test) with mocks and no servers.
/// Returns within about `timeout` (plus a short grace period for the cancelled test to
/// unwind); a test that does not unwind is abandoned on its thread, which keeps `module`
/// alive through the shared pointer. With `native` (`test --jit`), compiled blocks of the
/// module run instead of being interpreted; the thread keeps them alive too.
TestOutcome RunTest(std::shared_ptr<const ir::Module> module, uint32_t index, std::chrono::milliseconds timeout,
                    std::shared_ptr<const interp::NativeCode> native = nullptr);

}  // namespace orch::stdlib
