// CLI11 reports `orchestrator bogus` (and `orchestrator mock bogus`) as "A subcommand is
// required", which hides the typo; this names the word that was not recognised and
// suggests the closest subcommand of the command it was given to.
#include "cli/usage_errors.h"

#include <fmt/format.h>

#include <vector>

#include "compiler/diagnostics/diagnostic.h"

namespace orch::cli {

std::optional<std::string> DescribeUnknownSubcommand(const CLI::App& app) {
  // Walk down the subcommands that were recognised (`orchestrator mock …` → `mock`): the
  // unknown word belongs to the deepest one.
  const CLI::App* at = &app;
  std::string path = app.get_name();
  while (!at->get_subcommands().empty()) {
    at = at->get_subcommands().front();
    path += " " + at->get_name();
  }
  std::vector<std::string> names;
  for (const CLI::App* sub : at->get_subcommands([](const CLI::App*) { return true; })) {
    names.push_back(sub->get_name());
  }
  if (names.empty()) return std::nullopt;  // the command takes no subcommands
  std::vector<std::string> leftover = app.remaining(true);  // CLI11 keeps them on the parent
  if (leftover.empty() || leftover.front().empty() || leftover.front().front() == '-') return std::nullopt;
  const std::string& word = leftover.front();
  std::string text = fmt::format("error: unknown subcommand `{}`\n", word);
  if (auto similar = compiler::SuggestSimilar(word, names)) {
    text += fmt::format("  = help: a subcommand with a similar name exists: `{}`\n", *similar);
  }
  text += fmt::format("  = help: `{} --help` lists every subcommand\n", path);
  return text;
}

}  // namespace orch::cli
