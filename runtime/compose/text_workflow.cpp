// Description → plan (see text_workflow.h).
#include "runtime/compose/text_workflow.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <regex>

#include "compiler/types/assign.h"
#include "runtime/compose/composer.h"

namespace orch::compose {

namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && (std::isspace(static_cast<unsigned char>(s[b])) || s[b] == ',')) ++b;
  while (e > b && (std::isspace(static_cast<unsigned char>(s[e - 1])) || s[e - 1] == '.' || s[e - 1] == ',')) --e;
  return std::string(s.substr(b, e - b));
}

// Replaces every match of `pattern` (case-insensitive) by a cut mark.
std::string MarkCuts(const std::string& text, const std::string& pattern) {
  return std::regex_replace(text, std::regex(pattern, std::regex::icase), "\x1f");
}

std::vector<std::string> Cut(const std::string& text) {
  std::vector<std::string> out;
  std::string current;
  for (char c : text) {
    if (c == '\x1f') {
      out.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  out.push_back(current);
  return out;
}

// Words that start an action; used to find where a condition written without a comma ends.
bool IsActionVerb(const std::string& word) {
  static const std::vector<std::string> verbs = {
      "search", "find", "look", "get", "fetch", "check", "book", "send", "email", "mail", "notify", "create",
      "write", "read", "list", "add", "delete", "remove", "update", "save", "post", "call", "run", "open",
      "take", "make", "schedule", "buy", "reserve", "order", "compute", "calculate", "summarize", "translate",
      "download", "upload", "echo", "store", "remember", "record", "log", "tell", "message", "share",
      "publish", "query", "show", "print", "sum", "add", "reply", "text", "ping", "invite", "cancel"};
  return std::find(verbs.begin(), verbs.end(), word) != verbs.end();
}

Clause ParseClause(const std::string& raw) {
  Clause clause;
  std::string text = Trim(raw);
  std::string lower = Lower(text);
  for (const char* lead : {"then ", "and then ", "and ", "finally ", "next ", "after that ", "afterwards "}) {
    if (lower.starts_with(lead)) {
      text = Trim(text.substr(std::string_view(lead).size()));
      lower = Lower(text);
    }
  }
  static const std::vector<std::pair<std::string, std::string>> keywords = {
      {"if ", "if"}, {"when ", "when"}, {"unless ", "unless"}, {"once ", "when"}, {"in case ", "if"}};
  for (const auto& [lead, keyword] : keywords) {
    if (!lower.starts_with(lead)) continue;
    std::string rest = text.substr(lead.size());
    size_t comma = rest.find(',');
    if (comma != std::string::npos) {
      clause.keyword = keyword;
      clause.condition = Trim(rest.substr(0, comma));
      clause.action = Trim(rest.substr(comma + 1));
      return clause;
    }
    // No comma: the action starts at the first action verb after the condition's first word.
    std::vector<std::string> words;
    std::string word;
    std::vector<size_t> starts;
    for (size_t i = 0; i <= rest.size(); ++i) {
      if (i == rest.size() || std::isspace(static_cast<unsigned char>(rest[i]))) {
        if (!word.empty()) words.push_back(Lower(word));
        word.clear();
      } else {
        if (word.empty()) starts.push_back(i);
        word += rest[i];
      }
    }
    clause.keyword = keyword;
    for (size_t w = 1; w < words.size(); ++w) {
      if (IsActionVerb(words[w])) {
        clause.condition = Trim(rest.substr(0, starts[w]));
        clause.action = Trim(rest.substr(starts[w]));
        return clause;
      }
    }
    clause.condition = Trim(rest);
    return clause;
  }
  // "do Y if X": a trailing condition.
  static const std::regex trailing(R"(^(.*\S)\s+(if|when|unless)\s+(.+)$)", std::regex::icase);
  std::smatch m;
  if (std::regex_match(text, m, trailing)) {
    clause.action = Trim(m[1].str());
    clause.keyword = Lower(m[2].str());
    clause.condition = Trim(m[3].str());
    return clause;
  }
  clause.action = text;
  return clause;
}

}  // namespace

std::vector<Clause> SplitClauses(std::string_view description) {
  std::string text(description);
  // A preamble such as "Create a workflow that:" says nothing about the steps.
  text = std::regex_replace(text, std::regex(R"(^\s*(create|make|build|write)\b[^:\n]*:\s*)", std::regex::icase), "");
  // Lines and list markers ("1.", "2)", "-", "*") start clauses.
  text = std::regex_replace(text, std::regex(R"((^|\n)\s*(\d+[.)]|[-*•])\s+)"), "\x1f");
  text = MarkCuts(text, R"(\n|;|\.\s+|,\s*(and\s+)?then\s+|\s+and\s+then\s+|\s+then\s+|,\s+and\s+(?=(if|when|unless)\b))");
  std::vector<Clause> out;
  for (const std::string& piece : Cut(text)) {
    if (Trim(piece).empty()) continue;
    Clause c = ParseClause(piece);
    if (c.action.empty() && c.condition.empty()) continue;
    out.push_back(std::move(c));
  }
  return out;
}

ErrorOr<Plan> PlanFromText(std::string_view description, const lock::LockFile& schemas, const route::Router& router,
                           std::string_view name) {
  if (auto ok = route::CheckQuery(description); !ok) return ok.error();
  std::vector<Clause> clauses = SplitClauses(description);
  if (clauses.empty()) return MakeError("usage", "the description holds no step\n  = help: describe the steps, e.g. \"search for X, then email me the result\"");
  Composer composer(name);
  const double threshold = router.weights().threshold;
  std::vector<std::string> ids;
  bool conditional = false;
  for (size_t i = 0; i < clauses.size(); ++i) {
    const Clause& c = clauses[i];
    if (c.action.empty()) {
      return MakeError("usage", fmt::format("clause {} \"{} {}\" has a condition but no action\n  = help: write what to do, "
                                            "e.g. \"{} {}, send me an email\"",
                                            i + 1, c.keyword, c.condition, c.keyword, c.condition));
    }
    route::RankRequest request;
    request.query = c.action;
    request.top = 3;
    std::vector<route::RankedTool> ranked = router.Rank(request);
    if (ranked.empty() || ranked[0].score < threshold) {
      std::string closest;
      for (size_t k = 0; k < ranked.size(); ++k) {
        closest += fmt::format("{}{} ({:.2f})", k ? ", " : "", router.index().tool(ranked[k].tool).Id(), ranked[k].score);
      }
      return MakeError("no_tool", fmt::format("clause {} \"{}\" maps to no tool (best score {:.2f}, threshold {:.2f}){}\n  = help: "
                                              "name the action and the thing it acts on, or compose the tools by name: "
                                              "`orchestrator compose SERVER/TOOL…`",
                                              i + 1, c.action, ranked.empty() ? 0.0 : ranked[0].score, threshold,
                                              closest.empty() ? "" : "\n  = note: closest: " + closest));
    }
    const std::string id = router.index().tool(ranked[0].tool).Id();
    auto tool = FindTool(schemas, id);
    if (!tool) return tool.error();
    // Bool values the steps so far return can decide the condition.
    std::vector<std::string> bools;
    for (const Source& s : composer.sources()) {
      if (s.step >= 0 && types::Resolve(s.type)->kind() == types::TypeKind::kBool && bools.size() < kMaxHoleCandidates) {
        bools.push_back(s.expr);
      }
    }
    const size_t index = composer.AddInferredStep(*tool);
    PlanStep& step = composer.plan().steps[index];
    std::string note = fmt::format("\"{}\" -> {} (router score {:.2f}", c.action, id, ranked[0].score);
    for (size_t k = 1; k < ranked.size(); ++k) {
      note += fmt::format("{} {} {:.2f}", k == 1 ? "; also considered" : ",", router.index().tool(ranked[k].tool).Id(),
                          ranked[k].score);
    }
    step.notes.push_back(note + ")");
    if (!c.keyword.empty()) {
      conditional = true;
      std::string hole = fmt::format("hole({})", fmt::join(bools, ", "));
      step.condition = c.keyword == "unless" ? "not " + hole : hole;
      step.condition_note = fmt::format("{} {} (typed hole: the condition is yours to write)", c.keyword, c.condition);
    }
    ids.push_back(id);
  }
  Plan& plan = composer.plan();
  std::vector<std::string> actions;
  for (const Clause& c : clauses) actions.push_back(c.keyword.empty() ? c.action : c.keyword + " " + c.condition + ", " + c.action);
  plan.summary = fmt::format("{}.", fmt::join(actions, "; "));
  if (!plan.summary.empty()) plan.summary[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(plan.summary[0])));
  plan.header = {"Composed by `orchestrator compose --from-text` from:"};
  std::string line;
  for (char ch : description) {
    if (ch == '\n') {
      plan.header.push_back("  " + line);
      line.clear();
    } else {
      line += ch;
    }
  }
  if (!line.empty()) plan.header.push_back("  " + line);
  plan.header.push_back("Each step's tool was picked by the router; `hole(…)` marks what is left to decide.");
  if (!conditional) plan.output = plan.steps.back().binding;
  return std::move(plan);
}

}  // namespace orch::compose
