// Conversion and environment built-ins: to_json from_json int number string now uuid, and
// `hole` (which only fails: `check` keeps programs with holes from running).
#include <charconv>
#include <chrono>
#include <cmath>
#include <ctime>
#include <random>

#include "runtime/value/json.h"
#include "stdlib/builtins/builtin_functions.h"
#include "stdlib/builtins/builtin_helpers.h"

namespace orch::stdlib::detail {
namespace {

std::string_view TrimView(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

/// Quotes a string for an error message, shortened so a huge input does not flood it.
std::string Quote(std::string_view s) {
  constexpr size_t kMax = 40;
  if (s.size() <= kMax) return fmt::format("\"{}\"", s);
  return fmt::format("\"{}…\"", s.substr(0, kMax));
}

}  // namespace

ErrorOr<Value> ToJsonFn(std::span<const Value> args, const interp::Callable*) { return Value(ToJson(args[0])); }

ErrorOr<Value> FromJson(std::span<const Value> args, const interp::Callable*) {
  ORCH_EXPECT_KIND("from_json", args, 0, is_string, "a string");
  auto parsed = ParseJsonString(args[0].as_string());
  if (!parsed) return MakeError("json", fmt::format("`from_json`: {}", parsed.error().message));
  return parsed;
}

ErrorOr<Value> Int(std::span<const Value> args, const interp::Callable*) {
  const Value& x = args[0];
  switch (x.kind()) {
    case Value::Kind::kInt: return x;
    case Value::Kind::kBool: return Value(int64_t{x.as_bool() ? 1 : 0});
    case Value::Kind::kNumber: {
      double d = std::trunc(x.as_number());
      // 2^63 is exactly representable; anything at or beyond it does not fit.
      if (!std::isfinite(d) || d >= 9223372036854775808.0 || d < -9223372036854775808.0) {
        return ValueError(fmt::format("`int`: {} does not fit in an int", ToJson(x)));
      }
      return Value(static_cast<int64_t>(d));
    }
    case Value::Kind::kString: {
      std::string_view s = TrimView(x.as_string());
      int64_t out = 0;
      auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
      if (ec == std::errc::result_out_of_range) {
        return ValueError(fmt::format("`int`: {} does not fit in an int", Quote(x.as_string())));
      }
      if (s.empty() || ec != std::errc() || end != s.data() + s.size()) {
        return ValueError(fmt::format("`int`: {} is not a whole number", Quote(x.as_string())));
      }
      return Value(out);
    }
    default: return TypeError("int", 0, "an int, number, string or bool", x);
  }
}

ErrorOr<Value> Number(std::span<const Value> args, const interp::Callable*) {
  const Value& x = args[0];
  switch (x.kind()) {
    case Value::Kind::kInt:
    case Value::Kind::kNumber: return Value(x.as_number());
    case Value::Kind::kBool: return Value(x.as_bool() ? 1.0 : 0.0);
    case Value::Kind::kString: {
      std::string_view s = TrimView(x.as_string());
      double out = 0;
      auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
      if (s.empty() || ec != std::errc() || end != s.data() + s.size() || !std::isfinite(out)) {
        return ValueError(fmt::format("`number`: {} is not a number", Quote(x.as_string())));
      }
      return Value(out);
    }
    default: return TypeError("number", 0, "an int, number, string or bool", x);
  }
}

ErrorOr<Value> String(std::span<const Value> args, const interp::Callable*) {
  if (args[0].is_string()) return args[0];
  return Value(interp::DisplayString(args[0]));
}

ErrorOr<Value> Now(std::span<const Value>, const interp::Callable*) {
  auto now = std::chrono::system_clock::now();
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  return Value(fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", utc.tm_year + 1900, utc.tm_mon + 1,
                           utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, ms % 1000));
}

ErrorOr<Value> Uuid(std::span<const Value>, const interp::Callable*) {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  uint64_t hi = rng(), lo = rng();
  hi = (hi & 0xFFFFFFFFFFFF0FFFULL) | 0x0000000000004000ULL;  // version 4
  lo = (lo & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;  // variant 10xx
  return Value(fmt::format("{:08x}-{:04x}-{:04x}-{:04x}-{:012x}", hi >> 32, (hi >> 16) & 0xFFFF, hi & 0xFFFF,
                           lo >> 48, lo & 0xFFFFFFFFFFFFULL));
}

// `check` rejects every program with a hole (E0324); this runs only if a caller skipped it.
ErrorOr<Value> Hole(std::span<const Value> args, const interp::Callable*) {
  return MakeError("runtime", fmt::format("reached a typed hole with {} candidate(s): replace `hole(…)` with an "
                                          "expression and run `orchestrator check`",
                                          args.size()));
}

namespace {

/// A ToolResult value as a tool without an outputSchema returns it.
Value ToolResultOf(const Value& text, bool is_error) {
  Record item{{"type", Value("text")}, {"text", text}};
  return Value(Record{{"content", Value(List{Value(std::move(item))})},
                      {"text", text},
                      {"structured", Value()},
                      {"is_error", Value(is_error)}});
}

}  // namespace

ErrorOr<Value> TextResult(std::span<const Value> args, const interp::Callable*) {
  if (!args[0].is_string()) return MakeError("runtime", fmt::format("`text` needs a string, got {}", interp::TypeName(args[0])));
  return ToolResultOf(args[0], false);
}

// A ToolResult with `is_error: true`: a mocked call answering it raises a tool error.
ErrorOr<Value> ErrorResult(std::span<const Value> args, const interp::Callable*) {
  if (!args[0].is_string()) return MakeError("runtime", fmt::format("`error` needs a string, got {}", interp::TypeName(args[0])));
  return ToolResultOf(args[0], true);
}

}  // namespace orch::stdlib::detail
