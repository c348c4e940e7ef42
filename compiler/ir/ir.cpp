// IR helpers: opcode names, function lookup and the call dependency graph.
#include "compiler/ir/ir.h"

#include <algorithm>
#include <unordered_map>

namespace orch::ir {

std::string_view Mnemonic(Op op) {
  switch (op) {
#define ORCH_IR_OP(Name, Spelling, Doc) \
  case Op::k##Name:                     \
    return Spelling;
#include "compiler/ir/ops.def"
  }
  return "?";
}

std::string_view TypeTagName(TypeTag tag) {
  switch (tag) {
    case TypeTag::kAny: return "any";
    case TypeTag::kNull: return "null";
    case TypeTag::kBool: return "bool";
    case TypeTag::kInt: return "int";
    case TypeTag::kNumber: return "number";
    case TypeTag::kString: return "string";
    case TypeTag::kList: return "list";
    case TypeTag::kRecord: return "record";
  }
  return "?";
}

uint32_t Module::FindFunction(std::string_view name) const {
  for (size_t i = 0; i < functions.size(); ++i) {
    if (!functions[i].is_test && functions[i].name == name) return static_cast<uint32_t>(i);
  }
  return kNone;
}

namespace {

using Sources = std::vector<uint32_t>;  // sorted call ids

void Merge(Sources& into, const Sources& from) {
  Sources out;
  out.reserve(into.size() + from.size());
  std::set_union(into.begin(), into.end(), from.begin(), from.end(), std::back_inserter(out));
  into = std::move(out);
}

/// Tracks, per register, which calls its value derives from.
class DependencyWalker {
 public:
  explicit DependencyWalker(size_t num_regs) : sources_(num_regs) {}

  void Walk(const Block& block) {
    for (const Instr& instr : block.instrs) Visit(instr);
  }

  std::vector<CallNode> TakeNodes() { return std::move(nodes_); }

 private:
  Sources Read(const std::vector<Reg>& regs) {
    Sources s;
    for (Reg r : regs) {
      if (r != kNoReg && r < sources_.size()) Merge(s, sources_[r]);
    }
    return s;
  }

  void Write(Reg dst, const Sources& s, bool merge) {
    if (dst == kNoReg || dst >= sources_.size()) return;
    if (merge) {
      Merge(sources_[dst], s);
    } else {
      sources_[dst] = s;
    }
  }

  void Visit(const Instr& instr) {
    Sources in = Read(instr.args);
    if (instr.call) {
      const CallPolicy& p = instr.call->policy;
      Merge(in, Read({p.timeout, p.retry, p.backoff, p.cache}));
    }
    if (instr.lambda) Walk(instr.lambda->body);
    if (instr.lambda && instr.lambda->result != kNoReg) Merge(in, sources_[instr.lambda->result]);
    if (instr.op == Op::kForEach) Write(instr.dst, in, false);
    for (const Block& nested : instr.blocks) Walk(nested);
    switch (instr.op) {
      case Op::kCallTool:
      case Op::kCallWorkflow: {
        nodes_.push_back(CallNode{instr.id, &instr, in});
        Write(instr.dst, Sources{instr.id}, false);
        return;
      }
      case Op::kMove:
        // A `var` may be assigned in several branches: keep every possible source.
        Write(instr.dst, in, true);
        return;
      case Op::kForEach:
      case Op::kTry:
      case Op::kDefault:
        return;
      default:
        Write(instr.dst, in, false);
    }
  }

  std::vector<Sources> sources_;
  std::vector<CallNode> nodes_;
};

}  // namespace

namespace {

bool ReadsOrWrites(const Instr& instr, Reg reg) {
  if (instr.dst == reg) return true;
  for (Reg r : instr.args) {
    if (r == reg) return true;
  }
  if (instr.call) {
    const CallPolicy& p = instr.call->policy;
    if (p.timeout == reg || p.retry == reg || p.backoff == reg || p.cache == reg) return true;
  }
  bool found = false;
  auto check = [&](const Block& b) {
    ForEachInstr(b, [&](const Instr& inner) { found = found || ReadsOrWrites(inner, reg); });
  };
  for (const Block& b : instr.blocks) check(b);
  if (instr.lambda) {
    check(instr.lambda->body);
    if (instr.lambda->result == reg) found = true;
  }
  return found;
}

bool ContainsCall(const Instr& instr) {
  bool found = false;
  auto visit = [&](const Instr& inner) {
    found = found || inner.op == Op::kCallTool || inner.op == Op::kCallWorkflow;
  };
  visit(instr);
  for (const Block& b : instr.blocks) ForEachInstr(b, visit);
  if (instr.lambda) ForEachInstr(instr.lambda->body, visit);
  return found;
}

void MarkBlock(Block& block) {
  for (size_t i = 0; i < block.instrs.size(); ++i) {
    Instr& instr = block.instrs[i];
    for (Block& nested : instr.blocks) MarkBlock(nested);
    if (instr.lambda) MarkBlock(instr.lambda->body);
    if (instr.op != Op::kCallTool || instr.dst == kNoReg) continue;
    instr.can_overlap = false;
    for (size_t j = i + 1; j < block.instrs.size(); ++j) {
      if (ReadsOrWrites(block.instrs[j], instr.dst)) break;
      if (ContainsCall(block.instrs[j])) {
        instr.can_overlap = true;
        break;
      }
    }
  }
}

void NumberBlock(Block& block, uint32_t& next) {
  for (Instr& instr : block.instrs) {
    instr.id = next++;
    if (instr.lambda) NumberBlock(instr.lambda->body, next);
    for (Block& nested : instr.blocks) NumberBlock(nested, next);
  }
}

}  // namespace

void MarkOverlappableCalls(Function& fn) { MarkBlock(fn.body); }

void NumberInstructions(Function& fn) {
  uint32_t next = 0;
  NumberBlock(fn.body, next);
}

std::vector<CallNode> DependencyGraph(const Function& fn) {
  DependencyWalker walker(fn.regs.size());
  walker.Walk(fn.body);
  return walker.TakeNodes();
}

}  // namespace orch::ir
