// route.db: schema, corrections, mined patterns, saved weights.
#include "runtime/route/feedback_store.h"

#include <ctime>

#include "runtime/store/project_store.h"
#include "runtime/value/json.h"

namespace orch::route {
namespace {

constexpr int64_t kSchemaVersion = 1;

ErrorOr<void> Migrate(store::Database& db) {
  auto version = db.UserVersion();
  if (!version) return version.error();
  if (*version > kSchemaVersion) {
    return MakeError("store", "route.db was written by a newer orchestrator (schema " + std::to_string(*version) + ")");
  }
  auto created = db.Exec(R"sql(
    CREATE TABLE IF NOT EXISTS feedback(
      id INTEGER PRIMARY KEY, query TEXT NOT NULL, tool TEXT NOT NULL, created_at INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS mined_pattern(
      tool TEXT NOT NULL, keyword TEXT NOT NULL, weight REAL NOT NULL, PRIMARY KEY(tool, keyword));
    CREATE TABLE IF NOT EXISTS setting(key TEXT PRIMARY KEY, value TEXT NOT NULL);
  )sql");
  if (!created) return created;
  return db.SetUserVersion(kSchemaVersion);
}

}  // namespace

ErrorOr<FeedbackStore> FeedbackStore::Open(const std::filesystem::path& directory) {
  auto opened = store::OpenStoreDatabase(directory, "route.db", Migrate);
  if (!opened) return opened.error();
  FeedbackStore result;
  result.db_ = std::move(opened->db);
  result.recovery_note_ = std::move(opened->recovery_note);
  return result;
}

ErrorOr<void> FeedbackStore::Add(const std::string& query, const std::string& tool, const AnalyzerOptions& analyzer) {
  return AddAll({FeedbackExample{query, tool}}, analyzer);
}

ErrorOr<void> FeedbackStore::AddAll(const std::vector<FeedbackExample>& examples, const AnalyzerOptions& analyzer) {
  auto tx = store::Transaction::Begin(db_);
  if (!tx) return tx.error();
  auto insert = db_.Prepare("INSERT INTO feedback(query, tool, created_at) VALUES(?, ?, ?)");
  if (!insert) return insert.error();
  for (const auto& e : examples) {
    insert->Reset();
    insert->Bind(1, e.query).Bind(2, e.tool).Bind(3, static_cast<int64_t>(std::time(nullptr)));
    if (auto ok = insert->Run(); !ok) return ok;
  }
  if (auto ok = Remine(analyzer); !ok) return ok;
  return tx->Commit();
}

ErrorOr<std::vector<FeedbackExample>> FeedbackStore::Examples() {
  auto select = db_.Prepare("SELECT query, tool FROM feedback ORDER BY id");
  if (!select) return select.error();
  std::vector<FeedbackExample> out;
  while (true) {
    auto row = select->Step();
    if (!row) return row.error();
    if (!*row) break;
    out.push_back(FeedbackExample{select->ColumnText(0), select->ColumnText(1)});
  }
  return out;
}

ErrorOr<void> FeedbackStore::Remine(const AnalyzerOptions& analyzer) {
  auto examples = Examples();
  if (!examples) return examples.error();
  if (auto ok = db_.Exec("DELETE FROM mined_pattern"); !ok) return ok;
  auto insert = db_.Prepare("INSERT OR REPLACE INTO mined_pattern(tool, keyword, weight) VALUES(?, ?, ?)");
  if (!insert) return insert.error();
  for (const Pattern& p : MinePatterns(*examples, analyzer)) {
    insert->Reset();
    insert->Bind(1, p.tool).Bind(2, p.keywords.front()).Bind(3, p.weight);
    if (auto ok = insert->Run(); !ok) return ok;
  }
  return {};
}

ErrorOr<std::vector<Pattern>> FeedbackStore::MinedPatterns(const AnalyzerOptions& analyzer) {
  auto select = db_.Prepare("SELECT tool, keyword, weight FROM mined_pattern ORDER BY tool, keyword");
  if (!select) return select.error();
  std::vector<Pattern> out;
  while (true) {
    auto row = select->Step();
    if (!row) return row.error();
    if (!*row) break;
    Pattern p;
    p.tool = select->ColumnText(0);
    p.keywords = {select->ColumnText(1)};
    p.weight = select->ColumnDouble(2);
    p.origin = "feedback";
    AnalyzePattern(p, analyzer);
    if (!p.terms.empty()) out.push_back(std::move(p));
  }
  return out;
}

ErrorOr<void> FeedbackStore::Clear() { return db_.Exec("DELETE FROM feedback; DELETE FROM mined_pattern;"); }

ErrorOr<std::optional<RouteWeights>> FeedbackStore::LoadWeights() {
  auto select = db_.Prepare("SELECT value FROM setting WHERE key = 'weights'");
  if (!select) return select.error();
  auto row = select->Step();
  if (!row) return row.error();
  if (!*row) return std::optional<RouteWeights>();
  auto json = ParseJson(select->ColumnText(0));
  if (!json || !json->is_record()) return MakeError("store", "the saved route weights are not a JSON record");
  return std::optional<RouteWeights>(RouteWeights::FromValue(*json));
}

ErrorOr<void> FeedbackStore::SaveWeights(const RouteWeights& weights) {
  auto upsert = db_.Prepare("INSERT OR REPLACE INTO setting(key, value) VALUES('weights', ?)");
  if (!upsert) return upsert.error();
  upsert->Bind(1, ToJson(weights.ToValue()));
  return upsert->Run();
}

}  // namespace orch::route
