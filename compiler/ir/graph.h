// Pictures of workflows (`orchestrator graph`): every tool and workflow call as a node,
// the data dependencies between calls as edges (the same DependencyGraph that drives
// automatic concurrency), and the structure around the calls as nested groups: `parallel`
// blocks and their branches, `for` loops (with their concurrency limit), `if`/`else`,
// `try`/`catch`, and built-ins whose lambda calls tools (`xs | map(x => srv.tool(…))`).
// Rendered as Mermaid (Markdown, GitHub) or Graphviz DOT.
#pragma once

#include <string>

#include "compiler/ir/ir.h"
#include "compiler/source/source.h"

namespace orch::ir {

enum class GraphFormat : uint8_t { kMermaid, kDot };

/// The graph of `module`'s function `function` (an index), or of every workflow (not the
/// `test` blocks) when `function` is kNone. `sources` adds line numbers to the node labels.
std::string RenderGraph(const Module& module, uint32_t function, GraphFormat format,
                        const compiler::SourceMap* sources = nullptr);

}  // namespace orch::ir
