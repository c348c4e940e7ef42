// Entity extraction and follow-up resolution (plain string rules, no model).
#include "runtime/route/context.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "runtime/route/text.h"
#include "runtime/value/json.h"

namespace orch::route {
namespace {

bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsWordChar(char c) {
  return (c >= 'a' && c <= 'z') || IsUpper(c) || IsDigit(c) || c == '-' || c == '_' || c == '.' || c == '/' ||
         c == ':' || static_cast<unsigned char>(c) >= 0x80;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (IsUpper(c)) c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace

std::vector<std::string> ExtractEntities(std::string_view query) {
  std::vector<std::string> entities;
  auto add = [&](std::string e) {
    while (!e.empty() && (e.back() == '.' || e.back() == ':' || e.back() == ',')) e.pop_back();
    if (!e.empty() && std::find(entities.begin(), entities.end(), e) == entities.end()) entities.push_back(std::move(e));
  };
  size_t i = 0;
  bool sentence_start = true;
  std::string run;  // consecutive capitalised words
  auto end_run = [&] {
    if (!run.empty()) add(run);
    run.clear();
  };
  while (i < query.size()) {
    char c = query[i];
    if (c == '"' || c == '\'' || c == '`' || c == '<') {
      char close = c == '<' ? '>' : c;
      size_t end = query.find(close, i + 1);
      // An apostrophe inside a word ("don't") is not a quote.
      bool inside_word = c == '\'' && i > 0 && IsWordChar(query[i - 1]);
      if (end != std::string_view::npos && end > i + 1 && !inside_word && end - i < 200) {
        end_run();
        add(std::string(query.substr(c == '<' ? i : i + 1, c == '<' ? end - i + 1 : end - i - 1)));
        i = end + 1;
        sentence_start = false;
        continue;
      }
      ++i;
      continue;
    }
    if (!IsWordChar(c)) {
      if (c == '?' || c == '!' || (c == '.' && (i + 1 == query.size() || query[i + 1] == ' '))) sentence_start = true;
      if (c != ' ') end_run();
      ++i;
      continue;
    }
    size_t start = i;
    while (i < query.size() && IsWordChar(query[i])) ++i;
    std::string word(query.substr(start, i - start));
    while (!word.empty() && (word.back() == '.' || word.back() == ':')) word.pop_back();
    if (word.empty()) continue;
    bool has_digit = std::any_of(word.begin(), word.end(), IsDigit);
    bool has_mark = word.find_first_of("./:") != std::string::npos;
    if (IsUpper(word[0]) && !sentence_start && !IsStopWord(Lower(word))) {
      run += (run.empty() ? "" : " ") + word;
    } else {
      end_run();
      if (has_digit || has_mark) add(word);
    }
    sentence_start = false;
  }
  end_run();
  return entities;
}

bool IsFollowUp(std::string_view query) {
  std::string text = " " + Lower(query) + " ";
  for (char& c : text) {
    if (!((c >= 'a' && c <= 'z') || IsDigit(c))) c = ' ';
  }
  static constexpr std::string_view kMarkers[] = {" same ", " again ", " instead ", " what about ", " how about ",
                                                  " as well ", " too ", " likewise ", " similarly ", " also for "};
  return std::any_of(std::begin(kMarkers), std::end(kMarkers),
                     [&](std::string_view m) { return text.find(m) != std::string::npos; });
}

std::string ResolveFollowUp(const RouteContext& previous, const std::vector<std::string>& new_entities) {
  std::string resolved = previous.query;
  size_t k = 0;
  for (; k < new_entities.size() && k < previous.entities.size(); ++k) {
    const std::string& old_entity = previous.entities[k];
    size_t at = resolved.find(old_entity);
    if (at != std::string::npos) resolved.replace(at, old_entity.size(), new_entities[k]);
  }
  for (; k < new_entities.size(); ++k) resolved += " " + new_entities[k];
  return resolved;
}

ErrorOr<std::optional<RouteContext>> ReadContextFile(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return std::optional<RouteContext>();
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError("io", "cannot read context file `" + path + "`");
  std::stringstream buffer;
  buffer << in.rdbuf();
  auto json = ParseJson(buffer.str());
  if (!json || !json->is_record()) {
    return MakeError("usage", "context file `" + path + "` is not a JSON record written by `route --context`");
  }
  RouteContext context;
  if (const Value* q = json->Find("query"); q && q->is_string()) context.query = q->as_string();
  if (const Value* t = json->Find("tool"); t && t->is_string()) context.tool = t->as_string();
  if (const Value* e = json->Find("entities"); e && e->is_list()) {
    for (const Value& v : e->as_list()) {
      if (v.is_string()) context.entities.push_back(v.as_string());
    }
  }
  return std::optional<RouteContext>(std::move(context));
}

ErrorOr<void> WriteContextFile(const std::string& path, const RouteContext& context) {
  List entities;
  for (const auto& e : context.entities) entities.emplace_back(e);
  Record record{{"query", context.query}, {"tool", context.tool}, {"entities", Value(std::move(entities))}};
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return MakeError("io", "cannot write context file `" + path + "`");
  out << ToJson(Value(std::move(record)), {2, false}) << "\n";
  if (!out) return MakeError("io", "cannot write context file `" + path + "`");
  return {};
}

}  // namespace orch::route
