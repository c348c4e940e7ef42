// `compose SERVER/TOOL…`: a workflow calling the tools in order, every argument inferred
// (mapping.h), returning the last tool's result.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "compiler/lock/lock_file.h"
#include "runtime/compose/plan.h"
#include "runtime/value/error_or.h"

namespace orch::compose {

/// Plans the chain `specs` (each `server/tool`, found in `schemas`) as workflow `name`.
/// Errors (kind "usage"): no tools, an unknown server or tool. A chain where no value flows
/// between steps is planned anyway (inputs become parameters) with a remark saying so.
ErrorOr<Plan> ComposeFromTools(const lock::LockFile& schemas, const std::vector<std::string>& specs,
                               std::string_view name);

}  // namespace orch::compose
