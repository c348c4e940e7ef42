// `orchestrator route feedback QUERY --chose server/tool`: store a correction; also
// `--from FILE` to import labelled requests, `--list` and `--clear`.
#include <fmt/format.h>

#include <algorithm>
#include <iostream>

#include "cli/commands/route/route_common.h"
#include "compiler/diagnostics/diagnostic.h"
#include "runtime/route/evaluate.h"
#include "runtime/route/synonyms.h"
#include "runtime/store/project_store.h"

namespace orch::cli::route {
namespace {

struct FeedbackArgs {
  std::vector<std::string> words;
  std::string chose;
  std::string from_file;
  bool list = false;
  bool clear = false;
  RouteOptions options;
};

int Run(const FeedbackArgs& args, const CommandContext& context, const CLI::App& root) {
  const GlobalOptions& global = context.global;
  int modes = (!args.words.empty() ? 1 : 0) + (!args.from_file.empty() ? 1 : 0) + (args.list ? 1 : 0) + (args.clear ? 1 : 0);
  if (modes != 1) {
    return ReportError(MakeError("usage", "`route feedback` takes a request with `--chose`, or one of `--from FILE`, "
                                          "`--list`, `--clear`"),
                       global, "orchestrator route feedback \"convert this to pdf\" --chose docs/export_pdf");
  }
  if (args.options.no_state) {
    return ReportError(MakeError("usage", "`--no-state` leaves nowhere to store feedback"), global);
  }
  std::error_code ec;
  auto dir = store::StoreDirectory(std::filesystem::current_path(ec));
  if (!dir) return ReportError(dir.error(), global);
  auto store = orch::route::FeedbackStore::Open(*dir);
  if (!store) return ReportError(store.error(), global);
  if (store->recovery_note()) std::cerr << "warning: " << *store->recovery_note() << "\n";
  const auto& analyzer = orch::route::Strategies().front().analyzer;

  if (args.list) {
    auto examples = store->Examples();
    if (!examples) return ReportError(examples.error(), global);
    for (const auto& e : *examples) std::cout << fmt::format("{}\t{}\n", e.tool, e.query);
    auto mined = store->MinedPatterns(analyzer);
    if (!mined) return ReportError(mined.error(), global);
    for (const auto& p : *mined) std::cerr << fmt::format("pattern  {}  [{}]  {:.2f}\n", p.tool, p.keywords.front(), p.weight);
    return kExitOk;
  }
  if (args.clear) {
    if (auto ok = store->Clear(); !ok) return ReportError(ok.error(), global);
    std::cout << "cleared every stored correction\n";
    return kExitOk;
  }

  // The tools must exist, so a typo is not learned: checked against `--tools`, else the
  // catalog `route` itself would use (orchestrator.lock, else the configured servers).
  // When that cannot be read (a server is down), the correction is stored unchecked.
  std::optional<std::vector<std::string>> known;  // the catalog's tool ids, when it could be read
  if (auto loaded = LoadRouteCatalog(args.options, context, root)) {
    known.emplace();
    for (const auto& t : loaded->tools) known->push_back(t.Id());
  } else if (!args.options.tools_file.empty()) {
    return ReportError(loaded.error(), global);
  } else {
    std::cerr << fmt::format("warning: the tool names are not checked: {}\n", loaded.error().message);
  }
  auto check_tool = [&](const std::string& tool) -> ErrorOr<void> {
    if (tool.find('/') == std::string::npos || tool.front() == '/' || tool.back() == '/') {
      return MakeError("usage", fmt::format("`{}` is not of the form `server/tool`", tool));
    }
    if (known && std::find(known->begin(), known->end(), tool) == known->end()) {
      std::string message = fmt::format("no tool `{}` in the catalog", tool);
      if (auto similar = compiler::SuggestSimilar(tool, *known)) message += fmt::format("\n  = help: did you mean `{}`?", *similar);
      return MakeError("usage", message);
    }
    return {};
  };

  std::vector<orch::route::FeedbackExample> examples;
  if (!args.from_file.empty()) {
    auto labelled = orch::route::LoadLabelledFile(args.from_file);
    if (!labelled) return ReportError(labelled.error(), global);
    for (const auto& q : *labelled) {
      if (auto ok = check_tool(q.expected.front()); !ok) return ReportError(ok.error(), global);
      examples.push_back({q.query, q.expected.front()});
    }
  } else {
    std::string query;
    for (const auto& w : args.words) query += (query.empty() ? "" : " ") + w;
    if (auto ok = orch::route::CheckQuery(query); !ok) return ReportError(ok.error(), global);
    if (args.chose.empty()) {
      return ReportError(MakeError("usage", "say which tool was right with `--chose server/tool`"), global);
    }
    if (auto ok = check_tool(args.chose); !ok) return ReportError(ok.error(), global);
    examples.push_back({query, args.chose});
  }
  if (auto ok = store->AddAll(examples, analyzer); !ok) return ReportError(ok.error(), global);
  if (examples.size() == 1) {
    std::cout << fmt::format("learned: \"{}\" → {}\n", examples[0].query, examples[0].tool);
  } else {
    std::cout << fmt::format("learned {} corrections from {}\n", examples.size(), args.from_file);
  }
  return kExitOk;
}

}  // namespace

void RegisterRouteFeedback(CLI::App* route, CommandContext& context) {
  auto args = std::make_shared<FeedbackArgs>();
  auto* cmd = route->add_subcommand("feedback", "Teach the router which tool a request should have gone to");
  cmd->add_option("QUERY", args->words, "The request");
  cmd->add_option("--chose", args->chose, "The right tool, as server/tool");
  cmd->add_option("--from", args->from_file, "Import labelled requests (the format `route eval` reads)");
  cmd->add_flag("--list", args->list, "Print the stored corrections (and mined patterns on stderr)");
  cmd->add_flag("--clear", args->clear, "Forget every stored correction");
  cmd->add_option("--tools", args->options.tools_file, "Catalog to check the tool names against");
  cmd->callback([args, &context, route] { context.exit_code = Run(*args, context, *route->get_parent()); });
}

}  // namespace orch::cli::route
