// Catalog checks: shapes accepted, duplicates and empty names refused, fingerprints.
#include <doctest/doctest.h>

#include <fstream>

#include "runtime/route/catalog.h"
#include "runtime/value/json.h"
#include "tests/unit/runtime/route/route_test_util.h"

using orch::ParseJson;
using orch::route::CatalogFromJson;

TEST_CASE("a catalog accepts a list or a tools/list result with a default server") {
  auto list = CatalogFromJson(*ParseJson(R"([{"server": "a", "name": "t", "description": "d"}])"), "x");
  REQUIRE(list.ok());
  CHECK(list->tools[0].Id() == "a/t");
  auto result = CatalogFromJson(*ParseJson(R"({"tools": [{"name": "t"}]})"), "x", "srv");
  REQUIRE(result.ok());
  CHECK(result->tools[0].Id() == "srv/t");
}

TEST_CASE("a duplicate tool id is an error naming both entries") {
  auto c = CatalogFromJson(*ParseJson(R"([{"server": "a", "name": "t"}, {"server": "b", "name": "t"},
                                         {"server": "a", "name": "t"}])"), "cat.json");
  REQUIRE_FALSE(c.ok());
  CHECK(c.error().message == "cat.json: tool `a/t` appears twice (entries 0 and 2)");
}

TEST_CASE("an empty or missing name is an error naming the entry") {
  auto empty = CatalogFromJson(*ParseJson(R"([{"server": "a", "name": ""}])"), "cat.json");
  REQUIRE_FALSE(empty.ok());
  CHECK(empty.error().message == "cat.json: entry 0 has an empty `name`");
  auto missing = CatalogFromJson(*ParseJson(R"([{"server": "a"}])"), "cat.json");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().message == "cat.json: entry 0 has no `name`");
  auto wrong = CatalogFromJson(*ParseJson(R"([{"server": "a", "name": 3}])"), "cat.json");
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.error().message.find("expected a string") != std::string::npos);
  auto not_list = CatalogFromJson(*ParseJson(R"("tools")"), "cat.json");
  CHECK_FALSE(not_list.ok());
}

TEST_CASE("the fingerprint changes when any tool changes and not otherwise") {
  auto a = CatalogFromJson(*ParseJson(R"([{"server": "a", "name": "t", "description": "one"}])"), "x");
  auto b = CatalogFromJson(*ParseJson(R"([{"description": "one", "name": "t", "server": "a"}])"), "x");
  auto c = CatalogFromJson(*ParseJson(R"([{"server": "a", "name": "t", "description": "two"}])"), "x");
  CHECK(a->fingerprint == b->fingerprint);
  CHECK(a->fingerprint != c->fingerprint);
}

TEST_CASE("a catalog file's fingerprint is of its bytes, and changes when a tool does") {
  orch::route::testing::TempDir dir;
  auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir.path / name) << text;
    return orch::route::LoadCatalogFile((dir.path / name).string());
  };
  auto a = write("a.json", R"([{"server": "a", "name": "t", "description": "one"}])");
  auto same = write("same.json", R"([{"server": "a", "name": "t", "description": "one"}])");
  auto c = write("c.json", R"([{"server": "a", "name": "t", "description": "two"}])");
  REQUIRE(a.ok());
  REQUIRE(c.ok());
  CHECK(a->fingerprint == same->fingerprint);
  CHECK(a->fingerprint != c->fingerprint);
  CHECK(a->fingerprint.starts_with("file:"));
  // The checks still apply to a file.
  auto twice = write("twice.json", R"([{"server": "a", "name": "t"}, {"server": "a", "name": "t"}])");
  CHECK_FALSE(twice.ok());
}
