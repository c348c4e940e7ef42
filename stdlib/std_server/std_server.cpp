// The `std` server: the tool table, argument checks, and each tool's implementation.
// Tool failures (bad arguments, missing files, permission) are CallToolResults with
// `isError: true`, exactly as a remote MCP server reports them.
#include "stdlib/std_server/std_server.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include "orch_version.h"
#include "runtime/value/json.h"
#include "stdlib/builtins/builtins.h"
#include "stdlib/std_server/http_get.h"
#include "stdlib/std_server/sandbox_path.h"

namespace orch::stdlib {
namespace {

namespace fs = std::filesystem;

Value TextContent(std::string text) { return Value(Record{{"type", Value("text")}, {"text", Value(std::move(text))}}); }

Value Result(std::string text, Value structured = Value()) {
  Record r;
  r.reserve(2);
  r.Set("content", Value(List{TextContent(std::move(text))}));
  if (!structured.is_null()) r.Set("structuredContent", std::move(structured));
  return Value(std::move(r));
}

Value ErrorResult(std::string message) {
  return Value(Record{{"content", Value(List{TextContent(std::move(message))})}, {"isError", Value(true)}});
}

/// A required string argument, or an error result naming it.
ErrorOr<std::string> StringArg(const Value& args, std::string_view name, const std::string& tool) {
  const Value* v = args.Find(name);
  if (!v) return MakeError("args", fmt::format("`std.{}` needs the argument `{}`", tool, name));
  if (!v->is_string()) {
    return MakeError("args", fmt::format("`std.{}`: `{}` must be a string, got {}", tool, name, v->kind_name()));
  }
  return v->as_string();
}

class StdServer final : public mcp::ToolServer {
 public:
  explicit StdServer(StdServerOptions options) : options_(std::move(options)) {
    if (options_.root.empty()) options_.root = fs::current_path();
    if (const char* allow = std::getenv("ORCHESTRATOR_ALLOW_ENV")) {
      std::stringstream names(allow);
      std::string name;
      while (std::getline(names, name, ',')) {
        if (!name.empty()) options_.allowed_env.insert(name);
      }
    }
#define ORCH_STD_TOOL(Name, Spelling, Description, InputSchema, ReadOnly, Idempotent, Destructive, OpenWorld) \
  AddTool(Spelling, Description, InputSchema, ReadOnly, Idempotent, Destructive, OpenWorld);
#include "stdlib/std_server/std_tools.def"
  }

  const std::string& name() const override { return name_; }

  ErrorOr<mcp::ServerIdentity> Identity() override {
    mcp::ServerIdentity id;
    id.name = "orchestrator-std";
    id.version = ORCH_VERSION;
    id.title = "orchestrator built-in tools";
    id.protocol_version = "2025-11-25";
    id.capabilities = Value(Record{{"tools", Value(Record{})}});
    return id;
  }

  ErrorOr<std::vector<mcp::ToolInfo>> ListTools() override { return tools_; }

  ErrorOr<Value> CallTool(const std::string& tool, const Value& arguments, const mcp::CallOptions& options) override {
    if (options.cancel.cancelled()) return MakeError("cancelled", fmt::format("`std.{}` was cancelled", tool));
    const Value args = arguments.is_null() ? Value(Record{}) : arguments;
    if (!args.is_record()) return ErrorResult(fmt::format("`std.{}` takes a record of arguments", tool));
    ErrorOr<Value> result = Dispatch(tool, args, options);
    // Like a remote server, report a tool's own failure as a result with isError; only
    // cancellation and timeouts stay errors of the call itself.
    if (!result && result.error().kind != "cancelled" && result.error().kind != "timeout") {
      return ErrorResult(result.error().message);
    }
    return result;
  }

 private:
  void AddTool(const char* spelling, const char* description, const char* schema, bool read_only, bool idempotent,
               bool destructive, bool open_world) {
    mcp::ToolInfo info;
    info.name = spelling;
    info.description = description;
    auto parsed = ParseJson(schema);
    info.input_schema = parsed ? *parsed : Value(Record{{"type", Value("object")}});
    info.annotations = Value(Record{{"readOnlyHint", Value(read_only)},
                                    {"idempotentHint", Value(idempotent)},
                                    {"destructiveHint", Value(destructive)},
                                    {"openWorldHint", Value(open_world)}});
    tools_.push_back(std::move(info));
  }

  ErrorOr<Value> Dispatch(const std::string& tool, const Value& args, const mcp::CallOptions& options) {
    if (tool == "echo") {
      auto message = StringArg(args, "message", tool);
      if (!message) return message.error();
      return Result(std::move(*message));
    }
    if (tool == "now") return Now();
    if (tool == "sleep") return Sleep(args, options);
    if (tool == "read_file") return ReadFile(args);
    if (tool == "write_file") return WriteFile(args);
    if (tool == "list_dir") return ListDir(args);
    if (tool == "http_get") return HttpGetTool(args, options);
    if (tool == "env") return Env(args);
    std::vector<std::string> names;
    for (const auto& t : tools_) names.push_back(t.name);
    return ErrorResult(fmt::format("`std` has no tool `{}`; it has {}", tool, fmt::join(names, ", ")));
  }

  ErrorOr<Value> Now() {
    const auto* now = Builtins().Find("now");
    auto iso = now->fn({}, nullptr);
    if (!iso) return iso.error();
    int64_t ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::system_clock::now().time_since_epoch())
                     .count();
    return Result(iso->as_string(), Value(Record{{"iso", *iso}, {"unix_ms", Value(ms)}}));
  }

  ErrorOr<Value> Sleep(const Value& args, const mcp::CallOptions& options) {
    const Value* d = args.Find("duration");
    if (!d || !d->is_numeric() || d->as_number() < 0 || d->as_number() > 3'600'000) {
      return MakeError("args", "`std.sleep` needs `duration`: milliseconds from 0 to 3600000 (e.g. 250ms)");
    }
    // A call's time limit (`with { timeout: … }`, else --timeout) holds here as it does for a
    // remote server: a sleep longer than the limit ends at the limit with a timeout error.
    auto start = std::chrono::steady_clock::now();
    auto until = start + std::chrono::milliseconds(d->as_int());
    bool limited = options.timeout.count() > 0 && options.timeout < std::chrono::milliseconds(d->as_int());
    if (limited) until = start + options.timeout;
    while (std::chrono::steady_clock::now() < until) {
      if (options.cancel.cancelled()) return MakeError("cancelled", "`std.sleep` was cancelled");
      std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
          std::chrono::milliseconds(5), until - std::chrono::steady_clock::now()));
    }
    if (limited) {
      return MakeError("timeout", fmt::format("`std.sleep` of {}ms did not finish within the call's limit of {}ms",
                                              d->as_int(), options.timeout.count()));
    }
    return Result(fmt::format("slept {}ms", d->as_int()));
  }

  ErrorOr<Value> ReadFile(const Value& args) {
    auto path = StringArg(args, "path", "read_file");
    if (!path) return path.error();
    auto resolved = ResolveInside(options_.root, *path);
    if (!resolved) return resolved.error();
    std::error_code ec;
    if (fs::is_directory(*resolved, ec)) {
      return MakeError("io", fmt::format("`{}` is a directory; use `std.list_dir`", *path));
    }
    auto size = fs::file_size(*resolved, ec);
    if (ec) return MakeError("io", fmt::format("cannot read `{}`: {}", *path, ec.message()));
    if (size > options_.max_file_bytes) {
      return MakeError("io", fmt::format("`{}` is {} bytes, more than the {} bytes `std.read_file` reads", *path, size,
                                         options_.max_file_bytes));
    }
    std::ifstream in(*resolved, std::ios::binary);
    if (!in) return MakeError("io", fmt::format("cannot open `{}`", *path));
    // Spare capacity lets `from_json` parse the text in place instead of copying it.
    std::string text;
    text.reserve(size + kJsonPadding);
    text.resize(size);
    in.read(text.data(), static_cast<std::streamsize>(size));
    text.resize(static_cast<size_t>(in.gcount()));
    int64_t bytes = static_cast<int64_t>(text.size());
    return Result(std::move(text), Value(Record{{"path", Value(*path)}, {"size", Value(bytes)}}));
  }

  ErrorOr<Value> WriteFile(const Value& args) {
    auto path = StringArg(args, "path", "write_file");
    if (!path) return path.error();
    auto content = StringArg(args, "content", "write_file");
    if (!content) return content.error();
    auto resolved = ResolveInside(options_.root, *path);
    if (!resolved) return resolved.error();
    std::error_code ec;
    if (!fs::is_directory(resolved->parent_path(), ec)) {
      return MakeError("io", fmt::format("cannot write `{}`: its folder does not exist", *path));
    }
    // Write a sibling then rename, so a reader never sees half a file.
    fs::path temp = resolved->string() + ".orch-tmp";
    {
      std::ofstream out(temp, std::ios::binary | std::ios::trunc);
      if (!out) return MakeError("io", fmt::format("cannot write `{}`", *path));
      out.write(content->data(), static_cast<std::streamsize>(content->size()));
      if (!out) return MakeError("io", fmt::format("cannot write `{}`: the disk may be full", *path));
    }
    fs::rename(temp, *resolved, ec);
    if (ec) {
      fs::remove(temp, ec);
      return MakeError("io", fmt::format("cannot write `{}`: {}", *path, ec.message()));
    }
    int64_t bytes = static_cast<int64_t>(content->size());
    return Result(fmt::format("wrote {} bytes to {}", bytes, *path),
                  Value(Record{{"path", Value(*path)}, {"size", Value(bytes)}}));
  }

  ErrorOr<Value> ListDir(const Value& args) {
    std::string path = ".";
    if (args.Find("path")) {
      auto p = StringArg(args, "path", "list_dir");
      if (!p) return p.error();
      path = *p;
    }
    auto resolved = ResolveInside(options_.root, path);
    if (!resolved) return resolved.error();
    std::error_code ec;
    fs::directory_iterator it(*resolved, ec);
    if (ec) return MakeError("io", fmt::format("cannot list `{}`: {}", path, ec.message()));
    struct Entry {
      std::string name, type;
      int64_t size;
    };
    std::vector<Entry> entries;
    for (const auto& e : it) {
      std::error_code status_ec;
      auto status = e.symlink_status(status_ec);
      std::string type = fs::is_symlink(status) ? "symlink"
                         : fs::is_directory(status) ? "directory"
                         : fs::is_regular_file(status) ? "file"
                                                       : "other";
      int64_t size = type == "file" ? static_cast<int64_t>(e.file_size(status_ec)) : 0;
      entries.push_back({e.path().filename().string(), type, size});
    }
    std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.name < b.name; });
    std::string text;
    List list;
    for (const Entry& e : entries) {
      text += e.name + (e.type == "directory" ? "/\n" : "\n");
      list.push_back(Value(Record{{"name", Value(e.name)}, {"type", Value(e.type)}, {"size", Value(e.size)}}));
    }
    return Result(std::move(text), Value(Record{{"entries", Value(std::move(list))}}));
  }

  ErrorOr<Value> HttpGetTool(const Value& args, const mcp::CallOptions& options) {
    auto url = StringArg(args, "url", "http_get");
    if (!url) return url.error();
    auto timeout = options.timeout.count() > 0 ? options.timeout : options_.http_timeout;
    auto response = HttpGet(*url, timeout, options_.max_http_bytes, options.cancel);
    if (!response) return response.error();
    if (response->status >= 400) {
      return ErrorResult(fmt::format("GET {} answered HTTP {}", *url, response->status));
    }
    Value structured(Record{{"status", Value(static_cast<int64_t>(response->status))},
                            {"content_type", Value(response->content_type)},
                            {"url", Value(response->effective_url)}});
    return Result(std::move(response->body), std::move(structured));
  }

  ErrorOr<Value> Env(const Value& args) {
    auto name = StringArg(args, "name", "env");
    if (!name) return name.error();
    if (!options_.allowed_env.count(*name)) {
      return MakeError("permission", fmt::format("reading the environment variable `{}` is not allowed; allow it with "
                                                 "`--allow-env {}`",
                                                 *name, *name));
    }
    const char* value = std::getenv(name->c_str());
    return Result(value ? value : "", Value(Record{{"name", Value(*name)}, {"value", value ? Value(value) : Value()}}));
  }

  std::string name_ = "std";
  StdServerOptions options_;
  std::vector<mcp::ToolInfo> tools_;
};

}  // namespace

std::shared_ptr<mcp::ToolServer> MakeStdServer(StdServerOptions options) {
  return std::make_shared<StdServer>(std::move(options));
}

}  // namespace orch::stdlib
