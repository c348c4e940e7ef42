// Plan → canonical `.orch` text (see emit.h).
#include "runtime/compose/emit.h"

#include <fmt/format.h>

#include <cctype>
#include <map>
#include <set>
#include <sstream>

#include "compiler/diagnostics/render.h"
#include "compiler/driver/driver.h"
#include "compiler/format/format.h"
#include "runtime/compose/names.h"
#include "runtime/compose/type_text.h"
#include "runtime/value/json.h"

namespace orch::compose {

namespace {

void Comment(std::string& out, const std::string& indent, const std::string& text) {
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) out += indent + (line.empty() ? "#" : "# " + line) + "\n";
}

/// True when `name` occurs in `expr` as a whole name (not inside a longer one or a string).
bool Mentions(const std::string& expr, const std::string& name) {
  size_t pos = 0;
  auto is_word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  while ((pos = expr.find(name, pos)) != std::string::npos) {
    const bool start = pos == 0 || (!is_word(expr[pos - 1]) && expr[pos - 1] != '.');
    const bool end = pos + name.size() == expr.size() || !is_word(expr[pos + name.size()]);
    if (start && end) return true;
    pos += name.size();
  }
  return false;
}

}  // namespace

ErrorOr<std::string> FormatSource(const std::string& text, const std::string& path) {
  compiler::SourceMap sources;
  compiler::FileId id = sources.Add(path, text);
  compiler::DiagnosticSink sink;
  auto file = compiler::ParseSource(sources, id, sink);
  if (!file || sink.has_errors()) {
    std::string first = sink.diagnostics().empty() ? "no syntax tree" : compiler::RenderShort(sink.diagnostics()[0], sources);
    return MakeError("internal", fmt::format("the generated workflow does not parse: {}", first));
  }
  return compiler::format::FormatFile(*file, sources.file(id));
}

ErrorOr<std::string> EmitPlan(const Plan& plan) {
  std::string out;
  for (const auto& line : plan.header) Comment(out, "", line);

  // One `use` per server, aliased when its name is not an identifier.
  std::map<std::string, std::string> alias;  // configured name → name in source
  std::set<std::string> taken = {plan.name, plan.output_name};
  for (const auto& p : plan.params) taken.insert(p.name);
  for (const auto& s : plan.steps) taken.insert(s.binding);
  std::string uses;
  for (const auto& step : plan.steps) {
    if (alias.count(step.server)) continue;
    if (IsPlainName(step.server) && !taken.count(step.server)) {
      alias[step.server] = step.server;
      taken.insert(step.server);
      uses += fmt::format("use {}\n", step.server);
    } else {
      std::string name = UniqueName(IdentifierFrom(step.server, "server"), taken);
      alias[step.server] = name;
      uses += fmt::format("use {} = {}\n", name, ToJson(Value(step.server)));
    }
  }
  if (!out.empty()) out += "\n";
  out += uses + "\n";

  // The doc comment: the summary, then each parameter and what it feeds.
  out += "## " + (plan.summary.empty() ? std::string("Composed workflow.") : plan.summary) + "\n";
  if (!plan.params.empty()) {
    out += "##\n";
    for (const auto& p : plan.params) {
      std::string text = p.description.empty() ? "" : " " + p.description;
      if (!text.empty() && text.back() != '.') text += ".";
      out += fmt::format("## - `{}`:{} Feeds {}.\n", p.name, text, p.feeds);
    }
  }
  out += fmt::format("workflow {}(", SourceName(plan.name));
  for (size_t i = 0; i < plan.params.size(); ++i) {
    if (i) out += ", ";
    out += fmt::format("{}: {}", SourceName(plan.params[i].name), TypeSource(plan.params[i].type));
  }
  out += ") {\n";

  // A step's result is bound only when something later reads it.
  auto is_read_after = [&](size_t index) {
    const std::string& binding = plan.steps[index].binding;
    if (Mentions(plan.output, binding)) return true;
    for (size_t j = index + 1; j < plan.steps.size(); ++j) {
      if (plan.steps[j].condition && Mentions(*plan.steps[j].condition, binding)) return true;
      for (const auto& a : plan.steps[j].args) {
        if (Mentions(a.expr, binding)) return true;
      }
    }
    return false;
  };
  std::string indent = "  ";
  int open_blocks = 0;
  for (size_t i = 0; i < plan.steps.size(); ++i) {
    const PlanStep& step = plan.steps[i];
    if (step.condition) {
      if (!step.condition_note.empty()) Comment(out, indent, step.condition_note);
      out += fmt::format("{}if {} {{\n", indent, *step.condition);
      indent += "  ";
      ++open_blocks;
    }
    for (const auto& note : step.notes) Comment(out, indent, note);
    for (const auto& a : step.args) {
      if (!a.reason.empty()) Comment(out, indent, a.reason);
    }
    std::string call = fmt::format("{}.{}(", alias[step.server], SourceName(step.tool));
    for (size_t k = 0; k < step.args.size(); ++k) {
      if (k) call += ", ";
      call += fmt::format("{}: {}", SourceName(step.args[k].param), step.args[k].expr);
    }
    call += ")";
    if (is_read_after(i)) {
      out += fmt::format("{}let {} = {}\n", indent, SourceName(step.binding), call);
    } else {
      out += indent + call + "\n";
    }
  }
  while (open_blocks-- > 0) {
    indent.resize(indent.size() - 2);
    out += indent + "}\n";
  }
  if (!plan.output_name.empty()) {
    out += fmt::format("  let {} = {}\n  return {}\n", plan.output_name, plan.output, plan.output_name);
  } else if (!plan.output.empty()) {
    out += fmt::format("  return {}\n", plan.output);
  }
  out += "}\n";
  return FormatSource(out, plan.name + ".orch");
}

}  // namespace orch::compose
