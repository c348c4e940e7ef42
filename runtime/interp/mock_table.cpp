// MockTable: rule selection (most specific matching pattern, then declaration order) and
// sequences; see mock_table.h. Matching is the fixtures' (runtime/mock/fixture.h).
#include "runtime/interp/mock_table.h"

#include "runtime/mock/fixture.h"
#include "runtime/value/json.h"

namespace orch::interp {

namespace {

/// An empty record matches everything; the fixtures' matcher expects null for that.
Value NormalizePattern(const Value& pattern) {
  if (pattern.is_record() && pattern.as_record().empty()) return Value();
  return pattern;
}

}  // namespace

void MockTable::Add(const std::string& target, const Value& pattern, MockReply reply) {
  Value normalized = NormalizePattern(pattern);
  std::lock_guard lock(mutex_);
  std::vector<Rule>& rules = rules_[target];
  for (Rule& rule : rules) {
    if (rule.pattern == normalized) {
      rule.replies.push_back(std::move(reply));
      return;
    }
  }
  Rule rule;
  rule.pattern = normalized;
  rule.specificity = mock::MatchSpecificity(normalized);
  rule.replies.push_back(std::move(reply));
  rules.push_back(std::move(rule));
}

bool MockTable::Has(const std::string& target) const {
  std::lock_guard lock(mutex_);
  return rules_.count(target) != 0;
}

MockLookup MockTable::Find(const std::string& target, const Value& arguments, MockReply* reply) {
  std::lock_guard lock(mutex_);
  auto it = rules_.find(target);
  if (it == rules_.end()) return MockLookup::kNotMocked;
  Rule* best = nullptr;
  for (Rule& rule : it->second) {
    if (!mock::MatchesArguments(rule.pattern, arguments)) continue;
    if (best == nullptr || rule.specificity > best->specificity) best = &rule;
  }
  if (best == nullptr) return MockLookup::kNoMatch;
  size_t index = std::min(best->used, best->replies.size() - 1);
  ++best->used;
  *reply = best->replies[index];
  return MockLookup::kFound;
}

std::vector<std::string> MockTable::Patterns(const std::string& target) const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> out;
  auto it = rules_.find(target);
  if (it == rules_.end()) return out;
  for (const Rule& rule : it->second) out.push_back(rule.pattern.is_null() ? "(any arguments)" : ToJson(rule.pattern));
  return out;
}

void MockTable::RecordCall(const std::string& target, const Value& arguments) {
  std::lock_guard lock(mutex_);
  calls_[target].push_back(arguments);
}

List MockTable::Calls(const std::string& target) const {
  std::lock_guard lock(mutex_);
  auto it = calls_.find(target);
  return it == calls_.end() ? List{} : it->second;
}

}  // namespace orch::interp
