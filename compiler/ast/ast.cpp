// Out-of-line helpers of the AST: kind names, operator spellings and precedences (all
// expanded from the tables, so nothing here is a second list), and small node queries.
#include "compiler/ast/ast.h"

#include <cmath>

namespace orch::compiler::ast {

std::string_view KindName(DeclKind kind) {
  switch (kind) {
#define ORCH_AST_DECL(Name) \
  case DeclKind::k##Name:   \
    return #Name;
#include "compiler/ast/nodes.def"
  }
  return "?";
}

std::string_view KindName(StmtKind kind) {
  switch (kind) {
#define ORCH_AST_STMT(Name) \
  case StmtKind::k##Name:   \
    return #Name;
#include "compiler/ast/nodes.def"
  }
  return "?";
}

std::string_view KindName(ExprKind kind) {
  switch (kind) {
#define ORCH_AST_EXPR(Name) \
  case ExprKind::k##Name:   \
    return #Name;
#include "compiler/ast/nodes.def"
  }
  return "?";
}

std::string_view KindName(TypeKind kind) {
  switch (kind) {
#define ORCH_AST_TYPE(Name) \
  case TypeKind::k##Name:   \
    return #Name;
#include "compiler/ast/nodes.def"
  }
  return "?";
}

std::string_view Spelling(BinaryOp op) {
  switch (op) {
#define ORCH_BINARY_OP(Name, Spelling, Precedence) \
  case BinaryOp::k##Name:                          \
    return Spelling;
#include "grammar/tokens.def"
  }
  return "?";
}

std::string_view Spelling(UnaryOp op) {
  switch (op) {
#define ORCH_UNARY_OP(Name, Spelling, Precedence) \
  case UnaryOp::k##Name:                          \
    return Spelling;
#include "grammar/tokens.def"
  }
  return "?";
}

std::string_view Spelling(DurationUnit unit) {
  switch (unit) {
#define ORCH_DURATION_UNIT(Name, Suffix, Milliseconds) \
  case DurationUnit::k##Name:                          \
    return Suffix;
#include "grammar/tokens.def"
  }
  return "?";
}

std::string_view Spelling(PrimitiveKind kind) {
  switch (kind) {
#define ORCH_TYPE_NAME(Name, Spelling) \
  case PrimitiveKind::k##Name:         \
    return Spelling;
#include "grammar/tokens.def"
  }
  return "?";
}

int Precedence(BinaryOp op) {
  switch (op) {
#define ORCH_BINARY_OP(Name, Spelling, Precedence) \
  case BinaryOp::k##Name:                          \
    return Precedence;
#include "grammar/tokens.def"
  }
  return 0;
}

int Precedence(UnaryOp op) {
  switch (op) {
#define ORCH_UNARY_OP(Name, Spelling, Precedence) \
  case UnaryOp::k##Name:                          \
    return Precedence;
#include "grammar/tokens.def"
  }
  return 0;
}

int64_t Milliseconds(DurationUnit unit) {
  switch (unit) {
#define ORCH_DURATION_UNIT(Name, Suffix, Milliseconds) \
  case DurationUnit::k##Name:                          \
    return Milliseconds;
#include "grammar/tokens.def"
  }
  return 0;
}

bool IsComparison(BinaryOp op) {
  switch (op) {
    case BinaryOp::kEq:
    case BinaryOp::kNe:
    case BinaryOp::kLt:
    case BinaryOp::kLe:
    case BinaryOp::kGt:
    case BinaryOp::kGe:
    case BinaryOp::kIn:
      return true;
    default:
      return false;
  }
}

bool StringExpr::IsPlain() const {
  for (const auto& part : parts) {
    if (part.kind == StringPart::Kind::kInterpolation) return false;
  }
  return true;
}

std::optional<std::string> StringExpr::PlainValue() const {
  if (!IsPlain()) return std::nullopt;
  std::string value;
  for (const auto& part : parts) value += part.text;
  return value;
}

std::optional<int64_t> DurationExpr::TotalMilliseconds() const {
  double total = amount * static_cast<double>(Milliseconds(unit));
  if (!std::isfinite(total) || total < 0 || total >= 9.2e18) return std::nullopt;
  if (total != std::floor(total)) return std::nullopt;
  return static_cast<int64_t>(total);
}

std::vector<const WorkflowDecl*> AgentDecl::Workflows() const {
  std::vector<const WorkflowDecl*> out;
  for (const auto& member : members) {
    if (const auto* workflow = DynCast<WorkflowDecl>(member.get())) out.push_back(workflow);
  }
  return out;
}

std::vector<const ToolPattern*> AgentDecl::Uses() const {
  std::vector<const ToolPattern*> out;
  for (const auto& member : members) {
    if (const auto* uses = DynCast<UsesDecl>(member.get())) {
      for (const auto& pattern : uses->tools) out.push_back(&pattern);
    }
  }
  return out;
}

}  // namespace orch::compiler::ast
