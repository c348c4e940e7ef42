// The calling convention between the interpreter and the built-in functions. Built-ins
// live in stdlib/ (which depends on the runtime), so the interpreter only knows this
// signature and receives a table of them; a lambda reaches a built-in as a Callable.
#pragma once

#include <span>
#include <string_view>

#include "runtime/value/error_or.h"
#include "runtime/value/value.h"

namespace orch::interp {

/// A function value the interpreter hands to higher-order built-ins (`map(xs, x => …)`).
/// Calling it may run tool calls, so it may fail with any error kind.
class Callable {
 public:
  virtual ~Callable() = default;
  /// Calls the function with `args` (as many as its parameters).
  virtual ErrorOr<Value> Call(std::span<const Value> args) const = 0;
  /// How many parameters the function declares.
  virtual int arity() const = 0;
};

/// A built-in function. `args` are the non-function arguments in order; `fn` is the one
/// lambda argument, always the last one in the source, or nullptr when the built-in takes none.
using BuiltinFn = ErrorOr<Value> (*)(std::span<const Value> args, const Callable* fn);

/// Static description of a built-in function.
struct BuiltinInfo {
  std::string_view name;
  /// Number of value arguments accepted (the lambda not counted).
  int min_args;
  int max_args;
  /// Parameters of the lambda argument, or -1 when the built-in takes no lambda.
  int lambda_arity;
  BuiltinFn fn;
  /// One-line signature for help and errors, e.g. "map(xs: [T], f: T => U) -> [U]".
  std::string_view signature;
};

/// Looks built-ins up by name; the interpreter resolves every name once when it loads a
/// program, never while running.
class BuiltinTable {
 public:
  virtual ~BuiltinTable() = default;
  virtual const BuiltinInfo* Find(std::string_view name) const = 0;
};

}  // namespace orch::interp
