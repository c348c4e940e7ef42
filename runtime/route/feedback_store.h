// The router's persistent state in `.orchestrator/route.db` (SQLite): corrections from
// `route feedback`, the patterns mined from them, and the weights saved by `route tune`.
// A corrupt file is moved aside and rebuilt (the note says so); other subsystems' files
// are untouched.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "runtime/route/feedback_model.h"
#include "runtime/route/weights.h"
#include "runtime/store/sqlite.h"
#include "runtime/value/error_or.h"

namespace orch::route {

class FeedbackStore {
 public:
  /// Opens (creating) `directory/route.db`.
  static ErrorOr<FeedbackStore> Open(const std::filesystem::path& directory);

  /// Records that `query` should go to `tool` (server/name) and re-mines the patterns.
  ErrorOr<void> Add(const std::string& query, const std::string& tool, const AnalyzerOptions& analyzer);
  /// Records many corrections in one transaction, then re-mines once.
  ErrorOr<void> AddAll(const std::vector<FeedbackExample>& examples, const AnalyzerOptions& analyzer);
  /// Every correction, oldest first.
  ErrorOr<std::vector<FeedbackExample>> Examples();
  /// The patterns mined from the corrections.
  ErrorOr<std::vector<Pattern>> MinedPatterns(const AnalyzerOptions& analyzer);
  /// Deletes every correction and mined pattern (weights stay).
  ErrorOr<void> Clear();

  /// Weights saved by `route tune`, if any.
  ErrorOr<std::optional<RouteWeights>> LoadWeights();
  ErrorOr<void> SaveWeights(const RouteWeights& weights);

  /// Set when the database was unusable and has been rebuilt.
  const std::optional<std::string>& recovery_note() const { return recovery_note_; }
  const std::string& path() const { return db_.path(); }

 private:
  ErrorOr<void> Remine(const AnalyzerOptions& analyzer);

  store::Database db_;
  std::optional<std::string> recovery_note_;
};

}  // namespace orch::route
