// On-disk state: the index cache, route.db (corrections, mined patterns, weights, corrupt
// recovery) and YAML pattern files.
#include <doctest/doctest.h>

#include <fstream>

#include "runtime/route/feedback_store.h"
#include "runtime/route/index_cache.h"
#include "runtime/route/patterns.h"
#include "tests/unit/runtime/route/route_test_util.h"

using namespace orch::route;

TEST_CASE("the index cache is reused for the same catalog and rebuilt when a tool changes") {
  testing::TempDir dir;
  Catalog catalog = testing::SmallCatalog();
  IndexSource source;
  ToolIndex built = LoadIndex(catalog, AnalyzerOptions{}, dir.path, &source);
  CHECK(source == IndexSource::kBuilt);
  ToolIndex cached = LoadIndex(catalog, AnalyzerOptions{}, dir.path, &source);
  CHECK(source == IndexSource::kCache);
  REQUIRE(cached.size() == built.size());
  CHECK(cached.vocabulary_size() == built.vocabulary_size());
  for (uint32_t t = 0; t < built.vocabulary_size(); ++t) {
    int64_t id = cached.TermId(built.Term(t));
    REQUIRE(id >= 0);
    CHECK(cached.Idf(static_cast<uint32_t>(id)) == doctest::Approx(built.Idf(t)));
  }
  catalog.tools[0].description += " Also reads PDFs.";
  catalog = *CatalogFromTools(catalog.tools, "changed");
  LoadIndex(catalog, AnalyzerOptions{}, dir.path, &source);
  CHECK(source == IndexSource::kBuilt);
}

TEST_CASE("a truncated index cache is rebuilt, not trusted") {
  testing::TempDir dir;
  Catalog catalog = testing::SmallCatalog();
  LoadIndex(catalog, AnalyzerOptions{}, dir.path);
  for (const auto& entry : std::filesystem::directory_iterator(dir.path)) {
    std::filesystem::resize_file(entry.path(), std::filesystem::file_size(entry.path()) / 2);
  }
  IndexSource source;
  ToolIndex index = LoadIndex(catalog, AnalyzerOptions{}, dir.path, &source);
  CHECK(source == IndexSource::kBuilt);
  CHECK(index.size() == catalog.tools.size());
}

TEST_CASE("route.db keeps corrections, mines patterns and saves weights") {
  testing::TempDir dir;
  {
    auto store = FeedbackStore::Open(dir.path);
    REQUIRE(store.ok());
    CHECK_FALSE(store->recovery_note().has_value());
    REQUIRE(store->AddAll({{"archive the report", "fs/write_file"}, {"archive these notes", "fs/write_file"},
                           {"archive old logs", "fs/write_file"}},
                          AnalyzerOptions{})
                .ok());
    RouteWeights w;
    w.synonym = 0.123;
    REQUIRE(store->SaveWeights(w).ok());
  }
  auto store = FeedbackStore::Open(dir.path);
  REQUIRE(store.ok());
  auto examples = store->Examples();
  REQUIRE(examples.ok());
  CHECK(examples->size() == 3);
  auto mined = store->MinedPatterns(AnalyzerOptions{});
  REQUIRE(mined.ok());
  REQUIRE(mined->size() == 1);
  CHECK(mined->front().tool == "fs/write_file");
  CHECK(mined->front().keywords.front() == "archive");
  auto weights = store->LoadWeights();
  REQUIRE(weights.ok());
  REQUIRE(weights->has_value());
  CHECK((*weights)->synonym == doctest::Approx(0.123));
}

TEST_CASE("a corrupt route.db is moved aside and rebuilt with a note") {
  testing::TempDir dir;
  std::ofstream(dir.path / "route.db") << "this is not a database, it is a sentence repeated. " << std::string(2000, '!');
  auto store = FeedbackStore::Open(dir.path);
  REQUIRE(store.ok());
  REQUIRE(store->recovery_note().has_value());
  CHECK(store->recovery_note()->find("route.db.corrupt-") != std::string::npos);
  CHECK(store->Add("list files", "fs/list_directory", AnalyzerOptions{}).ok());
}

TEST_CASE("mined patterns need support and precision") {
  std::vector<FeedbackExample> examples = {
      {"backup the photos", "a/backup"}, {"backup my photos now", "a/backup"}, {"photos of cats", "b/search"}};
  auto patterns = MinePatterns(examples, AnalyzerOptions{});
  REQUIRE(patterns.size() == 1);  // "backup": 2 of 2; "photos": 2 of 3 is below 0.8
  CHECK(patterns[0].tool == "a/backup");
  CHECK(patterns[0].keywords[0] == "backup");
}

TEST_CASE("a pattern file is read and checked entry by entry") {
  testing::TempDir dir;
  auto path = (dir.path / "p.yaml").string();
  std::ofstream(path) << "patterns:\n  - tool: mail/send-email\n    keywords: [notify, team]\n"
                         "  - server: weather\n    keywords: umbrella\n    weight: 2\n";
  auto loaded = LoadPatternFile(path, AnalyzerOptions{});
  REQUIRE(loaded.ok());
  REQUIRE(loaded->size() == 2);
  CHECK(loaded->at(0).terms == std::vector<std::string>{"notifi", "team"});
  CHECK(loaded->at(1).server == "weather");
  CHECK(loaded->at(1).weight == 2.0);

  std::ofstream(path) << "patterns:\n  - tool: nosuchform\n    keywords: [x]\n";
  auto bad = LoadPatternFile(path, AnalyzerOptions{});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message.find("pattern 1 (line 2): tool `nosuchform` is not of the form `server/tool`") !=
        std::string::npos);
  std::ofstream(path) << "patterns:\n  - tool: a/b\n    keyword: [x]\n";
  auto typo = LoadPatternFile(path, AnalyzerOptions{});
  REQUIRE_FALSE(typo.ok());
  CHECK(typo.error().message.find("unknown key `keyword`") != std::string::npos);
  std::ofstream(path) << "patterns: [\n";
  CHECK_FALSE(LoadPatternFile(path, AnalyzerOptions{}).ok());
}
