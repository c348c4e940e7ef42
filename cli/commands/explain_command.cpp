// `orchestrator explain CODE`: the long explanation of a diagnostic code.
#include <fmt/format.h>

#include <iostream>

#include "cli/command.h"
#include "compiler/diagnostics/diagnostic.h"

namespace orch::cli {

void RegisterExplainCommand(CLI::App& app, CommandContext& context) {
  auto* cmd = app.add_subcommand("explain", "Print the long explanation of a diagnostic code (e.g. E0204)");
  auto code = std::make_shared<std::string>();
  auto list = std::make_shared<bool>(false);
  cmd->add_option("CODE", *code, "Diagnostic code, such as E0101");
  cmd->add_flag("--list", *list, "List every code with its one-line message");
  cmd->callback([&context, code, list] {
    using namespace orch::compiler;
    if (*list || code->empty()) {
      for (DiagKind k : AllKinds()) {
        const auto& info = InfoOf(k);
        std::cout << fmt::format("{}  {}\n", info.code, info.message_template);
      }
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
    std::cout << fmt::format("{} ({}): {}\n\n{}\n", info.code, info.name, info.message_template, info.explanation);
    context.exit_code = kExitOk;
  });
}

}  // namespace orch::cli
