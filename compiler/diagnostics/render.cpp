// Human, short and JSON renderings of diagnostics. Line/column are computed here, and
// only here, from byte offsets.
#include "compiler/diagnostics/render.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "runtime/value/json.h"

namespace orch::compiler {
namespace {

const char* SeverityName(Severity s) {
  switch (s) {
    case Severity::kError: return "error";
    case Severity::kWarning: return "warning";
    case Severity::kNote: return "note";
  }
  return "error";
}

struct Style {
  bool on;
  std::string Paint(std::string_view code, std::string_view text) const {
    if (!on) return std::string(text);
    return fmt::format("\x1b[{}m{}\x1b[0m", code, text);
  }
};

const char* SeverityColor(Severity s) {
  switch (s) {
    case Severity::kError: return "1;31";
    case Severity::kWarning: return "1;33";
    case Severity::kNote: return "1;36";
  }
  return "1";
}

// Display width of the bytes [from, to) of a line: code points, tabs as one column.
uint32_t Columns(std::string_view line, size_t from, size_t to) {
  uint32_t n = 0;
  to = std::min(to, line.size());
  for (size_t i = from; i < to; ++i) {
    if ((static_cast<unsigned char>(line[i]) & 0xC0) != 0x80) ++n;
  }
  return n;
}

// Replace tabs by spaces so carets line up.
std::string Printable(std::string_view line) {
  std::string out;
  out.reserve(line.size());
  for (char c : line) out += (c == '\t') ? ' ' : c;
  return out;
}

std::string Location(const Span& span, const SourceMap& sources) {
  if (!span.valid() || span.file >= sources.size()) return "";
  const SourceFile& f = sources.file(span.file);
  LineCol lc = f.Locate(span.begin);
  return fmt::format("{}:{}:{}", f.path(), lc.line, lc.column);
}

struct Mark {
  uint32_t begin_col;  // 0-based display columns
  uint32_t width;
  bool primary;
  std::string text;
};

}  // namespace

std::string RenderShort(const Diagnostic& d, const SourceMap& sources) {
  std::string loc = Location(d.primary.span, sources);
  return fmt::format("{}{}{}[{}]: {}", loc, loc.empty() ? "" : ": ", SeverityName(d.severity), d.code(),
                     d.message);
}

std::string RenderHuman(const Diagnostic& d, const SourceMap& sources, const RenderOptions& options) {
  Style style{options.color};
  std::string out;
  std::string loc = Location(d.primary.span, sources);
  if (!loc.empty()) out += style.Paint("1", loc + ": ");
  out += style.Paint(SeverityColor(d.severity), fmt::format("{}[{}]", SeverityName(d.severity), d.code()));
  out += style.Paint("1", ": " + d.message);
  out += '\n';

  // Collect marks per line of the primary file (secondary spans in other files are listed as notes).
  std::map<uint32_t, std::vector<Mark>> lines;
  std::vector<std::string> extra_notes;
  FileId file = d.primary.span.file;
  auto add = [&](const Label& label, bool primary) {
    if (!label.span.valid() || label.span.file >= sources.size()) return;
    if (label.span.file != file) {
      extra_notes.push_back(fmt::format("{}: {}", Location(label.span, sources), label.text));
      return;
    }
    const SourceFile& f = sources.file(file);
    LineCol b = f.Locate(label.span.begin);
    std::string_view text = f.Line(b.line);
    size_t line_start = static_cast<size_t>(label.span.begin) - (text.data() - f.text().data());
    size_t end_in_line = std::min<size_t>(text.size(), line_start + (label.span.end - label.span.begin));
    uint32_t width = std::max<uint32_t>(1, Columns(text, line_start, end_in_line));
    lines[b.line].push_back(Mark{b.column - 1, width, primary, label.text});
  };
  add(d.primary, true);
  for (const auto& s : d.secondary) add(s, false);

  if (!lines.empty()) {
    const SourceFile& f = sources.file(file);
    size_t gutter = std::to_string(lines.rbegin()->first).size();
    std::string pad(gutter, ' ');
    std::string bar = style.Paint("1;34", "|");
    out += fmt::format("{} {}\n", pad, bar);
    uint32_t previous = 0;
    for (auto& [line_no, marks] : lines) {
      if (previous && line_no > previous + 1) out += fmt::format("{} {}\n", pad, style.Paint("1;34", "..."));
      previous = line_no;
      out += fmt::format("{} {} {}\n", style.Paint("1;34", fmt::format("{:>{}}", line_no, gutter)), bar,
                         Printable(f.Line(line_no)));
      std::sort(marks.begin(), marks.end(), [](const Mark& a, const Mark& b) { return a.begin_col < b.begin_col; });
      // Underline all marks of the line on one row; the last mark's label goes beside it,
      // earlier labels get their own rows below.
      std::string underline;
      for (const Mark& m : marks) {
        if (underline.size() < m.begin_col) underline.append(m.begin_col - underline.size(), ' ');
        std::string glyphs(m.width, m.primary ? '^' : '-');
        underline += style.Paint(m.primary ? SeverityColor(d.severity) : "1;34", glyphs);
      }
      const Mark& last = marks.back();
      if (!last.text.empty()) underline += " " + style.Paint(last.primary ? SeverityColor(d.severity) : "1;34", last.text);
      out += fmt::format("{} {} {}\n", pad, bar, underline);
      for (size_t i = 0; i + 1 < marks.size(); ++i) {
        if (marks[i].text.empty()) continue;
        out += fmt::format("{} {} {}{}\n", pad, bar, std::string(marks[i].begin_col, ' '), marks[i].text);
      }
    }
    if (!d.notes.empty() || !d.help.empty() || !extra_notes.empty()) out += fmt::format("{} {}\n", pad, bar);
    for (const auto& n : extra_notes) out += fmt::format("{} = {}: {}\n", pad, style.Paint("1", "note"), n);
    for (const auto& n : d.notes) out += fmt::format("{} = {}: {}\n", pad, style.Paint("1", "note"), n);
    for (const auto& h : d.help) out += fmt::format("{} = {}: {}\n", pad, style.Paint("1", "help"), h);
  } else {
    for (const auto& n : extra_notes) out += fmt::format("  = note: {}\n", n);
    for (const auto& n : d.notes) out += fmt::format("  = note: {}\n", n);
    for (const auto& h : d.help) out += fmt::format("  = help: {}\n", h);
  }
  return out;
}

namespace {
void AppendSpanJson(std::string& out, const Span& span, const SourceMap& sources) {
  if (!span.valid() || span.file >= sources.size()) {
    out += "null";
    return;
  }
  const SourceFile& f = sources.file(span.file);
  LineCol b = f.Locate(span.begin);
  LineCol e = f.Locate(span.end);
  out += "{\"file\":";
  AppendJsonString(out, f.path());
  out += fmt::format(",\"byte_start\":{},\"byte_end\":{},\"line\":{},\"column\":{},\"end_line\":{},\"end_column\":{}}}",
                     span.begin, span.end, b.line, b.column, e.line, e.column);
}

void AppendStrings(std::string& out, const std::vector<std::string>& items) {
  out += '[';
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += ',';
    AppendJsonString(out, items[i]);
  }
  out += ']';
}
}  // namespace

std::string RenderJson(const Diagnostic& d, const SourceMap& sources) {
  std::string out = "{\"severity\":";
  AppendJsonString(out, SeverityName(d.severity));
  out += ",\"code\":";
  AppendJsonString(out, d.code());
  out += ",\"kind\":";
  AppendJsonString(out, InfoOf(d.kind).name);
  out += ",\"message\":";
  AppendJsonString(out, d.message);
  out += ",\"span\":";
  AppendSpanJson(out, d.primary.span, sources);
  out += ",\"labels\":[";
  bool first = true;
  auto label = [&](const Label& l, bool primary) {
    if (!first) out += ',';
    first = false;
    out += "{\"span\":";
    AppendSpanJson(out, l.span, sources);
    out += ",\"text\":";
    AppendJsonString(out, l.text);
    out += primary ? ",\"primary\":true}" : ",\"primary\":false}";
  };
  label(d.primary, true);
  for (const auto& s : d.secondary) label(s, false);
  out += "],\"notes\":";
  AppendStrings(out, d.notes);
  out += ",\"help\":";
  AppendStrings(out, d.help);
  out += ",\"fixits\":[";
  for (size_t i = 0; i < d.fixits.size(); ++i) {
    if (i) out += ',';
    out += "{\"span\":";
    AppendSpanJson(out, d.fixits[i].span, sources);
    out += ",\"replacement\":";
    AppendJsonString(out, d.fixits[i].replacement);
    out += '}';
  }
  out += "],\"rendered\":";
  AppendJsonString(out, RenderShort(d, sources));
  out += '}';
  return out;
}

std::string RenderJsonArray(const std::vector<Diagnostic>& ds, const SourceMap& sources) {
  std::string out = "[";
  for (size_t i = 0; i < ds.size(); ++i) {
    if (i) out += ',';
    out += RenderJson(ds[i], sources);
  }
  out += ']';
  return out;
}

std::string Summary(const std::vector<Diagnostic>& ds) {
  size_t errors = 0, warnings = 0;
  for (const auto& d : ds) {
    if (d.severity == Severity::kError) ++errors;
    if (d.severity == Severity::kWarning) ++warnings;
  }
  std::vector<std::string> parts;
  if (errors) parts.push_back(fmt::format("{} error{}", errors, errors == 1 ? "" : "s"));
  if (warnings) parts.push_back(fmt::format("{} warning{}", warnings, warnings == 1 ? "" : "s"));
  return fmt::format("{}", fmt::join(parts, ", "));
}

}  // namespace orch::compiler
