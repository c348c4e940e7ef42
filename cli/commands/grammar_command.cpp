// `orchestrator grammar --format textmate|vim|ebnf [-o FILE]`: editor grammars generated
// from the compiler's own token tables and grammar (grammar/gen_editor_grammars.h).
#include <fmt/format.h>

#include <fstream>
#include <iostream>

#include "cli/command.h"
#include "cli/write_file.h"
#include "grammar/gen_editor_grammars.h"

namespace orch::cli {
namespace {

struct GrammarOptions {
  std::string format;
  std::string output;
};

int RunGrammar(const GrammarOptions& options) {
  auto format = grammar::EditorFormatByName(options.format);
  if (!format) return kExitUsage;  // CLI11's IsMember check already rejected it
  std::string text = grammar::GenerateEditorGrammar(*format);
  if (options.output.empty() || options.output == "-") {
    std::cout << text;
    std::cout.flush();
    return std::cout ? kExitOk : kExitUsage;
  }
  if (auto written = WriteFileAtomically(options.output, text); !written) {
    std::cerr << fmt::format("error: {}\n", written.error().message);
    return kExitUsage;
  }
  return kExitOk;
}

}  // namespace

void RegisterGrammarCommand(CLI::App& app, CommandContext& context) {
  auto* cmd = app.add_subcommand("grammar", "Print an editor grammar generated from the compiler's grammar tables");
  auto options = std::make_shared<GrammarOptions>();
  std::vector<std::string> names;
  for (std::string_view n : grammar::EditorFormatNames()) names.emplace_back(n);
  cmd->add_option("-f,--format", options->format,
                  "textmate (orch.tmLanguage.json), vim (syntax/orch.vim) or ebnf (the language's productions)")
      ->required()
      ->type_name("FORMAT")
      ->check(CLI::IsMember(names));
  cmd->add_option("-o,--output", options->output, "Write to FILE instead of standard output")->type_name("FILE");
  cmd->callback([&context, options] { context.exit_code = RunGrammar(*options); });
}

}  // namespace orch::cli
