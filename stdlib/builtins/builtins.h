// The built-in functions of the language (DESIGN.md §4): collection, string and conversion
// helpers over orch::Value. Each is an interp::BuiltinFn; the table below is what `run`
// hands to the interpreter. Pipeline-friendly: the collection is always the first argument,
// and a lambda argument is always the last.
#pragma once

#include <span>

#include "runtime/interp/callable.h"

namespace orch::stdlib {

/// Every built-in function, in the order of DESIGN.md §4.
std::span<const interp::BuiltinInfo> AllBuiltins();

/// The table of AllBuiltins() by name (a process-wide singleton).
const interp::BuiltinTable& Builtins();

}  // namespace orch::stdlib
