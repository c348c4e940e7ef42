// Evaluation metrics and the weight search.
#include "runtime/route/evaluate.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <ctime>
#include <fstream>
#include <sstream>

#include "runtime/route/catalog.h"
#include "runtime/value/json.h"

namespace orch::route {
namespace {

ErrorOr<LabelledQuery> LabelledFromJson(const Value& item, const std::string& where) {
  if (!item.is_record()) return MakeError("eval", fmt::format("{}: expected a record, found a {}", where, item.kind_name()));
  LabelledQuery q;
  const Value* query = item.Find("query");
  if (!query || !query->is_string() || query->as_string().empty()) {
    return MakeError("eval", fmt::format("{}: needs a non-empty string `query`", where));
  }
  q.query = query->as_string();
  const Value* expected = item.Find("expected");
  if (expected && expected->is_string()) {
    q.expected.push_back(expected->as_string());
  } else if (expected && expected->is_list()) {
    for (const Value& e : expected->as_list()) {
      if (!e.is_string()) return MakeError("eval", fmt::format("{}: `expected` must hold `server/tool` strings", where));
      q.expected.push_back(e.as_string());
    }
  }
  if (q.expected.empty()) return MakeError("eval", fmt::format("{}: needs `expected` (a `server/tool` or a list of them)", where));
  if (const Value* id = item.Find("id"); id && id->is_string()) q.id = id->as_string();
  return q;
}

// CPU time this thread has used, in milliseconds.
double ThreadCpuMs() {
  timespec t{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
}

double Percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  size_t k = static_cast<size_t>(std::ceil(p * static_cast<double>(values.size()))) ;
  k = std::clamp<size_t>(k, 1, values.size());
  return values[k - 1];
}

}  // namespace

ErrorOr<std::vector<LabelledQuery>> LoadLabelledFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError("io", fmt::format("cannot read labelled requests `{}`", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string text = buffer.str();
  std::vector<LabelledQuery> out;
  size_t start = text.find_first_not_of(" \t\r\n");
  if (start == std::string::npos) return MakeError("eval", fmt::format("{}: the file is empty", path));
  if (text[start] == '[') {
    auto json = ParseJson(text);
    if (!json) return MakeError("eval", fmt::format("{}: {}", path, json.error().message));
    for (size_t i = 0; i < json->as_list().size(); ++i) {
      auto q = LabelledFromJson(json->as_list()[i], fmt::format("{}: entry {}", path, i));
      if (!q) return q.error();
      out.push_back(std::move(*q));
    }
  } else {
    std::istringstream lines(text);
    std::string line;
    for (size_t number = 1; std::getline(lines, line); ++number) {
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      auto json = ParseJson(line);
      if (!json) return MakeError("eval", fmt::format("{}:{}: {}", path, number, json.error().message));
      auto q = LabelledFromJson(*json, fmt::format("{}:{}", path, number));
      if (!q) return q.error();
      out.push_back(std::move(*q));
    }
  }
  if (out.empty()) return MakeError("eval", fmt::format("{}: no labelled requests", path));
  return out;
}

EvalResult Evaluate(const RankInputs& inputs, const std::vector<LabelledQuery>& queries) {
  EvalResult r;
  r.queries = queries.size();
  std::vector<double> latencies, cpu_latencies;
  latencies.reserve(queries.size());
  cpu_latencies.reserve(queries.size());
  size_t answered = 0, answered_right = 0, top1 = 0;
  double recall = 0, mrr = 0;
  for (const LabelledQuery& q : queries) {
    bool known = std::any_of(q.expected.begin(), q.expected.end(),
                             [&](const auto& id) { return inputs.index->FindTool(id) >= 0; });
    if (!known) ++r.unknown_expected;
    RankRequest request;
    request.query = q.query;
    request.top = 10;
    double cpu_start = ThreadCpuMs();
    auto start = std::chrono::steady_clock::now();
    std::vector<RankedTool> ranked = Rank(inputs, request);
    auto end = std::chrono::steady_clock::now();
    cpu_latencies.push_back(ThreadCpuMs() - cpu_start);
    latencies.push_back(std::chrono::duration<double, std::milli>(end - start).count());
    auto is_expected = [&](const RankedTool& t) {
      std::string id = inputs.index->tool(t.tool).Id();
      return std::find(q.expected.begin(), q.expected.end(), id) != q.expected.end();
    };
    bool right = !ranked.empty() && is_expected(ranked[0]);
    if (right) ++top1;
    size_t found5 = 0;
    for (size_t i = 0; i < ranked.size(); ++i) {
      if (!is_expected(ranked[i])) continue;
      if (i < 5) ++found5;
    }
    double reciprocal_rank = 0;
    for (size_t i = 0; i < ranked.size(); ++i) {
      if (is_expected(ranked[i])) {
        reciprocal_rank = 1.0 / static_cast<double>(i + 1);
        break;
      }
    }
    mrr += reciprocal_rank;
    r.reciprocal_ranks.push_back(reciprocal_rank);
    recall += static_cast<double>(found5) / static_cast<double>(q.expected.size());
    double best = ranked.empty() ? 0.0 : ranked[0].score;
    r.best_scores.emplace_back(best, right);
    if (best >= inputs.weights.threshold && !ranked.empty()) {
      ++answered;
      if (right) ++answered_right;
    }
    if (!right) {
      std::string expected;
      for (const auto& e : q.expected) expected += (expected.empty() ? "" : ", ") + e;
      r.misses.push_back({q.id, q.query, expected, ranked.empty() ? "(nothing)" : inputs.index->tool(ranked[0].tool).Id()});
    }
  }
  double n = static_cast<double>(std::max<size_t>(1, queries.size()));
  r.top1 = static_cast<double>(top1) / n;
  r.recall5 = recall / n;
  r.mrr = mrr / n;
  r.answered = static_cast<double>(answered) / n;
  r.answered_top1 = answered ? static_cast<double>(answered_right) / static_cast<double>(answered) : 0.0;
  r.p50_ms = Percentile(latencies, 0.50);
  r.p99_ms = Percentile(latencies, 0.99);
  r.cpu_p50_ms = Percentile(cpu_latencies, 0.50);
  r.cpu_p99_ms = Percentile(cpu_latencies, 0.99);
  return r;
}

void SplitLabelled(const std::vector<LabelledQuery>& all, double fraction, std::vector<LabelledQuery>& train,
                   std::vector<LabelledQuery>& held_out) {
  for (const LabelledQuery& q : all) {
    std::string key = q.id.empty() ? q.query : q.id;
    uint64_t h = std::stoull(Fingerprint(key), nullptr, 16);
    double u = static_cast<double>(h % 1000003) / 1000003.0;
    (u < fraction ? train : held_out).push_back(q);
  }
}

double TuneObjective(const EvalResult& r) { return (r.top1 + r.mrr) / 2.0; }

bool SignificantlyBetter(const std::vector<double>& candidate, const std::vector<double>& current) {
  int rose = 0, fell = 0;
  for (size_t i = 0; i < candidate.size() && i < current.size(); ++i) {
    if (candidate[i] > current[i] + 1e-12) ++rose;
    if (candidate[i] < current[i] - 1e-12) ++fell;
  }
  if (rose <= fell) return false;
  // One-sided exact sign test: the chance that a fair coin gives `rose` or more heads in
  // `rose + fell` tosses must be under 5%.
  const int n = rose + fell;
  double tail = 0;
  for (int k = rose; k <= n; ++k) {
    tail += std::exp(std::lgamma(n + 1.0) - std::lgamma(k + 1.0) - std::lgamma(n - k + 1.0) - n * std::log(2.0));
  }
  return tail < 0.05;
}

RouteWeights TuneWeights(const RankInputs& inputs, const std::vector<LabelledQuery>& train, int rounds,
                         const std::function<void(const std::string&)>& progress) {
  RankInputs trial = inputs;
  // Two folds of the training part: a change is kept only when it helps on the whole and
  // hurts neither fold, so the search does not chase a few requests of one kind.
  std::vector<LabelledQuery> folds[2];
  for (size_t i = 0; i < train.size(); ++i) folds[i % 2].push_back(train[i]);
  std::vector<double> ranks;  // per request of both folds, of the last measurement
  auto measure = [&](std::array<double, 2>& per_fold) {
    ranks.clear();
    for (int f = 0; f < 2; ++f) {
      if (folds[f].empty()) {
        per_fold[f] = 0.0;
        continue;
      }
      EvalResult result = Evaluate(trial, folds[f]);
      per_fold[f] = TuneObjective(result);
      ranks.insert(ranks.end(), result.reciprocal_ranks.begin(), result.reciprocal_ranks.end());
    }
    return (per_fold[0] * static_cast<double>(folds[0].size()) + per_fold[1] * static_cast<double>(folds[1].size())) /
           static_cast<double>(std::max<size_t>(1, train.size()));
  };
  std::array<double, 2> best_folds{};
  double best = measure(best_folds);
  std::vector<double> best_ranks = ranks;
  // Half a request's worth of objective: smaller gains are noise on sets of this size.
  const double margin = 0.5 / static_cast<double>(std::max<size_t>(1, train.size()));
  static constexpr double kFactors[] = {0.0, 0.5, 0.75, 1.333, 2.0};
  for (int round = 0; round < rounds; ++round) {
    bool improved = false;
    auto names = trial.weights.Tunable();
    for (size_t k = 0; k < names.size(); ++k) {
      const std::string& name = names[k].first;
      // Not measurable from single requests, or (feedback) switched off while tuning.
      if (name == "threshold" || name == "context" || name.starts_with("feedback") || name == "pattern") continue;
      double* slot = trial.weights.Tunable()[k].second;
      double original = *slot;
      double best_value = original;
      for (double factor : kFactors) {
        double candidate = original == 0 ? factor * 0.5 : original * factor;
        if (name.starts_with("b_") || name == "fuzzy_min" || name == "expansion_mix") candidate = std::min(candidate, 0.95);
        if (name == "k1" && candidate < 0.1) continue;
        if (name == "fuzzy_min" && candidate < 0.5) continue;
        if (candidate == original) continue;
        *slot = candidate;
        std::array<double, 2> per_fold{};
        double score = measure(per_fold);
        bool no_fold_worse = per_fold[0] >= best_folds[0] - 1e-9 && per_fold[1] >= best_folds[1] - 1e-9;
        if (score > best + margin && no_fold_worse && SignificantlyBetter(ranks, best_ranks)) {
          best = score;
          best_folds = per_fold;
          best_ranks = ranks;
          best_value = candidate;
          improved = true;
          if (progress) progress(fmt::format("{} = {:.3f} → objective {:.4f}", name, candidate, score));
        }
      }
      *slot = best_value;
    }
    if (!improved) break;
  }
  // Threshold: keep 95% of the right first answers on the training part above it.
  EvalResult final_result = Evaluate(trial, train);
  std::vector<double> right_scores;
  for (auto [score, right] : final_result.best_scores) {
    if (right) right_scores.push_back(score);
  }
  if (!right_scores.empty()) {
    std::sort(right_scores.begin(), right_scores.end());
    double t = right_scores[static_cast<size_t>(0.05 * static_cast<double>(right_scores.size()))];
    trial.weights.threshold = std::clamp(t, 0.02, 0.5);
  }
  return trial.weights;
}

}  // namespace orch::route
