// SourceFile and Span: program text and byte ranges into it. Line and column are computed
// only when a diagnostic is rendered, from a line-start table built once per file.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace orch::compiler {

/// Index of a file in a SourceMap.
using FileId = uint32_t;
inline constexpr FileId kNoFile = UINT32_MAX;

/// A half-open byte range [begin, end) in one file.
struct Span {
  FileId file = kNoFile;
  uint32_t begin = 0;
  uint32_t end = 0;
  bool valid() const { return file != kNoFile; }
  /// The smallest span covering both (same file assumed).
  Span To(const Span& other) const { return Span{file, begin, other.end > end ? other.end : end}; }
  friend bool operator==(const Span&, const Span&) = default;
};

/// 1-based line and column; the column counts UTF-8 code points, not bytes.
struct LineCol {
  uint32_t line = 1;
  uint32_t column = 1;
};

/// One loaded file: its display path and text.
class SourceFile {
 public:
  SourceFile(std::string path, std::string text);
  const std::string& path() const { return path_; }
  const std::string& text() const { return text_; }
  LineCol Locate(uint32_t offset) const;
  /// Text of the 1-based line, without its newline.
  std::string_view Line(uint32_t line) const;
  uint32_t line_count() const { return static_cast<uint32_t>(line_starts_.size()); }

 private:
  std::string path_;
  std::string text_;
  std::vector<uint32_t> line_starts_;
};

/// Owns every file of a compilation; spans refer to files by FileId. Files never move.
class SourceMap {
 public:
  FileId Add(std::string path, std::string text);
  const SourceFile& file(FileId id) const { return files_[id]; }
  size_t size() const { return files_.size(); }

 private:
  std::deque<SourceFile> files_;
};

}  // namespace orch::compiler
