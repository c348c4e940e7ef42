// A small pretty-printing document algebra (after Wadler's "prettier printer"): text,
// line breaks that become a space or nothing when their group fits on the line, nesting,
// groups, and pieces that appear only when their group is broken (trailing commas). The
// formatter builds one Doc per expression and prints it at the statement's indentation.
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace orch::compiler::format {

struct DocNode;
/// An immutable document; cheap to copy and share.
using Doc = std::shared_ptr<const DocNode>;

struct DocNode {
  enum class Kind { kText, kLine, kSoftLine, kConcat, kNest, kGroup, kIfBreak };
  Kind kind = Kind::kText;
  std::string text;        ///< kText
  std::vector<Doc> parts;  ///< kConcat; kNest/kGroup/kIfBreak use parts[0]
  int indent = 0;          ///< kNest
};

/// Literal text (must not contain a newline).
Doc Text(std::string text);
/// A space when the enclosing group is flat, a newline and indentation when broken.
Doc Line();
/// Nothing when flat, a newline when broken.
Doc SoftLine();
/// The parts one after another.
Doc Concat(std::vector<Doc> parts);
/// `doc` with line breaks inside indented `indent` more columns.
Doc Nest(int indent, Doc doc);
/// Printed flat when it fits in the remaining width, broken otherwise.
Doc Group(Doc doc);
/// `doc` only when the enclosing group is broken (e.g. a trailing comma).
Doc IfBreak(Doc doc);

/// Prints `doc` starting at column `indent` (the first line is not indented by this
/// call), breaking groups that do not fit in `width` columns.
std::string Print(const Doc& doc, int indent, int width);
/// The flat (single-line) width of `doc`.
size_t FlatWidth(const Doc& doc);

}  // namespace orch::compiler::format
