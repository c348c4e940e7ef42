// RenderGraph: IR → a neutral tree of groups and nodes plus data edges → Mermaid or DOT.
#include "compiler/ir/graph.h"

#include <fmt/format.h>

#include <set>

namespace orch::ir {
namespace {

enum class NodeKind : uint8_t { kTool, kWorkflow, kStart, kEnd, kFail };

struct Node {
  std::string id;
  std::string label;
  NodeKind kind = NodeKind::kTool;
};

struct Group {
  std::string id;
  std::string label;
  std::vector<Node> nodes;
  std::vector<Group> groups;
  bool Empty() const {
    if (!nodes.empty()) return false;
    for (const Group& g : groups) {
      if (!g.Empty()) return false;
    }
    return true;
  }
};

struct Graph {
  std::vector<Group> workflows;
  std::vector<std::pair<std::string, std::string>> edges;
};

std::string LineOf(const compiler::Span& span, const compiler::SourceMap* sources) {
  if (!sources || !span.valid() || span.file >= sources->size()) return "";
  return fmt::format("line {}", sources->file(span.file).Locate(span.begin).line);
}

// Builds the groups of one function.
class Builder {
 public:
  Builder(const Module& module, uint32_t index, const compiler::SourceMap* sources)
      : module_(module), fn_(module.functions[index]), prefix_(fmt::format("w{}", index)), sources_(sources) {}

  Group Build(std::vector<std::pair<std::string, std::string>>& edges) {
    Group root;
    root.id = prefix_;
    root.label = fmt::format("workflow {}", fn_.name);
    std::string start = prefix_ + "_start", end = prefix_ + "_end";
    root.nodes.push_back({start, "start", NodeKind::kStart});
    Walk(fn_.body, root);
    root.nodes.push_back({end, "result", NodeKind::kEnd});

    // Data edges between calls; calls that wait for nothing hang off `start`, calls that
    // nothing waits for lead to `result`.
    std::set<uint32_t> has_dependents;
    auto nodes = DependencyGraph(fn_);
    for (const CallNode& node : nodes) {
      if (node.depends_on.empty()) edges.emplace_back(start, NodeId(node.id));
      for (uint32_t d : node.depends_on) {
        edges.emplace_back(NodeId(d), NodeId(node.id));
        has_dependents.insert(d);
      }
    }
    for (const CallNode& node : nodes) {
      if (!has_dependents.count(node.id)) edges.emplace_back(NodeId(node.id), end);
    }
    if (nodes.empty()) edges.emplace_back(start, end);
    return root;
  }

 private:
  std::string NodeId(uint32_t id) const { return fmt::format("{}_n{}", prefix_, id); }
  std::string GroupId(uint32_t id, size_t part) const { return fmt::format("{}_g{}_{}", prefix_, id, part); }

  std::string Where(const Instr& instr) const {
    std::string line = LineOf(instr.span, sources_);
    return line.empty() ? "" : " (" + line + ")";
  }

  void Walk(const Block& block, Group& into) {
    for (const Instr& instr : block.instrs) Visit(instr, into);
  }

  // A nested group holding `block`, added to `into` when it holds any node.
  void Nest(const Block& block, std::string id, std::string label, Group& into) {
    Group g;
    g.id = std::move(id);
    g.label = std::move(label);
    Walk(block, g);
    if (!g.Empty()) into.groups.push_back(std::move(g));
  }

  void Visit(const Instr& instr, Group& into) {
    switch (instr.op) {
      case Op::kCallTool: {
        const Server& server = module_.servers[instr.call->server];
        into.nodes.push_back({NodeId(instr.id), fmt::format("{}.{}", server.alias, instr.call->tool), NodeKind::kTool});
        return;
      }
      case Op::kCallWorkflow:
        into.nodes.push_back({NodeId(instr.id), module_.functions[instr.imm].name + "(…)", NodeKind::kWorkflow});
        return;
      case Op::kFail:
        into.nodes.push_back({NodeId(instr.id), "fail" + Where(instr), NodeKind::kFail});
        return;
      case Op::kIf:
        if (instr.blocks.size() > 0) Nest(instr.blocks[0], GroupId(instr.id, 0), "if" + Where(instr), into);
        if (instr.blocks.size() > 1) Nest(instr.blocks[1], GroupId(instr.id, 1), "else" + Where(instr), into);
        return;
      case Op::kForEach: {
        bool parallel = instr.args.size() > 1 && instr.args[1] != kNoReg;
        std::string label = parallel ? "for each, in parallel" : "for each";
        if (instr.blocks.size() > 0) Nest(instr.blocks[0], GroupId(instr.id, 0), label + Where(instr), into);
        return;
      }
      case Op::kParallel: {
        Group g;
        g.id = GroupId(instr.id, 0);
        g.label = "parallel" + Where(instr);
        for (size_t i = 0; i < instr.blocks.size(); ++i) {
          Nest(instr.blocks[i], GroupId(instr.id, i + 1), fmt::format("branch {}", i + 1), g);
        }
        if (!g.Empty()) into.groups.push_back(std::move(g));
        return;
      }
      case Op::kTry:
        if (instr.blocks.size() > 0) Nest(instr.blocks[0], GroupId(instr.id, 0), "try" + Where(instr), into);
        if (instr.blocks.size() > 1) Nest(instr.blocks[1], GroupId(instr.id, 1), "catch", into);
        return;
      case Op::kCallBuiltin:
        if (instr.lambda) {
          std::string name = instr.imm < module_.builtins.size() ? module_.builtins[instr.imm] : "builtin";
          Nest(instr.lambda->body, GroupId(instr.id, 0), fmt::format("{}(…) for each element", name) + Where(instr),
               into);
        }
        return;
      default:
        for (const Block& b : instr.blocks) Walk(b, into);
        return;
    }
  }

  const Module& module_;
  const Function& fn_;
  std::string prefix_;
  const compiler::SourceMap* sources_;
};

// --- Mermaid ---------------------------------------------------------------------------

std::string MermaidText(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '"') out += "#quot;";
    else if (c == '<') out += "#lt;";
    else if (c == '>') out += "#gt;";
    else out += c;
  }
  return out;
}

void MermaidGroup(const Group& g, int depth, std::string& out) {
  std::string pad(static_cast<size_t>(depth) * 2, ' ');
  out += fmt::format("{}subgraph {}[\"{}\"]\n", pad, g.id, MermaidText(g.label));
  for (const Node& n : g.nodes) {
    std::string label = MermaidText(n.label);
    switch (n.kind) {
      case NodeKind::kStart:
      case NodeKind::kEnd: out += fmt::format("{}  {}([\"{}\"])\n", pad, n.id, label); break;
      case NodeKind::kWorkflow: out += fmt::format("{}  {}[[\"{}\"]]\n", pad, n.id, label); break;
      case NodeKind::kFail: out += fmt::format("{}  {}{{{{\"{}\"}}}}\n", pad, n.id, label); break;
      case NodeKind::kTool: out += fmt::format("{}  {}[\"{}\"]\n", pad, n.id, label); break;
    }
  }
  for (const Group& child : g.groups) MermaidGroup(child, depth + 1, out);
  out += pad + "end\n";
}

std::string RenderMermaid(const Graph& graph) {
  std::string out = "flowchart TD\n";
  for (const Group& w : graph.workflows) MermaidGroup(w, 1, out);
  for (const auto& [from, to] : graph.edges) out += fmt::format("  {} --> {}\n", from, to);
  return out;
}

// --- DOT -------------------------------------------------------------------------------

std::string DotText(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

void DotGroup(const Group& g, int depth, std::string& out) {
  std::string pad(static_cast<size_t>(depth) * 2, ' ');
  out += fmt::format("{}subgraph cluster_{} {{\n{}  label=\"{}\";\n", pad, g.id, pad, DotText(g.label));
  for (const Node& n : g.nodes) {
    std::string attrs;
    switch (n.kind) {
      case NodeKind::kStart:
      case NodeKind::kEnd: attrs = ", shape=oval"; break;
      case NodeKind::kWorkflow: attrs = ", shape=box, peripheries=2"; break;
      case NodeKind::kFail: attrs = ", shape=octagon"; break;
      case NodeKind::kTool: break;
    }
    out += fmt::format("{}  {} [label=\"{}\"{}];\n", pad, n.id, DotText(n.label), attrs);
  }
  for (const Group& child : g.groups) DotGroup(child, depth + 1, out);
  out += pad + "}\n";
}

std::string RenderDot(const Graph& graph) {
  std::string out = "digraph orchestrator {\n  rankdir=TB;\n  node [shape=box, fontname=\"Helvetica\"];\n";
  out += "  graph [fontname=\"Helvetica\"];\n";
  for (const Group& w : graph.workflows) DotGroup(w, 1, out);
  for (const auto& [from, to] : graph.edges) out += fmt::format("  {} -> {};\n", from, to);
  out += "}\n";
  return out;
}

}  // namespace

std::string RenderGraph(const Module& module, uint32_t function, GraphFormat format,
                        const compiler::SourceMap* sources) {
  Graph graph;
  for (uint32_t i = 0; i < module.functions.size(); ++i) {
    if (function != kNone ? i != function : module.functions[i].is_test) continue;
    graph.workflows.push_back(Builder(module, i, sources).Build(graph.edges));
  }
  return format == GraphFormat::kDot ? RenderDot(graph) : RenderMermaid(graph);
}

}  // namespace orch::ir
