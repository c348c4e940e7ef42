// The checker's tool catalog: the built-in std tools, locked servers, lock discovery.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "compiler/check/lock_catalog.h"
#include "compiler/check/std_tools.h"
#include "compiler/check/tool_catalog.h"
#include "compiler/types/print.h"
#include "runtime/value/json.h"

using namespace orch::compiler;
using orch::types::Print;

TEST_CASE("the std tool table parses and every tool has a schema") {
  const orch::Value& tools = check::StdTools();
  REQUIRE(tools.is_list());
  CHECK(tools.as_list().size() == 8);
  for (const orch::Value& tool : tools.as_list()) {
    INFO(tool.Get("name").as_string());
    CHECK(tool.Get("inputSchema").Find("properties") != nullptr);
  }
  auto catalog = check::ToolCatalog::WithStd();
  const check::CatalogServer* std_server = catalog.Find("std");
  REQUIRE(std_server);
  const check::CatalogTool* echo = std_server->Find("echo");
  REQUIRE(echo);
  CHECK(Print(echo->type.params) == "{message: string}");
  CHECK(echo->read_only);
  CHECK_FALSE(std_server->Find("write_file")->read_only);
}

TEST_CASE("a lock's servers join the catalog next to std") {
  std::ifstream in(std::string(ORCH_LOCK_FIXTURES_DIR) + "/memory.lock");
  std::stringstream ss;
  ss << in.rdbuf();
  auto lock = orch::ParseJson(ss.str());
  REQUIRE(lock.ok());
  auto catalog = check::ToolCatalog::WithStd();
  catalog.AddLockJson(*lock);
  CHECK(catalog.ServerNames() == std::vector<std::string>{"memory", "std"});
  const check::CatalogTool* search = catalog.Find("memory")->Find("search_nodes");
  REQUIRE(search);
  CHECK(search->read_only);
  CHECK(Print(search->type.params) == "{query: string}");
  CHECK(catalog.Find("memory")->Find("nope") == nullptr);
  CHECK(catalog.Find("github") == nullptr);
}

TEST_CASE("the lock next to the source wins over the one in the working directory") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / "orch_lock_catalog_test";
  fs::remove_all(dir);
  fs::create_directories(dir / "src");
  std::ofstream(dir / "src" / "orchestrator.lock") << R"({"version": 1, "servers": {"a": {"tools": [{"name": "t", "inputSchema": {"type": "object"}}]}}})";
  auto found = check::FindLockFile((dir / "src" / "main.orch").string());
  REQUIRE(found);
  CHECK(*found == (dir / "src" / "orchestrator.lock").string());
  DiagnosticSink sink;
  auto catalog = check::LoadToolCatalog((dir / "src" / "main.orch").string(), Span{}, sink);
  CHECK(catalog->Find("a") != nullptr);
  CHECK(catalog->Find("std") != nullptr);
  CHECK_FALSE(sink.has_errors());

  std::ofstream(dir / "src" / "orchestrator.lock", std::ios::trunc) << "<<<<<<< HEAD\n";
  DiagnosticSink broken;
  auto fallback = check::LoadToolCatalog((dir / "src" / "main.orch").string(), Span{}, broken);
  CHECK(broken.has_errors());
  CHECK(broken.diagnostics()[0].code() == "E0323");
  CHECK(fallback->Find("std") != nullptr);
  fs::remove_all(dir);
}
