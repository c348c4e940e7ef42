// `orchestrator route tune FILE`: search the weights and threshold on part of a labelled
// set, report before/after on both parts, and save them to `.orchestrator/route.db`.
#include <fmt/format.h>

#include <iostream>

#include "cli/commands/route/route_common.h"
#include "runtime/route/evaluate.h"

namespace orch::cli::route {
namespace {

struct TuneArgs {
  std::string file;
  double train_fraction = 0.5;
  int rounds = 3;
  bool dry_run = false;
  bool verbose = false;
  RouteOptions options;
};

void PrintRow(const char* label, const orch::route::EvalResult& before, const orch::route::EvalResult& after) {
  std::cout << fmt::format("{:<10} {:>5}  top-1 {:.3f} → {:.3f}   top-5 {:.3f} → {:.3f}   MRR {:.3f} → {:.3f}\n",
                           label, before.queries, before.top1, after.top1, before.recall5, after.recall5, before.mrr,
                           after.mrr);
}

int Run(const TuneArgs& args, const CommandContext& context, const CLI::App& root) {
  const GlobalOptions& global = context.global;
  if (!(args.train_fraction > 0 && args.train_fraction <= 1)) {
    return ReportError(MakeError("usage", "`--train` must be a fraction in (0, 1]"), global);
  }
  if (args.rounds < 1) {
    return ReportError(MakeError("usage", fmt::format("`--rounds` must be at least 1, not {}", args.rounds)), global);
  }
  auto queries = orch::route::LoadLabelledFile(args.file);
  if (!queries) return ReportError(queries.error(), global);
  auto catalog = LoadRouteCatalog(args.options, context, root);
  if (!catalog) return ReportError(catalog.error(), global);
  RouteOptions options = args.options;
  options.no_feedback = true;  // tune the method itself, not the memory of corrections
  auto router = OpenRouter(options, global, *catalog);
  if (!router) return ReportError(router.error(), global);

  std::vector<orch::route::LabelledQuery> train, held_out;
  orch::route::SplitLabelled(*queries, args.train_fraction, train, held_out);
  if (train.empty()) return ReportError(MakeError("usage", "the training part is empty; raise `--train`"), global);

  auto& inputs = (*router)->inputs();
  auto before_train = orch::route::Evaluate(inputs, train);
  auto before_held = orch::route::Evaluate(inputs, held_out);
  auto tuned = orch::route::TuneWeights(inputs, train, args.rounds, [&](const std::string& step) {
    if (args.verbose) std::cerr << "  " << step << "\n";
  });
  auto saved_weights = inputs.weights;
  inputs.weights = tuned;
  auto after_train = orch::route::Evaluate(inputs, train);
  auto after_held = orch::route::Evaluate(inputs, held_out);

  std::cout << fmt::format("tuned on {} of {} requests ({} held out), strategy {}\n", train.size(), queries->size(),
                           held_out.size(), (*router)->strategy().name);
  PrintRow("training", before_train, after_train);
  if (!held_out.empty()) PrintRow("held out", before_held, after_held);
  std::cout << fmt::format("threshold  {:.2f} → {:.2f}\n", saved_weights.threshold, tuned.threshold);

  if (args.dry_run) {
    std::cout << "dry run: nothing saved\n";
    return kExitOk;
  }
  if (!(*router)->store()) {
    return ReportError(MakeError("usage", "`--no-state` leaves nowhere to save the weights; use `--dry-run`"), global);
  }
  if (auto ok = (*router)->store()->SaveWeights(tuned); !ok) return ReportError(ok.error(), global);
  std::cout << fmt::format("saved to {}\n", (*router)->store()->path());
  return kExitOk;
}

}  // namespace

void RegisterRouteTune(CLI::App* route, CommandContext& context) {
  auto args = std::make_shared<TuneArgs>();
  auto* cmd = route->add_subcommand("tune", "Fit the ranking weights and threshold to labelled requests and save them");
  cmd->add_option("FILE", args->file, "Labelled requests (the format `route eval` reads)")->required();
  cmd->add_option("--train", args->train_fraction, "Share of the requests to tune on; the rest is held out")
      ->capture_default_str();
  cmd->add_option("--rounds", args->rounds, "Most passes of the search over the weights")
      ->capture_default_str();
  cmd->add_flag("--dry-run", args->dry_run, "Report, but do not save");
  cmd->add_flag("--verbose", args->verbose, "Print each improvement found");
  AddRouteOptions(cmd, args->options);
  cmd->callback([args, &context, route] { context.exit_code = Run(*args, context, *route->get_parent()); });
}

}  // namespace orch::cli::route
