// Lock file round trips and stable ordering.
#include <doctest/doctest.h>

#include "compiler/lock/lock_file.h"
#include "runtime/value/json.h"

using namespace orch::lock;

namespace {
LockFile Sample() {
  LockFile lock;
  LockedServer server;
  server.identity = {"mcp-servers/everything", "2.0.0", ""};
  server.protocol_version = "2025-11-25";
  server.transport = "stdio: npx -y @modelcontextprotocol/server-everything";
  ToolInfo b;
  b.name = "zeta";
  b.description = "last";
  b.input_schema = *orch::ParseJson(R"({"type":"object","properties":{"y":{"type":"string"},"x":{"type":"number"}}})");
  ToolInfo a;
  a.name = "alpha";
  a.title = "Alpha";
  a.input_schema = *orch::ParseJson(R"({"type":"object"})");
  a.annotations = *orch::ParseJson(R"({"readOnlyHint":true})");
  server.tools = {b, a};
  lock.servers["zz"] = server;
  lock.servers["aa"] = server;
  return lock;
}
}  // namespace

TEST_CASE("the lock file writes servers, tools and schema keys in sorted order with 2-space indent") {
  std::string text = WriteLockFile(Sample());
  CHECK(text.find("\"aa\"") < text.find("\"zz\""));
  CHECK(text.find("\"alpha\"") < text.find("\"zeta\""));
  CHECK(text.find("\"x\"") < text.find("\"y\""));
  CHECK(text.find("\n  \"servers\"") != std::string::npos);
  CHECK(text.back() == '\n');
}

TEST_CASE("the lock file reads back what it wrote, and writing again gives the same text") {
  std::string text = WriteLockFile(Sample());
  auto lock = ParseLockFile(text, "orchestrator.lock");
  REQUIRE(lock.ok());
  const LockedServer* server = lock->FindServer("aa");
  REQUIRE(server != nullptr);
  CHECK(server->identity.name == "mcp-servers/everything");
  CHECK(server->protocol_version == "2025-11-25");
  REQUIRE(server->tools.size() == 2);
  CHECK(server->tools[0].name == "alpha");
  CHECK(server->FindTool("alpha")->annotations.Get("readOnlyHint").as_bool());
  CHECK(server->FindTool("zeta")->output_schema.is_null());
  CHECK(WriteLockFile(*lock) == text);
}

TEST_CASE("a malformed lock file is an error naming the file and the key") {
  auto not_json = ParseLockFile("{", "orchestrator.lock");
  REQUIRE_FALSE(not_json.ok());
  CHECK(not_json.error().message.find("orchestrator.lock: not JSON") == 0);
  auto bad_tools = ParseLockFile(R"({"servers":{"a":{"tools":{}}}})", "orchestrator.lock");
  REQUIRE_FALSE(bad_tools.ok());
  CHECK(bad_tools.error().message.find("`servers.a.tools` must be a list") != std::string::npos);
  auto newer = ParseLockFile(R"({"version":99,"servers":{}})", "orchestrator.lock");
  REQUIRE_FALSE(newer.ok());
  CHECK(newer.error().message.find("newer") != std::string::npos);
  auto missing = ReadLockFile("/nonexistent/orchestrator.lock");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().kind == "io");
}

#ifdef ORCH_LOCK_FIXTURES_DIR
#include <fstream>
#include <sstream>

TEST_CASE("lock files of the real servers written by the official SDK read back and write out byte for byte") {
  for (const char* name : {"everything", "filesystem", "memory"}) {
    std::string path = std::string(ORCH_LOCK_FIXTURES_DIR) + "/" + name + ".lock";
    std::ifstream in(path);
    REQUIRE(in);
    std::ostringstream text;
    text << in.rdbuf();
    auto lock = ParseLockFile(text.str(), path);
    REQUIRE(lock.ok());
    CHECK(lock->servers.size() == 1);
    CHECK(WriteLockFile(*lock) == text.str());
  }
}
#endif
