// `orchestrator explain CODE`: the long explanation of a diagnostic code; `--list` (or no
// code) lists every code with a one-line summary, read from kinds.def.
#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <vector>

#include "cli/command.h"
#include "compiler/diagnostics/diagnostic.h"

namespace orch::cli {

void RegisterExplainCommand(CLI::App& app, CommandContext& context) {
  auto* cmd = app.add_subcommand("explain", "Print the long explanation of a diagnostic code (e.g. E0204)");
  auto code = std::make_shared<std::string>();
  auto list = std::make_shared<bool>(false);
  cmd->add_option("CODE", *code, "Diagnostic code, such as E0101");
  cmd->add_flag("--list", *list, "List every code with a one-line summary");
  cmd->callback([&context, code, list] {
    using namespace orch::compiler;
    if (*list || code->empty()) {
      // In code order (the table groups rows by owner, not by number).
      std::vector<DiagKind> kinds = AllKinds();
      std::stable_sort(kinds.begin(), kinds.end(),
                       [](DiagKind a, DiagKind b) { return InfoOf(a).code < InfoOf(b).code; });
      for (DiagKind k : kinds) std::cout << fmt::format("{}  {}\n", InfoOf(k).code, SummaryOf(k));
      context.exit_code = kExitOk;
      return;
    }
    auto kind = KindByCode(*code);
    if (!kind) {
      std::cerr << fmt::format("error: unknown diagnostic code `{}`\n  = help: `orchestrator explain --list` shows every code\n", *code);
      context.exit_code = kExitUsage;
      return;
    }
    const auto& info = InfoOf(*kind);
    std::cout << fmt::format("{} ({}): {}\n\n{}\n", info.code, info.name, SummaryOf(*kind), info.explanation);
    context.exit_code = kExitOk;
  });
}

}  // namespace orch::cli
