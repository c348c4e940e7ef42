// libFuzzer target: JSON text from a server → orch::Value → JSON text.
// Any byte string must either be rejected with an error or parse to a value that survives
// a round trip: writing it (compact, pretty and canonical) and parsing the result again
// gives an equal value, and the canonical form is a fixed point. MCP servers send us
// arbitrary bytes, so this is the first line of defence of the runtime.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "runtime/value/json.h"

namespace {

/// Reports a broken invariant the way libFuzzer expects: print and abort.
[[noreturn]] void Fail(const char* what, std::string_view detail) {
  std::fprintf(stderr, "fuzz_json: %s\n%.*s\n", what, static_cast<int>(detail.size()), detail.data());
  std::abort();
}

void CheckRoundTrip(const orch::Value& value, const orch::JsonWriteOptions& options) {
  std::string text = orch::ToJson(value, options);
  auto again = orch::ParseJson(text);
  if (!again.ok()) Fail("written JSON does not parse again", text);
  if (!(*again == value)) Fail("value changed in a write/parse round trip", text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto value = orch::ParseJson(text);
  if (!value.ok()) {
    if (value.error().message.empty()) Fail("a rejected document has an empty error message", text);
    return 0;
  }
  CheckRoundTrip(*value, {});
  CheckRoundTrip(*value, {.indent = 2});
  CheckRoundTrip(*value, {.sort_keys = true});
  std::string canonical = orch::CanonicalJson(*value);
  auto reparsed = orch::ParseJson(canonical);
  if (!reparsed.ok() || orch::CanonicalJson(*reparsed) != canonical) Fail("canonical JSON is not a fixed point", canonical);
  return 0;
}
