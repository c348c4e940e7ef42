// Step-by-step plan building with inferred arguments (see composer.h).
#include "runtime/compose/composer.h"

#include <fmt/format.h>

#include <algorithm>

#include "compiler/diagnostics/diagnostic.h"
#include "runtime/compose/names.h"

namespace orch::compose {

namespace {

std::string SnakeCase(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c >= 'A' && c <= 'Z') {
      if (i > 0 && ((text[i - 1] >= 'a' && text[i - 1] <= 'z') || (text[i - 1] >= '0' && text[i - 1] <= '9'))) out += '_';
      out += static_cast<char>(c - 'A' + 'a');
    } else {
      out += c;
    }
  }
  return IdentifierFrom(out, "step");
}

std::string OneLine(std::string_view text, size_t limit = 160) {
  std::string out;
  for (char c : text) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    if (c == ' ' && !out.empty() && out.back() == ' ') continue;
    out += c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (out.size() > limit) {
    size_t cut = limit;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;  // UTF-8 boundary
    out = out.substr(0, cut) + "…";
  }
  return out;
}

}  // namespace

ErrorOr<ComposeTool> FindTool(const lock::LockFile& schemas, std::string_view spec) {
  const size_t slash = spec.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == spec.size()) {
    return MakeError("usage", fmt::format("tool `{}` is not written as SERVER/TOOL\n  = help: e.g. `memory/search_nodes`", spec));
  }
  const std::string server(spec.substr(0, slash));
  const std::string tool(spec.substr(slash + 1));
  const lock::LockedServer* locked = schemas.FindServer(server);
  if (!locked) {
    std::vector<std::string> names;
    for (const auto& [name, entry] : schemas.servers) names.push_back(name);
    auto similar = compiler::SuggestSimilar(server, names);
    std::string help = similar ? fmt::format("did you mean `{}`?", *similar)
                       : names.empty() ? std::string("no server has locked schemas: run `orchestrator tools lock`, or pass `--live`")
                                       : fmt::format("known servers: {}", fmt::join(names, ", "));
    return MakeError("usage", fmt::format("unknown server `{}` in `{}`\n  = help: {}", server, spec, help));
  }
  const lock::ToolInfo* info = locked->FindTool(tool);
  if (!info) {
    std::vector<std::string> names;
    for (const auto& t : locked->tools) names.push_back(t.name);
    auto similar = compiler::SuggestSimilar(tool, names);
    std::string help = similar ? fmt::format("did you mean `{}/{}`?", server, *similar)
                               : fmt::format("`orchestrator tools list {}` lists its {} tools", server, names.size());
    return MakeError("usage", fmt::format("server `{}` has no tool `{}`\n  = help: {}", server, tool, help));
  }
  ComposeTool out;
  out.server = server;
  out.info = info;
  out.type = types::ToolTypeFromSchemas(info->input_schema, info->output_schema);
  return out;
}

std::vector<Target> InputTargets(const ComposeTool& tool) {
  std::vector<Target> out;
  const types::TypeRef& params = types::Resolve(tool.type.params);
  if (params->kind() != types::TypeKind::kRecord) return out;
  for (const types::Field& f : params->fields()) {
    out.push_back({f.name, f.type, f.description, !f.optional});
  }
  std::stable_partition(out.begin(), out.end(), [](const Target& t) { return t.required; });
  return out;
}

Composer::Composer(std::string_view name) {
  plan_.name = UniqueName(SnakeCase(name), taken_);
}

std::string Composer::AddParam(const std::string& name, const types::TypeRef& type, const std::string& description,
                               const std::string& feeds, bool keep_name) {
  PlanParam p;
  p.name = UniqueName(keep_name ? name : SnakeCase(name), taken_);
  p.type = type;
  p.description = OneLine(description);
  p.feeds = feeds;
  plan_.params.push_back(p);
  Source s;
  s.expr = p.name;
  s.name = name;
  s.type = type;
  s.description = description;
  s.step = -1;
  s.origin = "workflow parameter";
  sources_.push_back(std::move(s));
  return p.name;
}

size_t Composer::AddStep(const ComposeTool& tool, const std::string& binding) {
  PlanStep step;
  step.server = tool.server;
  step.tool = tool.info->name;
  step.binding = UniqueName(binding.empty() ? SnakeCase(tool.info->name) : binding, taken_);
  plan_.steps.push_back(std::move(step));
  const size_t index = plan_.steps.size() - 1;
  std::vector<Source> outputs = OutputSources(tool.type, plan_.steps[index].binding, static_cast<int>(index), tool.Id());
  sources_.insert(sources_.end(), outputs.begin(), outputs.end());
  return index;
}

size_t Composer::AddInferredStep(const ComposeTool& tool) {
  // Inputs are chosen from the values that exist before this step. Workflow parameters are
  // reused only under the same name; anything looser would let a parameter like `query`
  // capture an input the previous step should feed.
  std::vector<Source> available = sources_;
  const int previous = plan_.steps.empty() ? -1 : static_cast<int>(plan_.steps.size()) - 1;
  std::vector<PlanArg> args;
  std::set<std::string> taken_exprs;
  std::vector<Target> targets = InputTargets(tool);
  std::vector<Choice> choices(targets.size());
  // Named evidence first, so a type-only guess never takes a value a named input wants.
  for (size_t i = 0; i < targets.size(); ++i) {
    std::vector<Source> usable;
    for (const Source& s : available) {
      if (s.step >= 0 || Match(targets[i], s).value_or(Candidate{}).evidence == Evidence::kSameName) usable.push_back(s);
    }
    choices[i] = Choose(targets[i], usable, previous, {});
    if (choices[i].kind == Choice::Kind::kMapped && choices[i].candidates[0].evidence != Evidence::kTypeOnly) {
      taken_exprs.insert(choices[i].candidates[0].source.expr);
    }
  }
  for (size_t i = 0; i < targets.size(); ++i) {
    const Target& t = targets[i];
    Choice& c = choices[i];
    if (c.kind == Choice::Kind::kParameter ||
        (c.kind != Choice::Kind::kOmit && c.candidates[0].evidence == Evidence::kTypeOnly)) {
      std::vector<Source> usable;
      for (const Source& s : available) {
        if (s.step >= 0) usable.push_back(s);
      }
      c = Choose(t, usable, previous, taken_exprs);
    }
    PlanArg arg;
    arg.param = t.name;
    switch (c.kind) {
      case Choice::Kind::kOmit: continue;
      case Choice::Kind::kMapped:
        arg.expr = c.candidates[0].source.expr;
        arg.reason = fmt::format("{} <- {}: {}", t.name, arg.expr, c.candidates[0].reason);
        taken_exprs.insert(arg.expr);
        break;
      case Choice::Kind::kHole: {
        if (c.candidates.size() > kMaxHoleCandidates) c.candidates.resize(kMaxHoleCandidates);
        std::vector<std::string> exprs;
        for (const Candidate& cand : c.candidates) exprs.push_back(cand.source.expr);
        arg.expr = fmt::format("hole({})", fmt::join(exprs, ", "));
        arg.reason = fmt::format("{}: {} candidates fit equally well, choose one (typed hole)", t.name, exprs.size());
        for (const Candidate& cand : c.candidates) {
          arg.reason += fmt::format("\n  {}: {}", cand.source.expr, cand.reason);
        }
        break;
      }
      case Choice::Kind::kParameter: {
        const std::string feeds = fmt::format("{} `{}`", tool.Id(), t.name);
        arg.expr = AddParam(t.name, t.type, t.description, feeds);
        if (previous >= 0) {
          arg.reason = fmt::format("{} <- parameter `{}`: nothing earlier returns a fitting value", t.name, arg.expr);
        }
        available.push_back(sources_.back());
        break;
      }
    }
    args.push_back(std::move(arg));
  }
  const size_t index = AddStep(tool);
  plan_.steps[index].args = std::move(args);
  return index;
}

}  // namespace orch::compose
