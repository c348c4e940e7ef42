// Which workflows of a file `orchestrator serve` offers as MCP tools, and how each is
// described to clients. Pure: compiled program in, tool descriptions out.
//
// Served: every `workflow` declared at the top level of the served file itself. Not served:
// `test` blocks, workflows of imported files (libraries the served ones call), agents'
// workflows (reachable through the workflows that call them), and workflows whose name
// starts with `_` (private helpers by convention).
//
// Description of each tool:
//  - `description`: the `##` doc comment, else "Runs the workflow `NAME` of FILE".
//  - `inputSchema`: the parameter record as JSON Schema (types/json_schema.h); a parameter
//    with a default is not required, and a default written as a constant (literal, list or
//    record of literals, duration) is given as the property's `default`.
//  - `outputSchema`: the result type when it is an object type; any other result type T is
//    wrapped as `{result: T}` (MCP requires `type: object`); a workflow that returns nothing
//    has none.
//  - `annotations`: derived from every tool the workflow may call, directly or through the
//    workflows it calls: `readOnlyHint` only when all are read-only, `destructiveHint` when
//    any non-read-only one may be destructive, `idempotentHint` when all are read-only or
//    idempotent, `openWorldHint` when any may reach an open world. A tool whose annotations
//    are unknown (no lock entry) counts with MCP's defaults: not read-only, destructive, not
//    idempotent, open world.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "compiler/driver/driver.h"
#include "compiler/ir/ir.h"
#include "runtime/mcp/server/tool_provider.h"

namespace orch::serve {

/// One workflow offered as a tool.
struct ServedWorkflow {
  /// Index into ir::Module::functions.
  uint32_t entry = 0;
  mcp::server::ToolDescriptor descriptor;
  /// Parameter names in declaration order (how arguments are bound).
  std::vector<std::string> params;
  /// The result is sent as `structuredContent: {result: value}`.
  bool wrap_result = false;
};

/// The tools for `root` (a file compiled through the check phase without errors) and its
/// IR `module`, in declaration order.
std::vector<ServedWorkflow> DescribeWorkflows(const compiler::CompiledFile& root,
                                              const ir::Module& module);

/// The annotations (readOnlyHint, destructiveHint, idempotentHint, openWorldHint) of
/// function `entry` of `module`, given the catalog the program was checked against.
Value DeriveAnnotations(const ir::Module& module, uint32_t entry,
                        const compiler::check::ToolCatalog* catalog);

}  // namespace orch::serve
