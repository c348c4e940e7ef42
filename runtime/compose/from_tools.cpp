// Chaining tools by inferred parameter mapping (see from_tools.h).
#include "runtime/compose/from_tools.h"

#include <fmt/format.h>

#include "runtime/compose/composer.h"

namespace orch::compose {

namespace {

bool ReadsStep(const PlanStep& step, const std::string& binding) {
  for (const auto& a : step.args) {
    if (a.expr.starts_with(binding + ".") || a.expr.find("(" + binding + ".") != std::string::npos ||
        a.expr.find(" " + binding + ".") != std::string::npos) {
      return true;
    }
  }
  return false;
}

}  // namespace

ErrorOr<Plan> ComposeFromTools(const lock::LockFile& schemas, const std::vector<std::string>& specs,
                               std::string_view name) {
  if (specs.empty()) return MakeError("usage", "no tools to compose\n  = help: name them as SERVER/TOOL, in call order");
  std::vector<ComposeTool> tools;
  for (const auto& spec : specs) {
    auto tool = FindTool(schemas, spec);
    if (!tool) return tool.error();
    tools.push_back(std::move(*tool));
  }
  Composer composer(name);
  for (const auto& tool : tools) composer.AddInferredStep(tool);
  Plan& plan = composer.plan();
  plan.header = {fmt::format("Composed by `orchestrator compose {}`.", fmt::join(specs, " ")),
                 "Each inferred argument says why it was chosen; `hole(…)` marks a choice left to you",
                 "(`orchestrator check` lists its candidates)."};
  std::vector<std::string> ids;
  for (const auto& t : tools) ids.push_back(t.Id());
  plan.summary = fmt::format("Calls {} in order.", fmt::join(ids, ", then "));
  plan.output = plan.steps.back().binding;
  for (size_t i = 1; i < plan.steps.size(); ++i) {
    bool fed = false;
    for (size_t j = 0; j < i && !fed; ++j) fed = ReadsStep(plan.steps[i], plan.steps[j].binding);
    if (!fed) {
      plan.remarks.push_back(fmt::format("no earlier result fits an input of `{}`: its inputs are workflow parameters",
                                         ids[i]));
    }
  }
  return plan;
}

}  // namespace orch::compose
