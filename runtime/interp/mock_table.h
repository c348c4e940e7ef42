// MockTable: the replies a `test` block installs with `mock` and the calls it made, for
// the interpreter to consult instead of any server while a test runs.
//
// Rules. Each `mock TARGET[(arg: pattern, …)] => reply` adds a reply to the rule for that
// target and pattern; several `mock` lines with the same target and pattern form a
// sequence: successive calls take the replies in order and the last one repeats. A call
// uses the rule whose pattern matches its arguments (every pattern field present with an
// equal value, records compared field by field, as in `mock serve` fixtures) with the
// most constrained fields; among equally specific rules the first declared wins.
// Targets are "server.tool" for tools (the server's name in the program) and the
// workflow's name ("count", "agent.workflow") for workflows. Thread-safe.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "compiler/source/source.h"
#include "runtime/value/error_or.h"
#include "runtime/value/value.h"

namespace orch::interp {

/// One reply: a fixed value, or a function of the call's arguments record.
struct MockReply {
  Value value;
  /// When set, computes the reply from the arguments (a lambda `args => …`).
  std::function<ErrorOr<Value>(const Value& arguments)> compute;
  compiler::Span span;
};

/// What a call finds.
enum class MockLookup : uint8_t {
  kFound,
  /// The target has no rule at all.
  kNotMocked,
  /// The target has rules, but none matches the arguments.
  kNoMatch,
};

class MockTable {
 public:
  /// Adds `reply` to the rule for `target` and `pattern` (a record, empty for any call).
  void Add(const std::string& target, const Value& pattern, MockReply reply);

  /// True when `target` has at least one rule.
  bool Has(const std::string& target) const;

  /// The reply for a call of `target` with `arguments`; advances the chosen rule's
  /// sequence. `*reply` is set only when the result is kFound.
  MockLookup Find(const std::string& target, const Value& arguments, MockReply* reply);

  /// The patterns of `target`'s rules, as JSON text, for "no mock matches" messages.
  std::vector<std::string> Patterns(const std::string& target) const;

  /// Records a call of `target` with `arguments` (before it is answered).
  void RecordCall(const std::string& target, const Value& arguments);

  /// The argument records of every recorded call of `target`, in call order.
  List Calls(const std::string& target) const;

 private:
  struct Rule {
    Value pattern;
    size_t specificity = 0;
    std::vector<MockReply> replies;
    size_t used = 0;
  };
  mutable std::mutex mutex_;
  std::map<std::string, std::vector<Rule>, std::less<>> rules_;
  std::map<std::string, List, std::less<>> calls_;
};

}  // namespace orch::interp
