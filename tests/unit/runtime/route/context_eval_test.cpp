// Follow-up context, request checks and evaluation metrics.
#include <doctest/doctest.h>

#include <fstream>

#include "runtime/route/context.h"
#include "runtime/route/evaluate.h"
#include "runtime/route/router.h"
#include "tests/unit/runtime/route/route_test_util.h"

using namespace orch::route;

TEST_CASE("entities are quoted strings, placeholders, names inside the sentence and file-like words") {
  CHECK(ExtractEntities("What is the weather in New York today?") == std::vector<std::string>{"New York"});
  CHECK(ExtractEntities("read 'notes.txt' and <dir> then v1.2") ==
        std::vector<std::string>{"notes.txt", "<dir>", "v1.2"});
  CHECK(ExtractEntities("Berlin is nice").empty());  // the first word of a sentence is not a name
}

TEST_CASE("a follow-up is recognised and resolved against the previous request") {
  CHECK(IsFollowUp("now do the same for Paris"));
  CHECK(IsFollowUp("What about Rome?"));
  CHECK_FALSE(IsFollowUp("list the files in src"));
  RouteContext previous{"weather forecast for Berlin", "weather/getForecast", {"Berlin"}};
  CHECK(ResolveFollowUp(previous, ExtractEntities("now do the same for Paris")) == "weather forecast for Paris");
}

TEST_CASE("a context file round-trips") {
  testing::TempDir dir;
  auto path = (dir.path / "ctx.json").string();
  auto none = ReadContextFile(path);
  REQUIRE(none.ok());
  CHECK_FALSE(none->has_value());
  REQUIRE(WriteContextFile(path, RouteContext{"q", "a/b", {"X"}}).ok());
  auto back = ReadContextFile(path);
  REQUIRE(back.ok());
  REQUIRE(back->has_value());
  CHECK((*back)->tool == "a/b");
  CHECK((*back)->entities == std::vector<std::string>{"X"});
}

TEST_CASE("requests that are empty, huge or not utf-8 are refused with a reason") {
  CHECK(CheckQuery("list files").ok());
  auto empty = CheckQuery("  ?! ");
  REQUIRE_FALSE(empty.ok());
  CHECK(empty.error().message.find("the request is empty") == 0);
  auto huge = CheckQuery(std::string(1 << 20, 'a'));
  REQUIRE_FALSE(huge.ok());
  CHECK(huge.error().message == "the request is 1048576 bytes long; the limit is 65536 bytes");
  auto bytes = CheckQuery("list \xff files");
  REQUIRE_FALSE(bytes.ok());
  CHECK(bytes.error().message == "the request is not valid UTF-8 (byte 0xff at offset 5)");
}

TEST_CASE("evaluation computes top-1, recall at 5 and mrr") {
  Catalog catalog = testing::SmallCatalog();
  ToolIndex index = ToolIndex::Build(catalog, AnalyzerOptions{});
  RankInputs inputs;
  inputs.index = &index;
  inputs.strategy = FindStrategy("full");
  std::vector<LabelledQuery> queries = {
      {"1", "send an email to Ann", {"mail/send-email"}},
      {"2", "send an email to Ann", {"fs/write_file"}},  // a deliberately wrong label
      {"3", "read the contents of a file", {"fs/read_text_file", "fs/list_directory"}},
  };
  EvalResult r = Evaluate(inputs, queries);
  CHECK(r.queries == 3);
  CHECK(r.top1 == doctest::Approx(2.0 / 3.0));
  CHECK(r.misses.size() == 1);
  CHECK(r.misses[0].id == "2");
  CHECK(r.mrr == doctest::Approx(2.0 / 3.0));  // the wrong label's tool is not ranked at all
  CHECK(r.recall5 == doctest::Approx(2.0 / 3.0));
  CHECK(r.p99_ms >= r.p50_ms);
  CHECK(r.cpu_p99_ms >= r.cpu_p50_ms);
  CHECK(r.cpu_p50_ms > 0);
  CHECK(r.reciprocal_ranks == std::vector<double>{1.0, 0.0, 1.0});
}

TEST_CASE("tuning takes a change for progress only when a sign test says it is not chance") {
  auto ranks = [](int rose, int fell, int same) {
    std::vector<double> current, candidate;
    for (int i = 0; i < rose; ++i) current.push_back(0.5), candidate.push_back(1.0);
    for (int i = 0; i < fell; ++i) current.push_back(1.0), candidate.push_back(0.5);
    for (int i = 0; i < same; ++i) current.push_back(1.0), candidate.push_back(1.0);
    return SignificantlyBetter(candidate, current);
  };
  CHECK_FALSE(ranks(4, 0, 100));  // 1 in 16 by chance
  CHECK(ranks(5, 0, 100));        // 1 in 32
  CHECK_FALSE(ranks(5, 3, 0));
  CHECK_FALSE(ranks(6, 1, 0));  // 8 in 128
  CHECK(ranks(7, 1, 0));        // 9 in 256
  CHECK(ranks(40, 20, 0));
  CHECK_FALSE(ranks(0, 0, 10));
  CHECK_FALSE(ranks(1, 5, 0));
}

TEST_CASE("labelled files may be a json array or json lines, and bad entries are named") {
  testing::TempDir dir;
  auto path = (dir.path / "q.jsonl").string();
  std::ofstream(path) << R"({"query": "a", "expected": "s/t"})" << "\n\n" << R"({"query": "b", "expected": ["s/u"]})" << "\n";
  auto lines = LoadLabelledFile(path);
  REQUIRE(lines.ok());
  CHECK(lines->size() == 2);
  std::ofstream(path) << R"([{"query": "a"}])";
  auto missing = LoadLabelledFile(path);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().message.find("entry 0: needs `expected`") != std::string::npos);
}

TEST_CASE("the split is deterministic and covers every request once") {
  std::vector<LabelledQuery> all;
  for (int i = 0; i < 200; ++i) all.push_back({"id" + std::to_string(i), "q", {"a/b"}});
  std::vector<LabelledQuery> a1, b1, a2, b2;
  SplitLabelled(all, 0.5, a1, b1);
  SplitLabelled(all, 0.5, a2, b2);
  CHECK(a1.size() + b1.size() == 200);
  CHECK(a1.size() == a2.size());
  CHECK(a1.size() > 60);
  CHECK(b1.size() > 60);
}
