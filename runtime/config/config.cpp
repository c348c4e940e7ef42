// Configuration loading: finds the files, parses them with yaml-cpp (JSON included), checks
// every key, and expands variables. Every error names the file, line and key path.
#include "runtime/config/config.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "compiler/diagnostics/diagnostic.h"

namespace orch::config {
namespace {

namespace fs = std::filesystem;

/// The file names searched in each directory, in precedence order.
constexpr const char* kConfigNames[] = {"orchestrator.yaml", "orchestrator.yml", ".mcp.json", ".vscode/mcp.json"};

/// Thrown inside this file only, caught in ParseConfig.
struct ConfigFailure {
  std::string message;
};

class Parser {
 public:
  Parser(std::string_view file_name, std::string_view base_dir) : file_(file_name), base_dir_(base_dir) {}

  [[noreturn]] void Fail(const YAML::Node& node, std::string_view key, std::string_view what) const {
    int line = node.Mark().line >= 0 ? node.Mark().line + 1 : 0;
    std::string where = line > 0 ? fmt::format("{}:{}", file_, line) : std::string(file_);
    if (key.empty()) throw ConfigFailure{fmt::format("{}: {}", where, what)};
    throw ConfigFailure{fmt::format("{}: key `{}`: {}", where, key, what)};
  }

  std::string Origin(const YAML::Node& node) const {
    return node.Mark().line >= 0 ? fmt::format("{}:{}", file_, node.Mark().line + 1) : std::string(file_);
  }

  static const char* TypeName(const YAML::Node& node) {
    switch (node.Type()) {
      case YAML::NodeType::Null: return "nothing";
      case YAML::NodeType::Scalar: return "a scalar";
      case YAML::NodeType::Sequence: return "a list";
      case YAML::NodeType::Map: return "a mapping";
      default: return "nothing";
    }
  }

  std::string String(const YAML::Node& node, std::string_view key) const {
    if (!node.IsScalar()) Fail(node, key, fmt::format("expected a string, found {}", TypeName(node)));
    auto expanded = ExpandVariables(node.Scalar(), base_dir_);
    if (!expanded) Fail(node, key, expanded.error().message);
    return *expanded;
  }

  bool Bool(const YAML::Node& node, std::string_view key) const {
    bool value = false;
    if (!node.IsScalar() || !YAML::convert<bool>::decode(node, value)) {
      Fail(node, key, fmt::format("expected true or false, found `{}`", node.IsScalar() ? node.Scalar() : TypeName(node)));
    }
    return value;
  }

  Duration DurationOf(const YAML::Node& node, std::string_view key) const {
    std::string text = String(node, key);
    auto parsed = ParseDuration(text);
    if (!parsed) Fail(node, key, parsed.error().message);
    return *parsed;
  }

  std::vector<std::string> StringList(const YAML::Node& node, std::string_view key) const {
    if (!node.IsSequence()) Fail(node, key, fmt::format("expected a list of strings, found {}", TypeName(node)));
    std::vector<std::string> out;
    for (size_t i = 0; i < node.size(); ++i) out.push_back(String(node[i], fmt::format("{}[{}]", key, i)));
    return out;
  }

  std::vector<std::pair<std::string, std::string>> StringMap(const YAML::Node& node, std::string_view key) const {
    if (!node.IsMap()) Fail(node, key, fmt::format("expected a mapping of names to strings, found {}", TypeName(node)));
    std::vector<std::pair<std::string, std::string>> out;
    for (auto it = node.begin(); it != node.end(); ++it) {
      std::string name = it->first.Scalar();
      YAML::Node value = it->second;  // a copy: `it->` is a temporary proxy
      std::string sub = fmt::format("{}.{}", key, name);
      // Numbers and booleans are fine as environment values; YAML gives them as scalars.
      out.emplace_back(name, String(value, sub));
    }
    return out;
  }

  std::string Path(const YAML::Node& node, std::string_view key) const {
    std::string text = String(node, key);
    if (text.empty()) return text;
    fs::path path(text);
    if (text.starts_with("~/")) {
      const char* home = std::getenv("HOME");
      if (home) path = fs::path(home) / text.substr(2);
    }
    if (path.is_relative()) path = fs::path(base_dir_) / path;
    return path.lexically_normal().string();
  }

  std::vector<std::string> Paths(const YAML::Node& node, std::string_view key) const {
    if (!node.IsSequence()) Fail(node, key, fmt::format("expected a list of paths, found {}", TypeName(node)));
    std::vector<std::string> out;
    for (size_t i = 0; i < node.size(); ++i) out.push_back(Path(node[i], fmt::format("{}[{}]", key, i)));
    return out;
  }

  void CheckKnown(const YAML::Node& map, std::string_view prefix, const std::vector<std::string>& known) const {
    for (auto it = map.begin(); it != map.end(); ++it) {
      std::string key = it->first.Scalar();
      if (std::find(known.begin(), known.end(), key) != known.end()) continue;
      std::string path = prefix.empty() ? key : fmt::format("{}.{}", prefix, key);
      auto similar = compiler::SuggestSimilar(key, known);
      std::string help = similar ? fmt::format("did you mean `{}`?", *similar)
                                 : fmt::format("known keys here: {}", fmt::join(known, ", "));
      Fail(it->first, path, fmt::format("unknown key\n  = help: {}", help));
    }
  }

  LlmConfig Llm(const YAML::Node& node) const {
    if (!node.IsMap()) Fail(node, "llm", fmt::format("expected a mapping with `url` and `model`, found {}", TypeName(node)));
    CheckKnown(node, "llm", {"url", "model", "api_key_env", "timeout"});
    LlmConfig llm;
    llm.origin = Origin(node);
    for (const char* key : {"url", "model"}) {
      if (!node[key]) Fail(node, fmt::format("llm.{}", key), "missing");
    }
    llm.url = String(node["url"], "llm.url");
    llm.model = String(node["model"], "llm.model");
    if (node["api_key_env"]) llm.api_key_env = String(node["api_key_env"], "llm.api_key_env");
    if (node["timeout"]) llm.timeout = DurationOf(node["timeout"], "llm.timeout");
    if (!llm.url.starts_with("http://") && !llm.url.starts_with("https://")) {
      Fail(node["url"], "llm.url", fmt::format("`{}` is not an http(s) URL", llm.url));
    }
    return llm;
  }

  ServerConfig Server(const std::string& name, const YAML::Node& node, std::string_view prefix, bool strict) const {
    std::string key = fmt::format("{}.{}", prefix, name);
    if (!node.IsMap()) Fail(node, key, fmt::format("expected a mapping describing the server, found {}", TypeName(node)));
    if (strict) {
      CheckKnown(node, key, {"command", "args", "env", "cwd", "url", "headers", "timeout", "roots", "type", "transport", "disabled"});
    }
    ServerConfig server;
    server.name = name;
    server.origin = Origin(node);
    std::string type;
    for (const char* type_key : {"type", "transport"}) {
      if (node[type_key]) type = String(node[type_key], fmt::format("{}.{}", key, type_key));
    }
    if (node["command"]) server.command = String(node["command"], key + ".command");
    if (node["args"]) server.args = StringList(node["args"], key + ".args");
    if (node["env"]) server.env = StringMap(node["env"], key + ".env");
    if (node["cwd"]) server.cwd = Path(node["cwd"], key + ".cwd");
    if (node["url"]) server.url = String(node["url"], key + ".url");
    if (node["headers"]) server.headers = StringMap(node["headers"], key + ".headers");
    if (node["timeout"]) server.timeout = DurationOf(node["timeout"], key + ".timeout");
    if (node["roots"]) server.roots = Paths(node["roots"], key + ".roots");

    if (type.empty()) {
      if (!server.url.empty() && server.command.empty()) type = "http";
      else type = "stdio";
    }
    if (type == "stdio") {
      server.transport = TransportKind::kStdio;
      if (server.command.empty()) {
        Fail(node, key, "a stdio server needs `command`\n  = help: add `command: <program>` (and `args: [...]`), or `url:` for an HTTP server");
      }
    } else if (type == "http" || type == "streamable-http" || type == "streamableHttp" || type == "sse") {
      server.transport = TransportKind::kHttp;
      if (server.url.empty()) Fail(node, key, "an HTTP server needs `url`\n  = help: add `url: https://host/mcp`");
      if (!server.url.starts_with("http://") && !server.url.starts_with("https://")) {
        Fail(node["url"], key + ".url", fmt::format("expected an http:// or https:// URL, found `{}`", server.url));
      }
    } else {
      Fail(node["type"] ? node["type"] : node["transport"], key + ".type",
           fmt::format("unknown transport `{}`\n  = help: use `stdio` or `http`", type));
    }
    server.described_as_written = AsWritten(node, server);
    return server;
  }

  // Describe() over the unexpanded scalars of `node`.
  static std::string AsWritten(const YAML::Node& node, const ServerConfig& server) {
    ServerConfig raw;
    raw.transport = server.transport;
    if (node["url"] && node["url"].IsScalar()) raw.url = node["url"].Scalar();
    if (node["command"] && node["command"].IsScalar()) raw.command = node["command"].Scalar();
    if (node["args"] && node["args"].IsSequence()) {
      for (size_t i = 0; i < node["args"].size(); ++i) raw.args.push_back(node["args"][i].Scalar());
    }
    return raw.Describe();
  }

  void Servers(const YAML::Node& node, std::string_view key, bool strict, Config& config) const {
    if (node.IsNull()) return;
    if (!node.IsMap()) Fail(node, key, fmt::format("expected a mapping of server name to server, found {}", TypeName(node)));
    for (auto it = node.begin(); it != node.end(); ++it) {
      std::string name = it->first.Scalar();
      if (name.empty()) Fail(it->first, key, "a server name is empty");
      if (name.find('/') != std::string::npos) {
        Fail(it->first, fmt::format("{}.{}", key, name),
             "a server name may not contain `/` (tools are written `server/tool`)");
      }
      if (config.servers.count(name)) Fail(it->first, fmt::format("{}.{}", key, name), "server defined twice");
      YAML::Node server = it->second;  // a copy: `it->` is a temporary proxy
      if (server.IsMap() && server["disabled"] && Bool(server["disabled"], fmt::format("{}.{}.disabled", key, name))) continue;
      config.servers.emplace(name, Server(name, server, key, strict));
    }
  }

  Config Parse(const YAML::Node& root) const {
    Config config;
    config.files.push_back(std::string(file_));
    if (root.IsNull()) return config;
    if (!root.IsMap()) Fail(root, "", fmt::format("expected a mapping at the top, found {}", TypeName(root)));
    bool has_mcp_servers = static_cast<bool>(root["mcpServers"]);
    bool has_servers = static_cast<bool>(root["servers"]);
    // orchestrator.yaml is strict about keys; the JSON host formats carry host-specific
    // keys (inputs, description, autoApprove, ...) that are ignored.
    bool strict = !has_mcp_servers && !root["inputs"] && !std::string_view(file_).ends_with(".json");
    if (strict) CheckKnown(root, "", {"servers", "mcpServers", "timeout", "answers", "roots", "llm"});
    if (has_servers) Servers(root["servers"], "servers", strict, config);
    if (has_mcp_servers) Servers(root["mcpServers"], "mcpServers", false, config);
    if (root["timeout"]) config.default_timeout = DurationOf(root["timeout"], "timeout");
    if (root["answers"]) config.answers_file = Path(root["answers"], "answers");
    if (root["roots"]) config.roots = Paths(root["roots"], "roots");
    if (root["llm"]) config.llm = Llm(root["llm"]);
    return config;
  }

 private:
  std::string_view file_;
  std::string_view base_dir_;
};

ErrorOr<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError("config", fmt::format("cannot read configuration file `{}`", path.string()));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

ErrorOr<Config> LoadFile(const fs::path& path) {
  auto text = ReadFile(path);
  if (!text) return text.error();
  std::error_code ec;
  fs::path absolute = fs::absolute(path, ec);
  std::string base_dir = absolute.parent_path().string();
  if (path.filename() == "mcp.json" && absolute.parent_path().filename() == ".vscode") {
    base_dir = absolute.parent_path().parent_path().string();  // ${workspaceFolder}
  }
  return ParseConfig(*text, path.string(), base_dir);
}

/// Merges `extra` into `into`; servers already present win.
void Merge(Config& into, Config extra, bool first) {
  for (auto& [name, server] : extra.servers) into.servers.try_emplace(name, std::move(server));
  if (first || into.default_timeout == kDefaultTimeout) into.default_timeout = extra.default_timeout;
  if (into.answers_file.empty()) into.answers_file = extra.answers_file;
  if (into.roots.empty()) into.roots = extra.roots;
  if (!into.llm) into.llm = std::move(extra.llm);
  for (auto& file : extra.files) into.files.push_back(std::move(file));
}

ErrorOr<Config> LoadFromDirectory(const fs::path& dir, bool& found) {
  Config merged;
  found = false;
  for (const char* name : kConfigNames) {
    fs::path path = dir / name;
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) continue;
    auto config = LoadFile(dir.empty() ? fs::path(name) : path);
    if (!config) return config.error();
    Merge(merged, std::move(*config), !found);
    found = true;
  }
  return merged;
}

}  // namespace

std::string ServerConfig::Describe() const {
  if (transport == TransportKind::kHttp) return url;
  std::string text = "stdio: " + command;
  for (const auto& arg : args) {
    text += ' ';
    text += arg.find(' ') == std::string::npos ? arg : "\"" + arg + "\"";
  }
  return text;
}

const ServerConfig* Config::FindServer(std::string_view name) const {
  auto it = servers.find(name);
  return it == servers.end() ? nullptr : &it->second;
}

ErrorOr<Duration> ParseDuration(std::string_view text) {
  std::string s(text);
  auto bad = [&] {
    return MakeError("config", fmt::format("`{}` is not a duration\n  = help: write a number with a unit: 250ms, 10s, 5m, 1h", s));
  };
  size_t pos = 0;
  while (pos < s.size() && (std::isdigit(static_cast<unsigned char>(s[pos])) || s[pos] == '.')) ++pos;
  if (pos == 0) return bad();
  double amount = 0;
  try {
    amount = std::stod(s.substr(0, pos));
  } catch (...) {
    return bad();
  }
  std::string unit = s.substr(pos);
  double ms = 0;
  if (unit.empty() || unit == "s") ms = amount * 1000;
  else if (unit == "ms") ms = amount;
  else if (unit == "m" || unit == "min") ms = amount * 60'000;
  else if (unit == "h") ms = amount * 3'600'000;
  else return bad();
  if (!std::isfinite(ms) || ms > 1e12) return bad();
  return Duration(static_cast<int64_t>(std::llround(ms)));
}

ErrorOr<std::string> ExpandVariables(std::string_view text, std::string_view workspace_folder) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '$' && i + 1 < text.size() && text[i + 1] == '$') {  // `$$` is a literal `$`
      out += '$';
      ++i;
      continue;
    }
    if (text[i] != '$' || i + 1 >= text.size() || text[i + 1] != '{') {
      out += text[i];
      continue;
    }
    size_t close = text.find('}', i + 2);
    if (close == std::string_view::npos) {
      return MakeError("config", fmt::format("`${{` without a closing `}}` in `{}`", text));
    }
    std::string_view inner = text.substr(i + 2, close - i - 2);
    i = close;
    if (inner == "workspaceFolder") {
      out += workspace_folder;
      continue;
    }
    if (inner.starts_with("env:")) inner.remove_prefix(4);
    std::optional<std::string_view> fallback;
    if (size_t dash = inner.find(":-"); dash != std::string_view::npos) {
      fallback = inner.substr(dash + 2);
      inner = inner.substr(0, dash);
    }
    if (inner.starts_with("input:")) {
      return MakeError("config", fmt::format("`${{{}}}` asks the editor for input, which orchestrator cannot do\n"
                                             "  = help: use an environment variable instead: `${{MY_VALUE}}`", inner));
    }
    if (inner.empty()) return MakeError("config", "`${}` names no variable");
    std::string name(inner);
    const char* value = std::getenv(name.c_str());
    if (value != nullptr && (*value != '\0' || !fallback)) {
      out += value;
    } else if (fallback) {
      out += *fallback;
    } else {
      return MakeError("config", fmt::format("environment variable `{}` is not set\n"
                                             "  = help: set it, or give a default: `${{{}:-value}}`", name, name));
    }
  }
  return out;
}

ErrorOr<Config> ParseConfig(std::string_view text, std::string_view file_name, std::string_view base_dir) {
  Parser parser(file_name, base_dir);
  try {
    YAML::Node root = YAML::Load(std::string(text));
    return parser.Parse(root);
  } catch (const ConfigFailure& failure) {
    return MakeError("config", failure.message);
  } catch (const YAML::Exception& e) {
    int line = e.mark.line >= 0 ? e.mark.line + 1 : 0;
    std::string where = line > 0 ? fmt::format("{}:{}:{}", file_name, line, e.mark.column + 1) : std::string(file_name);
    return MakeError("config", fmt::format("{}: cannot parse: {}", where, e.msg));
  }
}

std::optional<std::string> ConfigFileIn(const std::string& dir) {
  for (const char* name : kConfigNames) {
    fs::path path = fs::path(dir) / name;
    std::error_code ec;
    if (fs::is_regular_file(path, ec)) return path.string();
  }
  return std::nullopt;
}

ErrorOr<Config> LoadConfig(const std::string& explicit_path) {
  if (!explicit_path.empty()) {
    std::error_code ec;
    if (!fs::exists(explicit_path, ec)) {
      return MakeError("config", fmt::format("configuration file `{}` does not exist", explicit_path));
    }
    return LoadFile(explicit_path);
  }
  bool found = false;
  auto local = LoadFromDirectory(fs::path(), found);
  if (!local || found) return local;
  fs::path xdg;
  if (const char* env = std::getenv("XDG_CONFIG_HOME"); env && *env) {
    xdg = fs::path(env) / "orchestrator";
  } else if (const char* home = std::getenv("HOME"); home && *home) {
    xdg = fs::path(home) / ".config" / "orchestrator";
  }
  if (!xdg.empty()) {
    auto global = LoadFromDirectory(xdg, found);
    if (!global || found) return global;
  }
  return Config{};
}

}  // namespace orch::config
