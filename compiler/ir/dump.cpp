// IR dump: registers, instructions with operands and nested blocks, spans as line:col.
#include "compiler/ir/dump.h"

#include <fmt/format.h>

#include <cctype>

#include "runtime/value/json.h"

namespace orch::ir {
namespace {

std::string RegName(Reg r) { return r == kNoReg ? "_" : fmt::format("%{}", r); }

std::string Location(const compiler::Span& span, const compiler::SourceMap* sources) {
  if (!sources || !span.valid() || span.file >= sources->size()) return "";
  auto lc = sources->file(span.file).Locate(span.begin);
  return fmt::format("{}:{}", lc.line, lc.column);
}

/// Quotes a name for the dump when it is not a plain identifier, like the source does.
std::string Name(std::string_view name) {
  bool plain = !name.empty() && !(name[0] >= '0' && name[0] <= '9');
  for (char c : name) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) plain = false;
  }
  return plain ? std::string(name) : fmt::format("`{}`", name);
}

class Dumper {
 public:
  Dumper(const Module& module, const compiler::SourceMap* sources) : module_(module), sources_(sources) {}

  std::string Run() {
    for (const Server& s : module_.servers) {
      if (s.alias == s.config_name) {
        Line(0, fmt::format("server {}", Name(s.alias)));
      } else {
        Line(0, fmt::format("server {} = \"{}\"", Name(s.alias), s.config_name));
      }
    }
    for (const Agent& a : module_.agents) {
      std::string uses;
      for (const ToolPattern& p : a.uses) {
        if (!uses.empty()) uses += ", ";
        uses += Name(module_.servers[p.server].alias) + "." + (p.tool.empty() ? "*" : Name(p.tool));
      }
      Line(0, fmt::format("agent {} uses {}", Name(a.name), uses));
    }
    for (const Function& fn : module_.functions) DumpFunction(fn);
    return std::move(out_);
  }

 private:
  void Line(int depth, std::string_view text) {
    if (!out_.empty() && depth == 0 && (text.starts_with("workflow") || text.starts_with("test"))) out_ += '\n';
    out_.append(static_cast<size_t>(depth) * 2, ' ');
    out_ += text;
    out_ += '\n';
  }

  void DumpFunction(const Function& fn) {
    std::string params;
    for (const Param& p : fn.params) {
      if (!params.empty()) params += ", ";
      params += fmt::format("{}: {}{}", Name(p.name), p.type_text.empty() ? "any" : p.type_text,
                            p.has_default ? " = …" : "");
    }
    if (fn.is_test) {
      Line(0, fmt::format("test \"{}\"", fn.name));
    } else {
      Line(0, fmt::format("workflow {}({}) -> {}", fn.name, params,
                          fn.return_type_text.empty() ? "any" : fn.return_type_text));
    }
    for (Reg r = 0; r < fn.regs.size(); ++r) {
      const RegInfo& info = fn.regs[r];
      if (info.name.empty() && info.type == TypeTag::kAny) continue;
      Line(1, fmt::format("{} {}: {}", RegName(r), info.name.empty() ? "_" : Name(info.name), TypeTagName(info.type)));
    }
    DumpBlock(fn.body, 1);
  }

  void DumpBlock(const Block& block, int depth) {
    for (const Instr& instr : block.instrs) DumpInstr(instr, depth);
  }

  std::string Args(const Instr& instr) {
    std::string s;
    for (size_t i = 0; i < instr.args.size(); ++i) {
      if (i) s += ", ";
      s += RegName(instr.args[i]);
    }
    return s;
  }

  std::string Operands(const Instr& instr) {
    switch (instr.op) {
      case Op::kConst: return ToJson(module_.constants[instr.imm]);
      case Op::kMakeRecord: {
        std::string s = "{";
        for (size_t i = 0; i < instr.args.size(); ++i) {
          if (i) s += ", ";
          s += fmt::format("{}: {}", Name(instr.names[i]), RegName(instr.args[i]));
        }
        return s + "}";
      }
      case Op::kMakeList: return "[" + Args(instr) + "]";
      case Op::kField:
      case Op::kOptField: return fmt::format("{}, {}", RegName(instr.args[0]), Name(instr.names[0]));
      case Op::kCallBuiltin: {
        std::string s = fmt::format("{}({}", module_.builtins[instr.imm], Args(instr));
        if (instr.lambda) {
          std::string params;
          for (Reg p : instr.lambda->params) params += (params.empty() ? "" : ", ") + RegName(p);
          s += fmt::format("{}({}) => {}", instr.args.empty() ? "" : ", ", params, RegName(instr.lambda->result));
        }
        return s + ")";
      }
      case Op::kCallTool: {
        const ToolCall& c = *instr.call;
        std::string s = fmt::format("{}.{}(", Name(module_.servers[c.server].alias), Name(c.tool));
        for (size_t i = 0; i < instr.args.size(); ++i) {
          if (i) s += ", ";
          s += fmt::format("{}: {}", Name(c.arg_names[i]), RegName(instr.args[i]));
        }
        s += ")";
        std::string policy;
        auto add = [&](const char* key, Reg r) {
          if (r == kNoReg) return;
          policy += fmt::format("{}{}: {}", policy.empty() ? "" : ", ", key, RegName(r));
        };
        add("timeout", c.policy.timeout);
        add("retry", c.policy.retry);
        add("backoff", c.policy.backoff);
        add("cache", c.policy.cache);
        if (!policy.empty()) s += " with {" + policy + "}";
        return s;
      }
      case Op::kCallWorkflow: return fmt::format("{}({})", module_.functions[instr.imm].name, Args(instr));
      case Op::kMock:
      case Op::kCallLog: {
        std::string s = instr.call ? fmt::format("{}.{}", Name(module_.servers[instr.call->server].alias), Name(instr.call->tool))
                                   : module_.functions[instr.imm].name;
        if (instr.op == Op::kCallLog) return fmt::format("{} {}", instr.names.empty() ? "" : instr.names[0], s);
        std::string pattern;
        for (size_t i = 0; i < instr.names.size() && i < instr.args.size(); ++i) {
          pattern += fmt::format("{}{}: {}", i ? ", " : "", Name(instr.names[i]), RegName(instr.args[i]));
        }
        if (!instr.names.empty()) s += "(" + pattern + ")";
        if (instr.lambda) {
          return s + fmt::format(" => ({}) => {}", instr.lambda->params.empty() ? "" : RegName(instr.lambda->params[0]),
                                 RegName(instr.lambda->result));
        }
        return instr.args.size() > instr.names.size() ? s + " => " + RegName(instr.args.back()) : s;
      }
      case Op::kForEach:
        return fmt::format("{}{}", RegName(instr.args[0]),
                           instr.args.size() > 1 && instr.args[1] != kNoReg
                               ? fmt::format(" parallel(limit: {})", RegName(instr.args[1]))
                               : "");
      default: return Args(instr);
    }
  }

  void DumpInstr(const Instr& instr, int depth) {
    std::string text = fmt::format("@{} ", instr.id);
    if (instr.dst != kNoReg && instr.op != Op::kTry && instr.op != Op::kForEach && instr.op != Op::kDefault) {
      text += RegName(instr.dst) + " = ";
    }
    text += Mnemonic(instr.op);
    if (instr.op == Op::kForEach || instr.op == Op::kTry || instr.op == Op::kDefault) {
      text += " " + RegName(instr.dst);
      if (instr.op == Op::kForEach) text += " in";
    }
    std::string operands = Operands(instr);
    if (!operands.empty()) text += " " + operands;
    std::string where = Location(instr.span, sources_);
    if (!where.empty()) text = fmt::format("{:<56} ; {}", text, where);
    Line(depth, text);
    if (instr.lambda) {
      Line(depth + 1, "lambda:");
      DumpBlock(instr.lambda->body, depth + 2);
    }
    static constexpr const char* kIfLabels[] = {"then:", "else:"};
    static constexpr const char* kTryLabels[] = {"body:", "catch:"};
    for (size_t i = 0; i < instr.blocks.size(); ++i) {
      std::string label;
      if (instr.op == Op::kIf && i < 2) label = kIfLabels[i];
      else if (instr.op == Op::kTry && i < 2) label = kTryLabels[i];
      else if (instr.op == Op::kParallel) label = fmt::format("branch {}:", i);
      else label = "do:";
      if (instr.blocks[i].instrs.empty() && instr.op == Op::kIf && i == 1) continue;
      Line(depth + 1, label);
      DumpBlock(instr.blocks[i], depth + 2);
    }
  }

  const Module& module_;
  const compiler::SourceMap* sources_;
  std::string out_;
};

}  // namespace

std::string DumpModule(const Module& module, const compiler::SourceMap* sources) {
  return Dumper(module, sources).Run();
}

std::string DumpPlan(const Module& module, const compiler::SourceMap* sources, const ReadOnlyLookup& read_only) {
  std::string out;
  bool any_tool = false;
  for (const Function& fn : module.functions) {
    if (fn.is_test) continue;  // `run` never runs tests
    out += fmt::format("workflow {}\n", fn.name);
    auto nodes = DependencyGraph(fn);
    if (nodes.empty()) out += "  (no calls)\n";
    for (const CallNode& node : nodes) {
      std::string what;
      std::string order;
      if (node.instr->op == Op::kCallTool) {
        const Server& server = module.servers[node.instr->call->server];
        what = fmt::format("{}.{}", Name(server.alias), Name(node.instr->call->tool));
        std::optional<bool> known = read_only ? read_only(server.ConfiguredName(), node.instr->call->tool) : std::nullopt;
        order = !known ? "in program order (read-only unknown), " : *known ? "read-only, " : "in program order, ";
        any_tool = true;
      } else {
        what = module.functions[node.instr->imm].name;
      }
      std::string deps;
      for (uint32_t d : node.depends_on) deps += fmt::format("{}@{}", deps.empty() ? "" : ", ", d);
      std::string where = Location(node.instr->span, sources);
      out += fmt::format("  @{} {}{}  {}{}\n", node.id, what, where.empty() ? "" : " (" + where + ")", order,
                         deps.empty() ? "needs nothing earlier" : "needs " + deps);
    }
  }
  if (any_tool) {
    out += "`needs @N`: the calls whose results it reads. `in program order`: a tool not annotated\n"
           "readOnlyHint (per orchestrator.lock) also waits for every earlier call, and later calls wait\n"
           "for it. `read-only`: may overlap other calls. Parallel branches and loop iterations run side by side.\n";
  }
  return out;
}

}  // namespace orch::ir
