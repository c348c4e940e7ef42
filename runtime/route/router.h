// The router as the command line uses it: a catalog turned into an index (through the
// on-disk cache), the project's patterns, corrections and tuned weights from
// `.orchestrator/`, and a strategy, put together once and then asked many requests.
// Problems that do not stop routing (a rebuilt corrupt database, a pattern naming a tool
// that is not in the catalog) are returned as notes for the caller to print.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "runtime/route/catalog.h"
#include "runtime/route/feedback_store.h"
#include "runtime/route/index_cache.h"
#include "runtime/route/ranker.h"
#include "runtime/value/error_or.h"

namespace orch::route {

/// Longest request accepted, in bytes.
inline constexpr size_t kMaxQueryBytes = 64 * 1024;

/// Checks a request before routing: not empty, not over kMaxQueryBytes, valid UTF-8.
/// The error (kind "usage") says what was seen.
ErrorOr<void> CheckQuery(std::string_view query);

struct RouterOptions {
  /// The strategy's name (`full`, `lexical`, `bm25f`, `bm25`).
  std::string strategy = "full";
  /// Extra YAML pattern files; `.orchestrator/route-patterns.yaml` is read when present.
  std::vector<std::string> pattern_files;
  /// The project's state directory (index cache, route.db), or nullopt for none at all.
  std::optional<std::filesystem::path> state_dir;
  /// Use the corrections and mined patterns in route.db.
  bool use_feedback = true;
  /// Use weights saved by `route tune` (else the defaults).
  bool use_saved_weights = true;
  /// A JSON record of weights to use instead (unnamed weights keep their defaults).
  std::string weights_file;
};

class Router {
 public:
  /// Builds the router over `catalog`. `notes` receives warnings worth showing.
  static ErrorOr<std::unique_ptr<Router>> Open(const Catalog& catalog, const RouterOptions& options,
                                               std::vector<std::string>& notes);

  const ToolIndex& index() const { return index_; }
  const Strategy& strategy() const { return *inputs_.strategy; }
  RankInputs& inputs() { return inputs_; }
  const RouteWeights& weights() const { return inputs_.weights; }
  /// Whether the index came from the cache.
  IndexSource index_source() const { return index_source_; }
  /// The feedback store, when a state directory is in use.
  FeedbackStore* store() { return store_ ? &*store_ : nullptr; }

  std::vector<RankedTool> Rank(const RankRequest& request) const { return route::Rank(inputs_, request); }

  /// Re-reads corrections and mined patterns (after `feedback` added some).
  ErrorOr<void> ReloadFeedback();

 private:
  Router() = default;
  ToolIndex index_;
  IndexSource index_source_ = IndexSource::kBuilt;
  RankInputs inputs_;
  std::optional<FeedbackStore> store_;
  std::vector<Pattern> file_patterns_;
  std::vector<Pattern> patterns_;  // file patterns + mined ones
  FeedbackModel feedback_;
  bool use_feedback_ = true;
};

}  // namespace orch::route
