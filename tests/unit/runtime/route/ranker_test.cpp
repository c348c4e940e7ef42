// Ranking behaviour on a small catalog: fields, expansions, patterns, feedback, follow-ups.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <utility>

#include "runtime/route/ranker.h"
#include "tests/unit/runtime/route/route_test_util.h"

using namespace orch::route;

namespace {

/// A catalog, its index and the `full` strategy's inputs (the small catalog unless given).
struct Fixture {
  Catalog catalog;
  ToolIndex index;
  RankInputs inputs;
  explicit Fixture(Catalog tools = testing::SmallCatalog())
      : catalog(std::move(tools)), index(ToolIndex::Build(catalog, AnalyzerOptions{})) {
    inputs.index = &index;
    inputs.strategy = FindStrategy("full");
  }
  std::string Top(std::string_view query) {
    RankRequest request;
    request.query = query;
    auto ranked = Rank(inputs, request);
    return ranked.empty() ? "" : index.tool(ranked[0].tool).Id();
  }
};

}  // namespace

TEST_CASE("the tool whose name and description match ranks first") {
  Fixture f;
  CHECK(f.Top("read the contents of notes.txt") == "fs/read_text_file");
  CHECK(f.Top("what is the weather in Berlin tomorrow") == "weather/getForecast");
  CHECK(f.Top("send a mail to Bob") == "mail/send-email");
}

TEST_CASE("stemming, synonyms and spelling variants find tools the words do not name") {
  Fixture f;
  CHECK(f.Top("show the folders") == "fs/list_directory");         // folder ~ directory
  CHECK(f.Top("retrieve forecasts") == "weather/getForecast");        // stemmed + camel whole word
  CHECK(f.Top("wether forcast for Paris") == "weather/getForecast");  // misspelt
  CHECK(f.Top("secrets in my key vault") == "kv/keyvault_secret_list");  // joined compound + plural
  CHECK(f.Top("get the secret db-password from key vault") == "kv/keyvault_secret_get");
}

TEST_CASE("scores are positive, sorted, and a request about nothing known scores nothing") {
  Fixture f;
  RankRequest request;
  request.query = "write a new file";
  request.top = 10;
  auto ranked = Rank(f.inputs, request);
  REQUIRE(ranked.size() >= 2);
  for (size_t i = 1; i < ranked.size(); ++i) CHECK(ranked[i - 1].score >= ranked[i].score);
  CHECK(ranked[0].score > 0);
  request.query = "zzqx blorf";
  CHECK(Rank(f.inputs, request).empty());
}

TEST_CASE("explain lists the matched terms and fields") {
  Fixture f;
  RankRequest request;
  request.query = "send an email";
  request.explain = true;
  auto ranked = Rank(f.inputs, request);
  REQUIRE_FALSE(ranked.empty());
  bool mentions_name = false;
  for (const auto& reason : ranked[0].reasons) {
    if (reason.find("`email` in name") != std::string::npos) mentions_name = true;
  }
  CHECK(mentions_name);
}

TEST_CASE("the plain bm25 strategy uses no expansions") {
  Fixture f;
  f.inputs.strategy = FindStrategy("bm25");
  f.index = ToolIndex::Build(f.catalog, f.inputs.strategy->analyzer);
  CHECK(f.Top("retrieve forecasts") == "");  // no stemming, no synonyms
  CHECK(f.Top("weather forecast") == "weather/getForecast");
}

TEST_CASE("a pattern votes for its tool when all its keywords appear") {
  Fixture f;
  std::vector<Pattern> patterns(1);
  patterns[0].tool = "mail/send-email";
  patterns[0].keywords = {"notify", "team"};
  AnalyzePattern(patterns[0], AnalyzerOptions{});
  f.inputs.patterns = &patterns;
  CHECK(f.Top("notify the team about the file") == "mail/send-email");
  CHECK(f.Top("notify about the file") != "mail/send-email");
}

TEST_CASE("a correction moves similar requests, not only the identical one") {
  Fixture f;
  CHECK(f.Top("archive the quarterly report") != "fs/write_file");
  FeedbackModel model({{"archive the quarterly report", "fs/write_file"}}, f.index,
                      [&](const std::string& query, uint32_t tool) { return ToolsRankedAbove(f.inputs, query, tool, 50); });
  f.inputs.feedback = &model;
  CHECK(f.Top("archive the quarterly report") == "fs/write_file");
  CHECK(f.Top("please archive the quarterly report now") == "fs/write_file");
  CHECK(f.Top("weather forecast for Rome") == "weather/getForecast");
}

TEST_CASE("a correction lifts its tool only past the tools it overruled") {
  Fixture f;
  // Nothing matched the corrected request, so the correction overruled no tool: a similar
  // request that the catalog does match keeps its lexical winner.
  FeedbackModel model({{"archive the quarterly report", "fs/write_file"}}, f.index,
                      [&](const std::string& query, uint32_t tool) { return ToolsRankedAbove(f.inputs, query, tool, 50); });
  CHECK(model.competitors(0).empty());
  f.inputs.feedback = &model;
  CHECK(f.Top("archive the quarterly report") == "fs/write_file");
  CHECK(f.Top("archive the quarterly report forecast") == "weather/getForecast");
}

TEST_CASE("a tool's corrected requests lift a paraphrase that matches none of them closely") {
  Fixture f;
  const std::string paraphrase = "keep the budget and the minutes as a text file";
  REQUIRE(f.Top(paraphrase) == "fs/read_text_file");
  FeedbackModel model({{"save the meeting minutes to a text file", "fs/write_file"},
                       {"put the budget numbers in a text file", "fs/write_file"},
                       {"keep my shopping list in a text file", "fs/write_file"}},
                      f.index,
                      [&](const std::string& query, uint32_t tool) { return ToolsRankedAbove(f.inputs, query, tool, 50); });
  f.inputs.feedback = &model;
  // No single correction is similar enough to vote on its own...
  f.inputs.weights.learned = 0;
  CHECK(f.Top(paraphrase) == "fs/read_text_file");
  // ...but together, as the tool's learned text, they say where such requests go.
  f.inputs.weights.learned = RouteWeights{}.learned;
  CHECK(f.Top(paraphrase) == "fs/write_file");
  // Requests about something else keep their tools.
  CHECK(f.Top("read the contents of notes.txt") == "fs/read_text_file");
  CHECK(f.Top("weather forecast for Rome") == "weather/getForecast");
  CHECK(f.Top("list the secrets in my vault") == "kv/keyvault_secret_list");
}

TEST_CASE("a correction overrules the tools ranked above its tool") {
  Fixture f;
  std::string lexical_top = f.Top("list the secrets in my vault");
  REQUIRE(lexical_top == "kv/keyvault_secret_list");
  FeedbackModel model({{"list the secrets in my vault", "kv/keyvault_secret_get"}}, f.index,
                      [&](const std::string& query, uint32_t tool) { return ToolsRankedAbove(f.inputs, query, tool, 50); });
  CHECK(model.Overruled(0, static_cast<uint32_t>(f.index.FindTool("kv/keyvault_secret_list"))));
  CHECK_FALSE(model.Overruled(0, static_cast<uint32_t>(f.index.FindTool("weather/getForecast"))));
  f.inputs.feedback = &model;
  CHECK(f.Top("list the secrets in my vault") == "kv/keyvault_secret_get");
  CHECK(f.Top("please list the secrets in my vault") == "kv/keyvault_secret_get");
}

TEST_CASE("a follow-up reuses the previous request's words and tool") {
  Fixture f;
  RankRequest request;
  request.query = "now do the same for Paris";
  request.previous_query = "weather forecast for Berlin";
  request.previous_tool = f.index.FindTool("weather/getForecast");
  auto ranked = Rank(f.inputs, request);
  REQUIRE_FALSE(ranked.empty());
  CHECK(f.index.tool(ranked[0].tool).Id() == "weather/getForecast");
}

namespace {

Catalog SiblingCatalog() {
  auto json = orch::ParseJson(R"([
    {"server": "acr", "name": "registry_list", "description": "List container registries in a subscription.",
     "inputSchema": {}},
    {"server": "acr", "name": "registry_repository_list",
     "description": "List the repositories of the container registries in a subscription.",
     "inputSchema": {}},
    {"server": "acr", "name": "repository_delete", "description": "Delete a repository from a registry.",
     "inputSchema": {}},
    {"server": "shop", "name": "GiftTool", "description": "Ideas for a present for a friend.", "inputSchema": {}},
    {"server": "shop", "name": "NewsTool", "description": "Today's headlines.", "inputSchema": {}}
  ])");
  return std::move(*CatalogFromJson(*json, "test"));
}

std::vector<std::string> ClaimTerms(const ToolIndex& index, std::string_view id) {
  std::vector<std::string> terms;
  for (uint32_t t : index.NameClaims(static_cast<uint32_t>(index.FindTool(id)))) terms.push_back(index.Term(t));
  std::sort(terms.begin(), terms.end());
  return terms;
}

}  // namespace

TEST_CASE("a name's claims are its words that other names share and its description repeats") {
  Catalog catalog = SiblingCatalog();
  ToolIndex index = ToolIndex::Build(catalog, AnalyzerOptions{});
  CHECK(ClaimTerms(index, "acr/registry_list") == std::vector<std::string>{"list", "registri"});
  CHECK(ClaimTerms(index, "acr/registry_repository_list") ==
        std::vector<std::string>{"list", "registri", "repositori"});
  // `tool` is in both names but neither description says it; brand-like words are in one name.
  CHECK(ClaimTerms(index, "shop/GiftTool").empty());
}

TEST_CASE("a tool's name words that the request does not mention lower its score, and explain says which") {
  Fixture f(SiblingCatalog());
  const ToolIndex& index = f.index;
  RankInputs& inputs = f.inputs;
  RankRequest request;
  request.query = "list the container registries in my subscription";
  request.explain = true;
  auto scores = [&](double name_miss) {
    inputs.weights.name_miss = name_miss;
    std::map<std::string, RankedTool> by_name;
    for (RankedTool& r : Rank(inputs, request)) by_name[index.tool(r.tool).name] = r;
    return by_name;
  };
  auto without = scores(0);
  auto with = scores(RouteWeights{}.name_miss);
  REQUIRE(with.contains("registry_list"));
  REQUIRE(with.contains("registry_repository_list"));
  CHECK(with["registry_list"].score == doctest::Approx(without["registry_list"].score));
  CHECK(with["registry_repository_list"].score < without["registry_repository_list"].score - 0.02);
  CHECK(with["registry_list"].score > with["registry_repository_list"].score);
  bool explained = false;
  for (const auto& reason : with["registry_repository_list"].reasons) {
    explained |= reason.find("name says `repositori`") != std::string::npos;
  }
  CHECK(explained);
}

TEST_CASE("a plural hints at a listing tool only when it names what tools are named after") {
  Fixture f;
  auto hints_list = [&](std::string_view query) {
    RankRequest request;
    request.query = query;
    request.explain = true;
    request.top = 10;
    for (const RankedTool& r : Rank(f.inputs, request)) {
      for (const auto& reason : r.reasons) {
        if (reason.find("is plural") != std::string::npos) return true;
      }
    }
    return false;
  };
  CHECK(hints_list("show the secrets"));             // `secret` is in tool names
  CHECK_FALSE(hints_list("show the file contents"));  // `content` is only in descriptions
}

TEST_CASE("the name-word penalty takes at most half a tool's score, so the tool stays ranked") {
  Fixture f(SiblingCatalog());
  const ToolIndex& index = f.index;
  RankInputs& inputs = f.inputs;
  RankRequest request;
  request.query = "list the container registries in my subscription";
  inputs.weights.name_miss = 0;
  double unpenalized = 0;
  for (const RankedTool& r : Rank(inputs, request)) {
    if (index.tool(r.tool).name == "registry_repository_list") unpenalized = r.score;
  }
  inputs.weights.name_miss = 100;
  double penalized = 0;
  for (const RankedTool& r : Rank(inputs, request)) {
    if (index.tool(r.tool).name == "registry_repository_list") penalized = r.score;
  }
  REQUIRE(unpenalized > 0);
  CHECK(penalized >= unpenalized / 2 - 1e-9);
  CHECK(penalized < unpenalized);
}

namespace {

// Two sibling tools: one acting on a sync group, one on an endpoint inside a sync group.
Catalog SyncCatalog() {
  auto json = orch::ParseJson(R"([
    {"server": "sync", "name": "syncgroup_delete", "description": "Delete a sync group with its server endpoints and cloud endpoints.",
     "inputSchema": {"type": "object", "properties": {"sync-group": {"type": "string"}}}},
    {"server": "sync", "name": "serverendpoint_delete", "description": "Delete a server endpoint.",
     "inputSchema": {"type": "object", "properties": {"sync-group": {"type": "string"}, "endpoint": {"type": "string"}}}},
    {"server": "news", "name": "industry_news", "description": "News about an industry: fashion, cars, food.", "inputSchema": {}},
    {"server": "news", "name": "fashion_trends", "description": "Trends in fashion.", "inputSchema": {}}
  ])");
  return std::move(*CatalogFromJson(*json, "test"));
}

}  // namespace

TEST_CASE("words in a phrase of place that names an item count less than the words naming what is wanted") {
  Fixture f(SyncCatalog());
  const ToolIndex& index = f.index;
  RankInputs& inputs = f.inputs;
  auto top = [&](std::string_view query, double scope) {
    inputs.weights.scope = scope;
    RankRequest request;
    request.query = query;
    request.top = 10;
    return Rank(inputs, request);
  };
  const std::string query = "Delete the server endpoint <endpoint-name> from sync group <syncgroup-name>";
  auto without = top(query, 1.0);
  auto with = top(query, RouteWeights{}.scope);
  REQUIRE(!without.empty());
  REQUIRE(!with.empty());
  CHECK(index.tool(without[0].tool).Id() == "sync/syncgroup_delete");
  CHECK(index.tool(with[0].tool).Id() == "sync/serverendpoint_delete");

  // A phrase of place without a value is a topic ("in the fashion industry"): same scores.
  auto topic_without = top("what are the trends in the fashion industry", 1.0);
  auto topic_with = top("what are the trends in the fashion industry", RouteWeights{}.scope);
  REQUIRE(topic_without.size() == topic_with.size());
  for (size_t i = 0; i < topic_with.size(); ++i) {
    CHECK(topic_with[i].tool == topic_without[i].tool);
    CHECK(topic_with[i].score == doctest::Approx(topic_without[i].score));
  }
  // Hyphenated English words are not values: "in-depth" opens no place.
  auto hyphen_without = top("in-depth news about fashion in the 24-hour cycle", 1.0);
  auto hyphen_with = top("in-depth news about fashion in the 24-hour cycle", RouteWeights{}.scope);
  REQUIRE(hyphen_without.size() == hyphen_with.size());
  for (size_t i = 0; i < hyphen_with.size(); ++i) CHECK(hyphen_with[i].score == doctest::Approx(hyphen_without[i].score));
}
