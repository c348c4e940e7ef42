// The concrete syntax tree the grammar's Control records: a flat post-order array of the
// selected rules' matches (Carbon-style), built without per-node allocation and truncated
// on backtracking. parser.cpp maps grammar rules to these ids; lower.cpp turns the tree
// into the AST. PEGTL-free.
#pragma once

#include <cstdint>
#include <vector>

namespace orch::compiler::parse {

/// One id per selected grammar rule (several wrapper rules may share an id, e.g. every
/// `{ … }` statement block is kBlock).
enum class Cst : uint16_t {
  kNone,
  // Names and literals.
  kPlainName, kQuotedName, kNumber, kString, kStringText, kEscape, kInterpolation,
  kTrue, kFalse, kNull, kList, kRecord, kRecordField,
  // Postfix and operators.
  kPostfix, kMember, kOptionalField, kOptionalIndex, kIndex, kCallArgs, kNamedArgument,
  kPositionalArgument, kWith,
  kNegate, kNegateOp, kNot, kNotOp,
  kMultiplicative, kMultiplicativeOp, kAdditive, kAdditiveOp, kComparison, kComparisonOp,
  kAnd, kAndOp, kOr, kOrOp, kCoalesce, kCoalesceOp, kPipeline, kPipeOp,
  kLambda, kLambdaParamsParenthesized, kLambdaParam, kConditional,
  // Types.
  kNullType, kListType, kMapType, kRecordType, kFieldType, kFieldTypeOptional,
  kOptionalType, kOptionalMark, kUnionType,
  // Statements.
  kBlock, kLet, kBindingType, kVar, kIf, kFor, kForParallel, kParallel, kTry, kCatchName,
  kReturn, kFail, kLog, kAssert, kMock, kMockTarget, kExpressionStmt, kAssignment,
  // Declarations.
  kUse, kServer, kImport, kTypeDecl, kWorkflow, kParams, kParam, kParamDefault, kReturnType,
  kUses, kToolPattern, kToolWildcard, kAgent, kTest,
};

/// One match of a selected rule. Its descendants are nodes[subtree_begin, self).
struct CstNode {
  Cst id = Cst::kNone;
  uint32_t begin = 0;
  uint32_t end = 0;
  uint32_t subtree_begin = 0;
};

/// The recorded tree: top-level nodes are those not inside any other node's subtree.
struct CstTree {
  std::vector<CstNode> nodes;

  /// Indices of the direct children of node `index`, in source order.
  std::vector<uint32_t> Children(uint32_t index) const { return Siblings(index, nodes[index].subtree_begin); }
  /// Indices of the top-level nodes, in source order.
  std::vector<uint32_t> Roots() const { return Siblings(static_cast<uint32_t>(nodes.size()), 0); }

 private:
  /// The nodes whose subtrees tile [stop, last) (walking back from `last`), in source
  /// order; counted first so the result is allocated once, at its size.
  std::vector<uint32_t> Siblings(uint32_t last, uint32_t stop) const {
    size_t count = 0;
    for (uint32_t i = last; i > stop; i = nodes[i - 1].subtree_begin) ++count;
    std::vector<uint32_t> out(count);
    for (uint32_t i = last; i > stop; i = nodes[i - 1].subtree_begin) out[--count] = i - 1;
    return out;
  }
};

}  // namespace orch::compiler::parse
