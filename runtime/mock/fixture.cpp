// Fixture parsing with yaml-cpp: YAML nodes to Values, each key checked, every error with
// file, line and key path. Also the argument matcher used to pick a response.
#include "runtime/mock/fixture.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "runtime/config/config.h"
#include "runtime/value/json.h"

namespace orch::mock {
namespace {

/// Thrown inside the parser only; turned into an Error at the boundary.
struct FixtureError {
  std::string message;
};

class Parser {
 public:
  explicit Parser(std::string_view file) : file_(file) {}

  Fixture Parse(const YAML::Node& root) {
    Fixture fixture;
    fixture.file = file_;
    fixture.server.name = "orchestrator-mock";
    if (!root.IsMap()) Fail(root, "", fmt::format("expected a mapping with `tools`, found {}", TypeName(root)));
    CheckKnown(root, "", {"stands_for", "server", "pageSize", "tools"});
    if (const YAML::Node stands_for = root["stands_for"]) fixture.stands_for = String(stands_for, "stands_for");
    if (const YAML::Node server = root["server"]) {
      if (!server.IsMap()) Fail(server, "server", "expected a mapping with `name`, `version`, `instructions`");
      CheckKnown(server, "server", {"name", "version", "instructions"});
      if (server["name"]) fixture.server.name = String(server["name"], "server.name");
      if (server["version"]) fixture.server.version = String(server["version"], "server.version");
      if (server["instructions"]) fixture.server.instructions = String(server["instructions"], "server.instructions");
    }
    if (const YAML::Node page = root["pageSize"]) {
      Value size = ToValue(page, "pageSize");
      if (!size.is_int() || size.as_int() < 0) Fail(page, "pageSize", "expected a whole number of 0 or more");
      fixture.server.page_size = static_cast<size_t>(size.as_int());
    }
    const YAML::Node tools = root["tools"];
    if (!tools) Fail(root, "tools", "missing `tools`: the mapping of tool name to its schema and responses");
    if (!tools.IsMap()) Fail(tools, "tools", fmt::format("expected a mapping of tool name to tool, found {}", TypeName(tools)));
    for (auto it = tools.begin(); it != tools.end(); ++it) {
      std::string name = it->first.Scalar();
      fixture.tools.push_back(Tool(name, it->second, "tools." + name));
    }
    return fixture;
  }

 private:
  [[noreturn]] void Fail(const YAML::Node& node, std::string_view key, std::string_view what) const {
    int line = node.Mark().line >= 0 ? node.Mark().line + 1 : 0;
    std::string where = line > 0 ? fmt::format("{}:{}", file_, line) : file_;
    throw FixtureError{key.empty() ? fmt::format("{}: {}", where, what)
                                   : fmt::format("{}: `{}`: {}", where, key, what)};
  }

  static const char* TypeName(const YAML::Node& node) {
    switch (node.Type()) {
      case YAML::NodeType::Null: return "nothing";
      case YAML::NodeType::Scalar: return "a scalar";
      case YAML::NodeType::Sequence: return "a list";
      case YAML::NodeType::Map: return "a mapping";
      default: return "an undefined node";
    }
  }

  static std::string Join(std::string_view prefix, std::string_view key) {
    return prefix.empty() ? std::string(key) : fmt::format("{}.{}", prefix, key);
  }

  void CheckKnown(const YAML::Node& map, std::string_view prefix, const std::vector<std::string>& known) const {
    for (auto it = map.begin(); it != map.end(); ++it) {
      const std::string& key = it->first.Scalar();
      if (std::find(known.begin(), known.end(), key) != known.end()) continue;
      Fail(it->first, Join(prefix, key), fmt::format("unknown key; expected one of {}", fmt::join(known, ", ")));
    }
  }

  std::string String(const YAML::Node& node, std::string_view key) const {
    if (!node.IsScalar()) Fail(node, key, fmt::format("expected a string, found {}", TypeName(node)));
    return node.Scalar();
  }

  /// Any YAML node as a Value: quoted scalars are strings; plain ones may be null, bools
  /// or numbers, as in JSON.
  Value ToValue(const YAML::Node& node, std::string_view key) const {
    switch (node.Type()) {
      case YAML::NodeType::Null: return Value();
      case YAML::NodeType::Scalar: {
        const std::string& text = node.Scalar();
        if (node.Tag() != "?") return Value(text);  // quoted or explicitly tagged
        if (text == "~" || text == "null" || text == "Null" || text == "NULL") return Value();
        if (text == "true" || text == "True" || text == "TRUE") return Value(true);
        if (text == "false" || text == "False" || text == "FALSE") return Value(false);
        if (auto number = ParseJson(text); number && number->is_numeric()) return *number;
        return Value(text);
      }
      case YAML::NodeType::Sequence: {
        List list;
        size_t i = 0;
        for (const auto& item : node) list.push_back(ToValue(item, fmt::format("{}[{}]", key, i++)));
        return Value(std::move(list));
      }
      case YAML::NodeType::Map: {
        Record record;
        for (auto it = node.begin(); it != node.end(); ++it) {
          record.Set(it->first.Scalar(), ToValue(it->second, Join(key, it->first.Scalar())));
        }
        return Value(std::move(record));
      }
      default: Fail(node, key, "expected a value");
    }
  }

  Value Object(const YAML::Node& node, std::string_view key) const {
    Value value = ToValue(node, key);
    if (!value.is_record()) Fail(node, key, fmt::format("expected a mapping (a JSON object), found {}", TypeName(node)));
    return value;
  }

  mcp::server::ToolDescriptor Descriptor(const std::string& name, const YAML::Node& node, std::string_view prefix) const {
    mcp::server::ToolDescriptor tool;
    tool.name = name;
    if (node["title"]) tool.title = String(node["title"], Join(prefix, "title"));
    if (node["description"]) tool.description = String(node["description"], Join(prefix, "description"));
    if (node["inputSchema"]) {
      tool.input_schema = Object(node["inputSchema"], Join(prefix, "inputSchema"));
      if (tool.input_schema.Get("type") != Value("object")) {
        Fail(node["inputSchema"], Join(prefix, "inputSchema"),
             "an input schema must have `type: object` (tool arguments are always an object)");
      }
    }
    if (node["outputSchema"]) tool.output_schema = Object(node["outputSchema"], Join(prefix, "outputSchema"));
    if (node["annotations"]) tool.annotations = Object(node["annotations"], Join(prefix, "annotations"));
    return tool;
  }

  MockTool Tool(const std::string& name, const YAML::Node& node, const std::string& prefix) const {
    if (name.empty()) Fail(node, prefix, "a tool needs a name");
    MockTool tool;
    if (node.IsNull()) {
      tool.descriptor.name = name;
      return tool;
    }
    if (!node.IsMap()) Fail(node, prefix, fmt::format("expected a mapping describing the tool, found {}", TypeName(node)));
    CheckKnown(node, prefix, {"title", "description", "inputSchema", "outputSchema", "annotations", "responses"});
    tool.descriptor = Descriptor(name, node, prefix);
    if (const YAML::Node responses = node["responses"]) {
      std::string key = Join(prefix, "responses");
      if (!responses.IsSequence()) Fail(responses, key, fmt::format("expected a list of responses, found {}", TypeName(responses)));
      size_t i = 0;
      for (const auto& response : responses) {
        tool.responses.push_back(Response(response, fmt::format("{}[{}]", key, i++)));
      }
    }
    return tool;
  }

  MockResponse Response(const YAML::Node& node, const std::string& prefix) const {
    if (!node.IsMap()) Fail(node, prefix, fmt::format("expected a mapping (a response), found {}", TypeName(node)));
    MockResponse response;
    response.line = node.Mark().line + 1;
    if (const YAML::Node match = node["match"]) response.match = Object(match, Join(prefix, "match"));
    if (const YAML::Node sequence = node["sequence"]) {
      CheckKnown(node, prefix, {"match", "sequence"});
      std::string key = Join(prefix, "sequence");
      if (!sequence.IsSequence() || sequence.size() == 0) Fail(sequence, key, "expected a non-empty list of replies");
      size_t i = 0;
      for (const auto& reply : sequence) {
        std::string reply_key = fmt::format("{}[{}]", key, i++);
        if (!reply.IsMap()) Fail(reply, reply_key, fmt::format("expected a mapping (a reply), found {}", TypeName(reply)));
        CheckKnown(reply, reply_key, kReplyKeys);
        response.sequence.push_back(Reply(reply, reply_key));
      }
    } else {
      std::vector<std::string> known = kReplyKeys;
      known.insert(known.begin(), {"match", "sequence"});
      CheckKnown(node, prefix, known);
      response.sequence.push_back(Reply(node, prefix));
    }
    return response;
  }

  MockReply Reply(const YAML::Node& node, const std::string& prefix) const {
    MockReply reply;
    if (const YAML::Node latency = node["latency"]) {
      std::string key = Join(prefix, "latency");
      auto duration = config::ParseDuration(String(latency, key));
      if (!duration) Fail(latency, key, duration.error().message);
      reply.latency = *duration;
    }
    if (const YAML::Node error = node["error"]) {
      std::string key = Join(prefix, "error");
      for (const char* other : {"text", "structured", "content", "isError"}) {
        if (node[other]) Fail(error, key, fmt::format("a reply is either a JSON-RPC `error` or a result, not both (drop `{}`)", other));
      }
      if (!error.IsMap()) Fail(error, key, "expected a mapping with `code` and `message`");
      CheckKnown(error, key, {"code", "message", "data"});
      mcp::server::RpcError rpc;
      if (error["code"]) {
        Value code = ToValue(error["code"], Join(key, "code"));
        if (!code.is_int()) Fail(error["code"], Join(key, "code"), "expected a whole number such as -32000");
        rpc.code = static_cast<int>(code.as_int());
      } else {
        rpc.code = -32000;
      }
      if (!error["message"]) Fail(error, key, "missing `message`");
      rpc.message = String(error["message"], Join(key, "message"));
      if (error["data"]) rpc.data = ToValue(error["data"], Join(key, "data"));
      reply.error = std::move(rpc);
      return reply;
    }
    List content;
    if (const YAML::Node text = node["text"]) {
      std::string key = Join(prefix, "text");
      Value value = ToValue(text, key);
      List texts = value.is_list() ? value.as_list() : List{value};
      for (const auto& item : texts) {
        if (!item.is_string() && !item.is_numeric() && !item.is_bool()) {
          Fail(text, key, "expected a string or a list of strings");
        }
        std::string s = item.is_string() ? item.as_string() : ToJson(item);
        content.push_back(Value(Record{{"type", "text"}, {"text", s}}));
      }
    }
    if (const YAML::Node blocks = node["content"]) {
      std::string key = Join(prefix, "content");
      Value value = ToValue(blocks, key);
      if (!value.is_list()) Fail(blocks, key, "expected a list of MCP content blocks such as {type: text, text: hi}");
      for (const auto& block : value.as_list()) {
        if (!block.is_record() || !block.Get("type").is_string()) {
          Fail(blocks, key, "each content block needs a `type` (text, image, audio, resource_link, resource)");
        }
        content.push_back(block);
      }
    }
    Record result;
    if (const YAML::Node structured = node["structured"]) {
      Value value = ToValue(structured, Join(prefix, "structured"));
      if (content.empty()) content.push_back(Value(Record{{"type", "text"}, {"text", ToJson(value)}}));
      result.Set("content", Value(std::move(content)));
      result.Set("structuredContent", value);
    } else {
      result.Set("content", Value(std::move(content)));
    }
    if (const YAML::Node is_error = node["isError"]) {
      Value flag = ToValue(is_error, Join(prefix, "isError"));
      if (!flag.is_bool()) Fail(is_error, Join(prefix, "isError"), "expected true or false");
      if (flag.as_bool()) result.Set("isError", true);
    }
    reply.result = Value(std::move(result));
    return reply;
  }

  inline static const std::vector<std::string> kReplyKeys = {"text", "structured", "content", "isError", "latency", "error"};
  std::string file_;
};

size_t CountLeaves(const Value& value) {
  if (!value.is_record()) return 1;
  size_t count = 0;
  for (const auto& [key, field] : value.as_record()) count += CountLeaves(field);
  return count;
}

/// Records: every field of `expected` present in `actual` and matching; else equality.
bool Subset(const Value& expected, const Value& actual) {
  if (!expected.is_record()) return expected == actual;
  if (!actual.is_record()) return false;
  for (const auto& [key, field] : expected.as_record()) {
    const Value* found = actual.Find(key);
    if (found == nullptr || !Subset(field, *found)) return false;
  }
  return true;
}

}  // namespace

size_t MatchSpecificity(const Value& match) { return match.is_null() ? 0 : CountLeaves(match); }

bool MatchesArguments(const Value& match, const Value& arguments) {
  if (match.is_null()) return true;
  return Subset(match, arguments);
}

ErrorOr<Fixture> ParseFixture(std::string_view text, std::string_view file_name) {
  try {
    YAML::Node root = YAML::Load(std::string(text));
    return Parser(file_name).Parse(root);
  } catch (const FixtureError& e) {
    return MakeError("config", e.message);
  } catch (const YAML::Exception& e) {
    int line = e.mark.line >= 0 ? e.mark.line + 1 : 0;
    std::string where = line > 0 ? fmt::format("{}:{}:{}", file_name, line, e.mark.column + 1) : std::string(file_name);
    return MakeError("config", fmt::format("{}: {}", where, e.msg));
  }
}

ErrorOr<Fixture> LoadFixture(const std::string& path) {
  // A folder opens as an empty stream; say what it is instead of "found nothing".
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) {
    return MakeError("io", fmt::format("cannot read fixture `{}`: it is a folder; name a YAML fixture file in it", path));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError("io", fmt::format("cannot read fixture `{}`: {}", path, std::strerror(errno)));
  std::stringstream text;
  text << in.rdbuf();
  return ParseFixture(text.str(), path);
}

}  // namespace orch::mock
