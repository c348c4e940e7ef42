// RecordingToolServer and WriteFixture. The fixture is YAML whose values are written as
// JSON (JSON is YAML), so every string, number and nesting round-trips exactly.
#include "runtime/mock/recording.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "runtime/value/json.h"

extern char** environ;

namespace orch::mock {
namespace {

bool LooksSecret(std::string name) {
  for (char& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (const char* word : {"TOKEN", "SECRET", "PASSWORD", "PASSWD", "KEY", "AUTH", "CREDENTIAL", "COOKIE"}) {
    if (name.find(word) != std::string::npos) return true;
  }
  return false;
}

std::string Redact(std::string text, const Secrets& secrets) {
  for (const auto& [name, value] : secrets) {
    size_t at = 0;
    std::string mark = fmt::format("[redacted:{}]", name);
    while ((at = text.find(value, at)) != std::string::npos) {
      text.replace(at, value.size(), mark);
      at += mark.size();
    }
  }
  return text;
}

Value RedactValue(const Value& v, const Secrets& secrets) {
  if (secrets.empty()) return v;
  if (v.is_string()) return Value(Redact(v.as_string(), secrets));
  if (v.is_list()) {
    List out;
    for (const Value& item : v.as_list()) out.push_back(RedactValue(item, secrets));
    return Value(std::move(out));
  }
  if (v.is_record()) {
    Record out;
    for (const auto& [key, item] : v.as_record()) out.Set(Redact(key, secrets), RedactValue(item, secrets));
    return Value(std::move(out));
  }
  return v;
}

// One reply of the fixture: the recorded result, or a JSON-RPC error for a failed call.
Value Reply(const RecordedCall& call) {
  if (call.result.is_null()) {
    return Value(Record{{"error", Value(Record{{"code", Value(-32000)}, {"message", Value(call.error)}})}});
  }
  Record reply;
  reply.Set("content", call.result.Get("content").is_list() ? call.result.Get("content") : Value(List{}));
  if (const Value* structured = call.result.Find("structuredContent")) reply.Set("structured", *structured);
  if (call.result.Get("isError").is_bool() && call.result.Get("isError").as_bool()) reply.Set("isError", Value(true));
  return Value(std::move(reply));
}

std::string Json(const Value& v, const Secrets& secrets) { return ToJson(RedactValue(v, secrets)); }

}  // namespace

ErrorOr<Value> RecordingToolServer::CallTool(const std::string& tool, const Value& arguments,
                                             const mcp::CallOptions& options) {
  ErrorOr<Value> result = real_->CallTool(tool, arguments, options);
  // A cancelled call says nothing about the server; it is not replayed.
  if (!result && result.error().kind == "cancelled") return result;
  RecordedCall call{tool, arguments, result ? *result : Value(), result ? "" : result.error().message};
  std::lock_guard lock(mutex_);
  calls_.push_back(std::move(call));
  return result;
}

std::vector<RecordedCall> RecordingToolServer::Calls() const {
  std::lock_guard lock(mutex_);
  return calls_;
}

Secrets CollectSecrets(const std::vector<std::pair<std::string, std::string>>& configured) {
  Secrets secrets;
  for (const auto& [name, value] : configured) {
    if (value.size() >= 4) secrets.emplace_back(name, value);
  }
  for (char** e = environ; e && *e; ++e) {
    std::string entry(*e);
    size_t eq = entry.find('=');
    if (eq == std::string::npos) continue;
    std::string name = entry.substr(0, eq), value = entry.substr(eq + 1);
    if (value.size() >= 4 && LooksSecret(name)) secrets.emplace_back(name, value);
  }
  // Longer values first, so a secret containing another is replaced whole.
  std::sort(secrets.begin(), secrets.end(),
            [](const auto& a, const auto& b) { return a.second.size() > b.second.size(); });
  return secrets;
}

std::string WriteFixture(const std::string& stands_for, const mcp::ServerIdentity& identity,
                         const std::vector<mcp::ToolInfo>& tools, const std::vector<RecordedCall>& calls,
                         const Secrets& secrets) {
  std::string out;
  out += "# Recorded by `orchestrator mock record`: the tools of the server and the answers it gave.\n";
  out += "# Replay with `orchestrator run FILE --mock THIS_FILE` or `orchestrator mock serve THIS_FILE`.\n";
  out += "# Values are JSON (which is YAML); secrets are written as [redacted:NAME].\n";
  out += fmt::format("stands_for: {}\n", ToJson(Value(stands_for)));
  Record server{{"name", Value(identity.name)}, {"version", Value(identity.version)}};
  if (!identity.instructions.empty()) server.Set("instructions", Value(identity.instructions));
  out += fmt::format("server: {}\n", Json(Value(std::move(server)), secrets));
  out += "tools:\n";
  for (const mcp::ToolInfo& tool : tools) {
    out += fmt::format("  {}:\n", ToJson(Value(tool.name)));
    if (!tool.description.empty()) out += fmt::format("    description: {}\n", Json(Value(tool.description), secrets));
    out += fmt::format("    inputSchema: {}\n",
                       Json(tool.input_schema.is_record() ? tool.input_schema : Value(Record{{"type", Value("object")}}),
                            secrets));
    if (tool.output_schema.is_record()) out += fmt::format("    outputSchema: {}\n", Json(tool.output_schema, secrets));
    if (tool.annotations.is_record()) out += fmt::format("    annotations: {}\n", Json(tool.annotations, secrets));
    // One rule per distinct argument record, in the order first seen.
    std::vector<std::pair<std::string, std::vector<const RecordedCall*>>> rules;
    for (const RecordedCall& call : calls) {
      if (call.tool != tool.name) continue;
      std::string key = CanonicalJson(call.arguments);
      auto it = std::find_if(rules.begin(), rules.end(), [&](const auto& r) { return r.first == key; });
      if (it == rules.end()) {
        rules.push_back({key, {&call}});
      } else {
        it->second.push_back(&call);
      }
    }
    if (rules.empty()) {
      out += "    responses: []\n";
      continue;
    }
    out += "    responses:\n";
    for (const auto& [key, group] : rules) {
      out += fmt::format("      - match: {}\n", Json(group.front()->arguments, secrets));
      // Equal answers collapse into one; different ones become a sequence (the last repeats).
      std::vector<std::string> replies;
      for (const RecordedCall* call : group) {
        std::string reply = Json(Reply(*call), secrets);
        if (replies.empty() || replies.back() != reply) replies.push_back(std::move(reply));
      }
      if (replies.size() == 1) {
        // A reply's fields sit next to `match` in the rule.
        Value reply = *ParseJson(replies[0]);
        for (const auto& [field, value] : reply.as_record()) out += fmt::format("        {}: {}\n", field, ToJson(value));
      } else {
        out += "        sequence:\n";
        for (const std::string& reply : replies) out += fmt::format("          - {}\n", reply);
      }
    }
  }
  return out;
}

}  // namespace orch::mock
