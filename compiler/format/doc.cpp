// The Doc printer: a worklist of (indent, mode, doc); a group is printed flat when the
// rest of it fits on the current line, else broken. Widths count UTF-8 code points.
#include "compiler/format/doc.h"

#include <utility>

namespace orch::compiler::format {
namespace {

Doc Make(DocNode node) { return std::make_shared<const DocNode>(std::move(node)); }

size_t Columns(const std::string& text) {
  size_t n = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) != 0x80) ++n;
  }
  return n;
}

enum class Mode { kFlat, kBreak };

struct Item {
  int indent;
  Mode mode;
  const DocNode* doc;
};

// True when the items fit in `remaining` columns up to the next line break of a broken
// group (or the end). The group being tested is on top of `stack`, flat; below it is what
// follows it, in the modes of its enclosing groups. A group in what follows takes its
// enclosing mode, so when that is broken the test stops at the group's first line break:
// a later group can break on its own, and only the text before that break must share
// this line (`f(a, b) => {` fits even when the record after `=>` does not).
bool Fits(std::vector<Item> stack, long remaining) {
  while (remaining >= 0 && !stack.empty()) {
    Item item = stack.back();
    stack.pop_back();
    const DocNode& d = *item.doc;
    switch (d.kind) {
      case DocNode::Kind::kText:
        remaining -= static_cast<long>(Columns(d.text));
        break;
      case DocNode::Kind::kLine:
        if (item.mode == Mode::kBreak) return true;
        remaining -= 1;
        break;
      case DocNode::Kind::kSoftLine:
        if (item.mode == Mode::kBreak) return true;
        break;
      case DocNode::Kind::kConcat:
        for (auto it = d.parts.rbegin(); it != d.parts.rend(); ++it) stack.push_back({item.indent, item.mode, it->get()});
        break;
      case DocNode::Kind::kNest:
        stack.push_back({item.indent + d.indent, item.mode, d.parts[0].get()});
        break;
      case DocNode::Kind::kGroup:
        stack.push_back({item.indent, item.mode, d.parts[0].get()});
        break;
      case DocNode::Kind::kIfBreak:
        if (item.mode == Mode::kBreak) stack.push_back({item.indent, item.mode, d.parts[0].get()});
        break;
    }
  }
  return remaining >= 0;
}

}  // namespace

Doc Text(std::string text) { return Make({DocNode::Kind::kText, std::move(text), {}, 0}); }
Doc Line() { return Make({DocNode::Kind::kLine, "", {}, 0}); }
Doc SoftLine() { return Make({DocNode::Kind::kSoftLine, "", {}, 0}); }
Doc Concat(std::vector<Doc> parts) { return Make({DocNode::Kind::kConcat, "", std::move(parts), 0}); }
Doc Nest(int indent, Doc doc) { return Make({DocNode::Kind::kNest, "", {std::move(doc)}, indent}); }
Doc Group(Doc doc) { return Make({DocNode::Kind::kGroup, "", {std::move(doc)}, 0}); }
Doc IfBreak(Doc doc) { return Make({DocNode::Kind::kIfBreak, "", {std::move(doc)}, 0}); }

size_t FlatWidth(const Doc& doc) {
  switch (doc->kind) {
    case DocNode::Kind::kText: return Columns(doc->text);
    case DocNode::Kind::kLine: return 1;
    case DocNode::Kind::kSoftLine:
    case DocNode::Kind::kIfBreak: return 0;
    case DocNode::Kind::kConcat: {
      size_t n = 0;
      for (const Doc& p : doc->parts) n += FlatWidth(p);
      return n;
    }
    case DocNode::Kind::kNest:
    case DocNode::Kind::kGroup: return FlatWidth(doc->parts[0]);
  }
  return 0;
}

std::string Print(const Doc& doc, int indent, int width) {
  std::string out;
  long column = indent;
  std::vector<Item> stack{{indent, Mode::kBreak, doc.get()}};
  while (!stack.empty()) {
    Item item = stack.back();
    stack.pop_back();
    const DocNode& d = *item.doc;
    switch (d.kind) {
      case DocNode::Kind::kText:
        out += d.text;
        column += static_cast<long>(Columns(d.text));
        break;
      case DocNode::Kind::kLine:
      case DocNode::Kind::kSoftLine:
        if (item.mode == Mode::kFlat) {
          if (d.kind == DocNode::Kind::kLine) {
            out += ' ';
            column += 1;
          }
        } else {
          out += '\n';
          out.append(static_cast<size_t>(item.indent), ' ');
          column = item.indent;
        }
        break;
      case DocNode::Kind::kConcat:
        for (auto it = d.parts.rbegin(); it != d.parts.rend(); ++it) stack.push_back({item.indent, item.mode, it->get()});
        break;
      case DocNode::Kind::kNest:
        stack.push_back({item.indent + d.indent, item.mode, d.parts[0].get()});
        break;
      case DocNode::Kind::kGroup: {
        std::vector<Item> rest = stack;
        rest.push_back({item.indent, Mode::kFlat, d.parts[0].get()});
        // Only the group itself and what follows it on the same line must fit.
        bool fits = item.mode == Mode::kFlat || Fits(std::move(rest), width - column);
        stack.push_back({item.indent, fits ? Mode::kFlat : Mode::kBreak, d.parts[0].get()});
        break;
      }
      case DocNode::Kind::kIfBreak:
        if (item.mode == Mode::kBreak) stack.push_back({item.indent, item.mode, d.parts[0].get()});
        break;
    }
  }
  return out;
}

}  // namespace orch::compiler::format
