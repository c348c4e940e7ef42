// Plan → `.orch` source. The text is put together line by line, then parsed and printed by
// the compiler's own formatter, so the result is canonical (`fmt --check` passes) by
// construction and a plan that would not parse is caught here, not by the user.
#pragma once

#include <string>

#include "runtime/compose/plan.h"
#include "runtime/value/error_or.h"

namespace orch::compose {

/// The plan as a canonical source file. An error (kind "internal") means the generated text
/// did not parse; its message holds the first diagnostic.
ErrorOr<std::string> EmitPlan(const Plan& plan);

/// `text` parsed and printed canonically; `path` names it in errors.
ErrorOr<std::string> FormatSource(const std::string& text, const std::string& path);

}  // namespace orch::compose
