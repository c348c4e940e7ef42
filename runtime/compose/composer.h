// Building a Plan step by step: each added tool call gets its arguments inferred from what
// earlier steps return and from the workflow parameters made so far (mapping.h); inputs
// nothing feeds become new workflow parameters, ties become typed holes. Used by
// `compose TOOL…`, `--from-text` and (for its names and sources) `--from-json`.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/lock/lock_file.h"
#include "compiler/types/schema.h"
#include "runtime/compose/mapping.h"
#include "runtime/compose/plan.h"
#include "runtime/value/error_or.h"

namespace orch::compose {

/// Most candidates a typed hole lists.
inline constexpr size_t kMaxHoleCandidates = 6;

/// A tool found in the schemas, with its types.
struct ComposeTool {
  std::string server;
  const lock::ToolInfo* info = nullptr;
  types::ToolType type;
  /// `server/tool`.
  std::string Id() const { return server + "/" + info->name; }
};

/// Finds `spec` (`server/tool`) in `schemas`. Errors (kind "usage") name what is missing
/// and suggest a similar server or tool.
ErrorOr<ComposeTool> FindTool(const lock::LockFile& schemas, std::string_view spec);

/// The parameters of a tool's input schema as mapping targets, in schema order (required
/// ones first when the schema lists them).
std::vector<Target> InputTargets(const ComposeTool& tool);

class Composer {
 public:
  /// `name` is the workflow's name as the user gave it (made an identifier here).
  explicit Composer(std::string_view name);

  /// Adds a call of `tool`, inferring every argument. Returns the step's index.
  size_t AddInferredStep(const ComposeTool& tool);

  /// Adds a call of `tool` with no arguments yet (the caller fills them); its result is
  /// bound to `binding` (empty: a name made from the tool's). Returns its index.
  size_t AddStep(const ComposeTool& tool, const std::string& binding = "");

  /// Adds a workflow parameter and returns its name: `name` in snake_case, or as written
  /// with `keep_name`, made unique (`_2`, …) when taken or reserved.
  std::string AddParam(const std::string& name, const types::TypeRef& type, const std::string& description,
                       const std::string& feeds, bool keep_name = false);

  /// Values available to the next step: outputs of earlier steps and workflow parameters.
  const std::vector<Source>& sources() const { return sources_; }

  Plan& plan() { return plan_; }
  /// The workflow name (an identifier).
  const std::string& name() const { return plan_.name; }

 private:
  Plan plan_;
  std::vector<Source> sources_;
  std::set<std::string> taken_;
};

}  // namespace orch::compose
