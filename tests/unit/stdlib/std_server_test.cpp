// The built-in std server: MCP result shapes, confinement to the working directory,
// the env allow-list, and argument errors as isError results.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "runtime/value/json.h"
#include "stdlib/std_server/sandbox_path.h"
#include "stdlib/std_server/std_server.h"

namespace fs = std::filesystem;
using orch::Record;
using orch::Value;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    path = fs::temp_directory_path() / ("orch-std-test-" + std::to_string(::getpid()) + "-" + std::to_string(rand()));
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
};

std::string Text(const Value& result) { return result.Get("content").as_list().at(0).Get("text").as_string(); }
bool IsError(const Value& result) { return result.Get("isError").is_bool() && result.Get("isError").as_bool(); }

Value Call(orch::mcp::ToolServer& server, const std::string& tool, Value args) {
  auto r = server.CallTool(tool, args, {});
  REQUIRE(r.ok());
  return *r;
}

}  // namespace

TEST_CASE("std lists its tools with annotations") {
  auto server = orch::stdlib::MakeStdServer({});
  auto tools = server->ListTools();
  REQUIRE(tools.ok());
  CHECK(tools->size() == 8);
  bool echo_read_only = false;
  for (const auto& t : *tools) {
    CHECK(t.input_schema.Get("type").as_string() == "object");
    if (t.name == "echo") echo_read_only = t.annotations.Get("readOnlyHint").as_bool();
    if (t.name == "write_file") CHECK_FALSE(t.annotations.Get("readOnlyHint").as_bool());
  }
  CHECK(echo_read_only);
}

TEST_CASE("std echo returns its message as text content") {
  auto server = orch::stdlib::MakeStdServer({});
  Value r = Call(*server, "echo", Value(Record{{"message", Value("hi")}}));
  CHECK(Text(r) == "hi");
  CHECK_FALSE(IsError(r));
  Value missing = Call(*server, "echo", Value(Record{}));
  CHECK(IsError(missing));
  CHECK(Text(missing) == "`std.echo` needs the argument `message`");
}

TEST_CASE("std file tools stay inside the root") {
  TempDir dir;
  fs::create_directories(dir.path / "sub");
  std::ofstream(dir.path / "sub" / "a.txt") << "alpha";
  fs::create_directory_symlink("/", dir.path / "escape");
  orch::stdlib::StdServerOptions options;
  options.root = dir.path;
  auto server = orch::stdlib::MakeStdServer(options);

  CHECK(Text(Call(*server, "read_file", Value(Record{{"path", Value("sub/a.txt")}}))) == "alpha");
  Value written = Call(*server, "write_file", Value(Record{{"path", Value("sub/b.txt")}, {"content", Value("beta")}}));
  CHECK_FALSE(IsError(written));
  CHECK(Text(Call(*server, "read_file", Value(Record{{"path", Value("sub/b.txt")}}))) == "beta");
  Value listing = Call(*server, "list_dir", Value(Record{{"path", Value("sub")}}));
  CHECK(Text(listing) == "a.txt\nb.txt\n");
  CHECK(listing.Get("structuredContent").Get("entries").as_list().size() == 2);

  for (const char* bad : {"../x", "/etc/passwd", "escape/etc/passwd", "sub/../../x"}) {
    Value r = Call(*server, "read_file", Value(Record{{"path", Value(bad)}}));
    CHECK_MESSAGE(IsError(r), bad);
    CHECK_MESSAGE(Text(r).find("outside the working directory") != std::string::npos, bad);
  }
  Value no_file = Call(*server, "read_file", Value(Record{{"path", Value("nope.txt")}}));
  CHECK(IsError(no_file));
  Value no_folder = Call(*server, "write_file", Value(Record{{"path", Value("none/x.txt")}, {"content", Value("")}}));
  CHECK(IsError(no_folder));
}

TEST_CASE("sandbox compares whole path components") {
  TempDir dir;
  fs::create_directories(dir.path / "work");
  fs::create_directories(dir.path / "workshop");
  auto ok = orch::stdlib::ResolveInside(dir.path / "work", "x/y");
  CHECK(ok.ok());
  auto sibling = orch::stdlib::ResolveInside(dir.path / "work", (dir.path / "workshop" / "f").string());
  CHECK_FALSE(sibling.ok());
}

TEST_CASE("std env reads only allowed variables") {
  ::setenv("ORCH_STD_TEST_VAR", "value", 1);
  orch::stdlib::StdServerOptions options;
  options.allowed_env = {"ORCH_STD_TEST_VAR"};
  auto server = orch::stdlib::MakeStdServer(options);
  CHECK(Text(Call(*server, "env", Value(Record{{"name", Value("ORCH_STD_TEST_VAR")}}))) == "value");
  Value denied = Call(*server, "env", Value(Record{{"name", Value("HOME")}}));
  CHECK(IsError(denied));
  CHECK(Text(denied).find("--allow-env HOME") != std::string::npos);
}

TEST_CASE("std sleep longer than the call's time limit ends at the limit with a timeout") {
  auto server = orch::stdlib::MakeStdServer({});
  orch::mcp::CallOptions options;
  options.timeout = std::chrono::milliseconds(50);
  auto start = std::chrono::steady_clock::now();
  auto slept = server->CallTool("sleep", Value(Record{{"duration", Value(60000)}}), options);
  auto waited = std::chrono::steady_clock::now() - start;
  REQUIRE_FALSE(slept.ok());
  CHECK(slept.error().kind == "timeout");
  CHECK(slept.error().message.find("did not finish within the call's limit of 50ms") != std::string::npos);
  CHECK(waited < std::chrono::seconds(30));  // the limit ended it, not the minute-long sleep
  options.timeout = std::chrono::milliseconds(5000);
  auto short_sleep = server->CallTool("sleep", Value(Record{{"duration", Value(5)}}), options);
  REQUIRE(short_sleep.ok());
  CHECK(Text(*short_sleep) == "slept 5ms");
}

TEST_CASE("std sleep stops when cancelled and http_get refuses other schemes") {
  auto server = orch::stdlib::MakeStdServer({});
  orch::mcp::CallOptions options;
  options.cancel.Cancel();
  auto slept = server->CallTool("sleep", Value(Record{{"duration", Value(60000)}}), options);
  REQUIRE_FALSE(slept.ok());
  CHECK(slept.error().kind == "cancelled");
  Value file = Call(*server, "http_get", Value(Record{{"url", Value("file:///etc/passwd")}}));
  CHECK(IsError(file));
  Value unknown = Call(*server, "nope", Value(Record{}));
  CHECK(IsError(unknown));
}
