// The tool list of the built-in `std` server as MCP `Tool` objects (name, description,
// inputSchema, annotations), built from the one table of std tools,
// stdlib/std_server/std_tools.def, which the in-process server also lists. The checker types
// `std.*` calls from it, so `std` needs no lock entry. (Only the .def table is included: the
// compiler does not link against stdlib.)
#pragma once

#include "runtime/value/value.h"

namespace orch::compiler::check {

/// The name programs use for the built-in server (`use std`).
inline constexpr const char* kStdServerName = "std";

/// The std server's tools: a list of MCP Tool records, sorted by name. Built once.
const Value& StdTools();

}  // namespace orch::compiler::check
