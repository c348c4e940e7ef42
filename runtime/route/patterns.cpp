// YAML pattern files (yaml-cpp), checked entry by entry.
#include "runtime/route/patterns.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>

namespace orch::route {

void AnalyzePattern(Pattern& pattern, const AnalyzerOptions& options) {
  pattern.terms.clear();
  for (const std::string& keyword : pattern.keywords) {
    for (auto& term : Analyze(keyword, options)) pattern.terms.push_back(std::move(term));
  }
}

ErrorOr<std::vector<Pattern>> LoadPatternFile(const std::string& path, const AnalyzerOptions& options) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return MakeError("io", fmt::format("cannot read pattern file `{}`", path));
  }
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::Exception& e) {
    return MakeError("patterns", fmt::format("{}:{}:{}: {}", path, e.mark.line + 1, e.mark.column + 1, e.msg));
  }
  std::vector<Pattern> patterns;
  if (!root || root.IsNull()) return patterns;
  YAML::Node list = root.IsMap() ? root["patterns"] : root;
  if (!list || !list.IsSequence()) {
    return MakeError("patterns", fmt::format("{}: expected a `patterns:` list", path));
  }
  for (size_t i = 0; i < list.size(); ++i) {
    const YAML::Node& item = list[i];
    auto fail = [&](const std::string& what) {
      return MakeError("patterns", fmt::format("{}: pattern {} (line {}): {}", path, i + 1, item.Mark().line + 1, what));
    };
    if (!item.IsMap()) return fail("expected a record with `tool` or `server` and `keywords`");
    Pattern pattern;
    pattern.origin = path;
    try {
      for (const auto& entry : item) {
        std::string key = entry.first.as<std::string>();
        const YAML::Node& value = entry.second;
        if (key == "tool") {
          pattern.tool = value.as<std::string>();
        } else if (key == "server") {
          pattern.server = value.as<std::string>();
        } else if (key == "weight") {
          pattern.weight = value.as<double>();
        } else if (key == "keywords") {
          if (value.IsSequence()) {
            for (const auto& k : value) pattern.keywords.push_back(k.as<std::string>());
          } else {
            pattern.keywords.push_back(value.as<std::string>());
          }
        } else {
          return fail(fmt::format("unknown key `{}`; expected `tool`, `server`, `keywords` or `weight`", key));
        }
      }
    } catch (const YAML::Exception& e) {
      return fail(e.msg);
    }
    if (pattern.tool.empty() == pattern.server.empty()) return fail("needs exactly one of `tool` or `server`");
    if (!pattern.tool.empty() && pattern.tool.find('/') == std::string::npos) {
      return fail(fmt::format("tool `{}` is not of the form `server/tool`", pattern.tool));
    }
    AnalyzePattern(pattern, options);
    if (pattern.terms.empty()) return fail("has no keywords (after dropping stop words)");
    if (!(pattern.weight > 0 && pattern.weight <= 100)) return fail("`weight` must be a number in (0, 100]");
    patterns.push_back(std::move(pattern));
  }
  return patterns;
}

}  // namespace orch::route
