// `orchestrator route eval FILE [--tools CATALOG] [--strategy NAME] [--json]`: accuracy and
// latency on labelled requests.
#include <fmt/format.h>

#include <iostream>

#include "cli/commands/route/route_common.h"
#include "runtime/route/evaluate.h"
#include "runtime/value/json.h"

namespace orch::cli::route {
namespace {

struct EvalArgs {
  std::string file;
  bool json = false;
  size_t show_misses = 0;
  RouteOptions options;
};

int Run(const EvalArgs& args, const CommandContext& context, const CLI::App& root) {
  const GlobalOptions& global = context.global;
  auto queries = orch::route::LoadLabelledFile(args.file);
  if (!queries) return ReportError(queries.error(), global);
  auto catalog = LoadRouteCatalog(args.options, context, root);
  if (!catalog) return ReportError(catalog.error(), global);
  auto router = OpenRouter(args.options, global, *catalog);
  if (!router) return ReportError(router.error(), global);
  auto result = orch::route::Evaluate((*router)->inputs(), *queries);
  if (args.json) {
    Record record{{"strategy", (*router)->strategy().name},
                  {"queries", static_cast<int64_t>(result.queries)},
                  {"tools", static_cast<int64_t>((*router)->index().size())},
                  {"top1", result.top1},
                  {"recall5", result.recall5},
                  {"mrr", result.mrr},
                  {"answered", result.answered},
                  {"answered_top1", result.answered_top1},
                  {"p50_ms", result.p50_ms},
                  {"p99_ms", result.p99_ms},
                  {"cpu_p50_ms", result.cpu_p50_ms},
                  {"cpu_p99_ms", result.cpu_p99_ms},
                  {"unknown_expected", static_cast<int64_t>(result.unknown_expected)}};
    std::cout << ToJson(Value(std::move(record)), {2, false}) << "\n";
  } else {
    std::cout << fmt::format("strategy      {}\n", (*router)->strategy().name);
    std::cout << fmt::format("requests      {} ({} tools)\n", result.queries, (*router)->index().size());
    std::cout << fmt::format("top-1         {:.3f}\n", result.top1);
    std::cout << fmt::format("top-5 recall  {:.3f}\n", result.recall5);
    std::cout << fmt::format("MRR           {:.3f}\n", result.mrr);
    std::cout << fmt::format("answered      {:.3f} (top-1 {:.3f} among them; threshold {:.2f})\n", result.answered,
                             result.answered_top1, (*router)->weights().threshold);
    std::cout << fmt::format("latency       p50 {:.3f} ms, p99 {:.3f} ms (CPU time: p50 {:.3f} ms, p99 {:.3f} ms)\n",
                             result.p50_ms, result.p99_ms, result.cpu_p50_ms, result.cpu_p99_ms);
    for (size_t i = 0; i < result.misses.size() && i < args.show_misses; ++i) {
      const auto& m = result.misses[i];
      std::cout << fmt::format("miss  {}  \"{}\"\n      expected {}, got {}\n", m.id, m.query, m.expected, m.got);
    }
  }
  if (result.unknown_expected > 0) {
    std::cerr << fmt::format("warning: {} request(s) expect tools that are not in the catalog\n",
                             result.unknown_expected);
  }
  return kExitOk;
}

}  // namespace

void RegisterRouteEval(CLI::App* route, CommandContext& context) {
  auto args = std::make_shared<EvalArgs>();
  auto* cmd = route->add_subcommand("eval", "Measure top-1, top-5 recall, MRR and latency on labelled requests");
  cmd->add_option("FILE", args->file, "JSON array or JSON lines of {\"query\": …, \"expected\": [\"server/tool\", …]}")
      ->required();
  cmd->add_flag("--json", args->json, "Print the figures as a JSON record");
  cmd->add_option("--misses", args->show_misses, "Also list up to N requests whose first answer was wrong");
  AddRouteOptions(cmd, args->options);
  cmd->callback([args, &context, route] { context.exit_code = Run(*args, context, *route->get_parent()); });
}

}  // namespace orch::cli::route
