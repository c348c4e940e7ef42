// Argument checks shared by the built-in implementations, so every built-in words its
// type errors the same way: "`map` expects a list as argument 1, got string".
// Internal to stdlib/builtins.
#pragma once

#include <fmt/format.h>

#include <span>
#include <string_view>

#include "runtime/interp/callable.h"
#include "runtime/interp/value_ops.h"

namespace orch::stdlib::detail {

inline Error TypeError(std::string_view fn, size_t position, std::string_view wanted, const Value& got) {
  return MakeError("type", fmt::format("`{}` expects {} as argument {}, got {}", fn, wanted, position + 1,
                                       interp::TypeName(got)));
}

inline Error ValueError(std::string message) { return MakeError("value", std::move(message)); }

/// Calls `fn` with one argument.
inline ErrorOr<Value> Call1(const interp::Callable& fn, const Value& a) {
  return fn.Call(std::span<const Value>(&a, 1));
}

/// Calls `fn` with two arguments.
inline ErrorOr<Value> Call2(const interp::Callable& fn, const Value& a, const Value& b) {
  const Value args[2] = {a, b};
  return fn.Call(std::span<const Value>(args, 2));
}

}  // namespace orch::stdlib::detail

#define ORCH_EXPECT_KIND(fn, args, i, pred, wanted) \
  if (!(args)[i].pred()) return ::orch::stdlib::detail::TypeError(fn, i, wanted, (args)[i])
