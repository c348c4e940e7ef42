// Measuring and tuning the router on labelled requests: top-1 accuracy, top-5 recall,
// mean reciprocal rank and per-request latency (`route eval`), and a coordinate search
// over RouteWeights that keeps a held-out part of the data for an honest after-figure
// (`route tune`).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "runtime/route/ranker.h"
#include "runtime/value/error_or.h"

namespace orch::route {

/// One labelled request: any of `expected` counts as right.
struct LabelledQuery {
  std::string id;
  std::string query;
  std::vector<std::string> expected;
};

/// Reads a JSON array, or JSON lines, of `{"query": …, "expected": [ids] | id, "id"?: …}`.
ErrorOr<std::vector<LabelledQuery>> LoadLabelledFile(const std::string& path);

/// What `route eval` reports.
struct EvalResult {
  size_t queries = 0;
  /// Requests whose expected tools are all missing from the catalog (scored as misses).
  size_t unknown_expected = 0;
  double top1 = 0;
  double recall5 = 0;
  double mrr = 0;
  /// Share of requests whose best score clears the threshold, and top-1 among those.
  double answered = 0;
  double answered_top1 = 0;
  /// Wall-clock latency of one ranking.
  double p50_ms = 0;
  double p99_ms = 0;
  /// CPU time of one ranking (this thread's): what the ranking costs, without the waits
  /// for a CPU that inflate wall-clock figures on a loaded machine.
  double cpu_p50_ms = 0;
  double cpu_p99_ms = 0;
  /// Requests whose expected tool was not ranked first: id, query, expected, got.
  struct Miss {
    std::string id, query, expected, got;
  };
  std::vector<Miss> misses;
  /// The best score of each request and whether top-1 was right (for threshold tuning).
  std::vector<std::pair<double, bool>> best_scores;
  /// Per request, in order: 1 / the rank of the first expected tool (0 when not in the
  /// first ten), so two rankings can be compared request by request.
  std::vector<double> reciprocal_ranks;
};

/// Ranks every request and measures. Latency is wall time of Rank() alone.
EvalResult Evaluate(const RankInputs& inputs, const std::vector<LabelledQuery>& queries);

/// Deterministic split by a hash of each request's id (or text): `fraction` of the
/// requests go to the first part (training), the rest to the second (held out).
void SplitLabelled(const std::vector<LabelledQuery>& all, double fraction, std::vector<LabelledQuery>& train,
                   std::vector<LabelledQuery>& held_out);

/// The objective `route tune` maximises: top-1 accuracy plus MRR, halved.
double TuneObjective(const EvalResult& r);

/// Whether `candidate` ranks the requests better than `current` by more than chance: of
/// the requests whose reciprocal rank changed, so many more must have risen than fallen
/// that a fair coin would do as well less than 5% of the time (a one-sided sign test). A
/// change that trades five requests for three, or wins four to none, is not progress.
bool SignificantlyBetter(const std::vector<double>& candidate, const std::vector<double>& current);

/// Coordinate search from `inputs.weights` over the tunable weights on `train`, at most
/// `rounds` passes over the weights; returns the best weights found. A change is kept only
/// when it raises the objective on the whole of `train`, lowers it on neither of two
/// folds, and is SignificantlyBetter request by request. `progress` (may be empty) hears
/// each improvement. The threshold is then set so that at most 5% of right first answers
/// on `train` fall below it.
RouteWeights TuneWeights(const RankInputs& inputs, const std::vector<LabelledQuery>& train, int rounds,
                         const std::function<void(const std::string&)>& progress);

}  // namespace orch::route
