// Assembling a Router from a catalog and the project's state.
#include "runtime/route/router.h"

#include <fmt/format.h>

#include "runtime/route/synonyms.h"
#include "runtime/route/text.h"
#include "runtime/value/json.h"

#include <fstream>
#include <sstream>

namespace orch::route {
namespace {

// Competitors remembered per correction: enough for any request the correction can lift.
constexpr size_t kMaxOverruled = 200;

}  // namespace

ErrorOr<void> CheckQuery(std::string_view query) {
  if (query.size() > kMaxQueryBytes) {
    return MakeError("usage", fmt::format("the request is {} bytes long; the limit is {} bytes", query.size(),
                                          kMaxQueryBytes));
  }
  if (auto bad = FindInvalidUtf8(query)) {
    return MakeError("usage", fmt::format("the request is not valid UTF-8 (byte 0x{:02x} at offset {})",
                                          static_cast<unsigned char>(query[*bad]), *bad));
  }
  if (SplitWords(query).empty()) {
    return MakeError("usage", "the request is empty; say what you want to do, e.g. `orchestrator route \"list my "
                              "files\"`");
  }
  return {};
}

ErrorOr<std::unique_ptr<Router>> Router::Open(const Catalog& catalog, const RouterOptions& options,
                                              std::vector<std::string>& notes) {
  const Strategy* strategy = FindStrategy(options.strategy);
  if (!strategy) {
    std::string names;
    for (const auto& s : Strategies()) names += (names.empty() ? "" : ", ") + s.name;
    return MakeError("usage", fmt::format("unknown strategy `{}`; choose one of {}", options.strategy, names));
  }
  std::unique_ptr<Router> router(new Router());
  router->use_feedback_ = options.use_feedback;
  router->index_ = LoadIndex(catalog, strategy->analyzer, options.state_dir, &router->index_source_);
  router->inputs_.index = &router->index_;
  router->inputs_.strategy = strategy;
  (void)Synonyms(strategy->analyzer);  // build the table now, not inside the first ranking

  std::vector<std::string> pattern_files = options.pattern_files;
  if (options.state_dir) {
    auto project_patterns = *options.state_dir / "route-patterns.yaml";
    std::error_code ec;
    if (std::filesystem::exists(project_patterns, ec)) pattern_files.insert(pattern_files.begin(), project_patterns.string());
    auto opened = FeedbackStore::Open(*options.state_dir);
    if (!opened) return opened.error();
    router->store_.emplace(std::move(*opened));
    if (router->store_->recovery_note()) notes.push_back(*router->store_->recovery_note());
    if (options.use_saved_weights) {
      auto saved = router->store_->LoadWeights();
      if (!saved) {
        notes.push_back(fmt::format("ignoring saved route weights: {}", saved.error().message));
      } else if (*saved) {
        router->inputs_.weights = **saved;
      }
    }
  }
  for (const std::string& file : pattern_files) {
    auto loaded = LoadPatternFile(file, strategy->analyzer);
    if (!loaded) return loaded.error();
    for (Pattern& p : *loaded) {
      if (!p.tool.empty() && router->index_.FindTool(p.tool) < 0) {
        notes.push_back(fmt::format("{}: pattern for `{}` ignored: no such tool in the catalog", file, p.tool));
        continue;
      }
      router->file_patterns_.push_back(std::move(p));
    }
  }
  if (!options.weights_file.empty()) {
    std::ifstream in(options.weights_file, std::ios::binary);
    if (!in) return MakeError("io", fmt::format("cannot read weights file `{}`", options.weights_file));
    std::stringstream buffer;
    buffer << in.rdbuf();
    auto json = ParseJson(buffer.str());
    if (!json || !json->is_record()) {
      return MakeError("usage", fmt::format("weights file `{}` is not a JSON record of named numbers", options.weights_file));
    }
    router->inputs_.weights = RouteWeights::FromValue(*json);
  }
  if (auto ok = router->ReloadFeedback(); !ok) return ok.error();
  return router;
}

ErrorOr<void> Router::ReloadFeedback() {
  patterns_ = file_patterns_;
  feedback_ = FeedbackModel();
  if (store_ && use_feedback_) {
    auto examples = store_->Examples();
    if (!examples) return examples.error();
    auto mined = store_->MinedPatterns(index_.analyzer());
    if (!mined) return mined.error();
    // What each correction overruled: the ranking it corrects, without corrections.
    RankInputs unlearned = inputs_;
    unlearned.patterns = &file_patterns_;
    unlearned.feedback = nullptr;
    feedback_ = FeedbackModel(std::move(*examples), index_, [&](const std::string& query, uint32_t tool) {
      return ToolsRankedAbove(unlearned, query, tool, kMaxOverruled);
    });
    feedback_.SetMinedPatterns(std::move(*mined));
  }
  inputs_.patterns = &patterns_;
  inputs_.feedback = &feedback_;
  return {};
}

}  // namespace orch::route
