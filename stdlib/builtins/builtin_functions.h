// Declarations of the built-in implementations listed in builtin_list.def. Internal to
// stdlib/builtins; everyone else goes through builtins.h.
#pragma once

#include "runtime/interp/callable.h"

namespace orch::stdlib::detail {

#define ORCH_BUILTIN_IMPL(name, Fn, min_args, max_args, lambda_arity, signature) \
  ErrorOr<Value> Fn(std::span<const Value> args, const interp::Callable* fn);
#include "stdlib/builtins/builtin_list.def"

}  // namespace orch::stdlib::detail
