// CLI11 reports `orchestrator bogus` as "A subcommand is required", which hides the typo;
// this names the word that was not recognised and suggests the closest subcommand.
#include "cli/usage_errors.h"

#include <fmt/format.h>

#include <vector>

#include "compiler/diagnostics/diagnostic.h"

namespace orch::cli {

std::optional<std::string> DescribeUnknownSubcommand(const CLI::App& app) {
  std::vector<std::string> leftover = app.remaining();
  if (leftover.empty() || leftover.front().empty() || leftover.front().front() == '-') return std::nullopt;
  if (!app.get_subcommands().empty()) return std::nullopt;  // a subcommand was recognised
  std::vector<std::string> names;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    names.push_back(sub->get_name());
  }
  const std::string& word = leftover.front();
  std::string text = fmt::format("error: unknown subcommand `{}`\n", word);
  if (auto similar = compiler::SuggestSimilar(word, names)) {
    text += fmt::format("  = help: a subcommand with a similar name exists: `{}`\n", *similar);
  }
  text += fmt::format("  = help: `{} --help` lists every subcommand\n", app.get_name());
  return text;
}

}  // namespace orch::cli
