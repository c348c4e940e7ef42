// Source loading and encoding checks. A UTF-8 byte order mark is dropped; everything
// else is kept byte for byte so spans match the file.
#include "compiler/driver/load.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace orch::compiler {
namespace {

/// Offset of the first byte that is not part of well-formed UTF-8 (RFC 3629: no
/// overlong forms, no surrogates, nothing above U+10FFFF), or npos.
size_t FindMalformedUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      ++i;
      continue;
    }
    size_t n = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (b >= 0xC2 && b <= 0xDF) {
      n = 1;
    } else if (b == 0xE0) {
      n = 2, lo = 0xA0;
    } else if ((b >= 0xE1 && b <= 0xEC) || b == 0xEE || b == 0xEF) {
      n = 2;
    } else if (b == 0xED) {
      n = 2, hi = 0x9F;
    } else if (b == 0xF0) {
      n = 3, lo = 0x90;
    } else if (b >= 0xF1 && b <= 0xF3) {
      n = 3;
    } else if (b == 0xF4) {
      n = 3, hi = 0x8F;
    } else {
      return i;
    }
    for (size_t k = 1; k <= n; ++k) {
      // A truncated or broken sequence is reported at its first byte.
      if (i + k >= s.size()) return i;
      auto c = static_cast<unsigned char>(s[i + k]);
      if (c < (k == 1 ? lo : 0x80) || c > (k == 1 ? hi : 0xBF)) return i;
    }
    i += n + 1;
  }
  return std::string_view::npos;
}

}  // namespace

std::optional<FileId> AddSource(const std::string& display_path, std::string text, SourceMap& sources,
                                DiagnosticSink& sink) {
  if (text.size() >= 3 && text.compare(0, 3, "\xEF\xBB\xBF") == 0) text.erase(0, 3);
  if (text.size() >= UINT32_MAX) {
    sink.Report(DiagKind::kCannotReadFile, Span{}, {display_path, "the file is larger than 4 GiB"});
    return std::nullopt;
  }
  size_t nul = text.find('\0');
  size_t bad = FindMalformedUtf8(text);
  FileId id = sources.Add(display_path, std::move(text));
  const std::string& stored = sources.file(id).text();
  if (nul != std::string::npos && (bad == std::string_view::npos || nul <= bad)) {
    auto at = static_cast<uint32_t>(nul);
    sink.Report(DiagKind::kNulByte, Span{id, at, at + 1})
        .WithLabel("NUL byte here")
        .AddHelp("if this is a UTF-16 file, re-save it as UTF-8");
    return std::nullopt;
  }
  if (bad != std::string_view::npos) {
    auto at = static_cast<uint32_t>(bad);
    sink.Report(DiagKind::kMalformedUtf8, Span{id, at, at + 1},
                {fmt::format("{:02X}", static_cast<unsigned char>(stored[bad]))})
        .WithLabel("this byte")
        .AddHelp("re-save the file as UTF-8");
    return std::nullopt;
  }
  return id;
}

std::optional<FileId> LoadSource(const std::string& path, SourceMap& sources, DiagnosticSink& sink) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    sink.Report(DiagKind::kNotAFile, Span{}, {path});
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    int err = errno;
    sink.Report(DiagKind::kCannotReadFile, Span{}, {path, err != 0 ? std::strerror(err) : "cannot open the file"});
    return std::nullopt;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) {
    sink.Report(DiagKind::kCannotReadFile, Span{}, {path, "read error"});
    return std::nullopt;
  }
  return AddSource(path, std::move(buffer).str(), sources, sink);
}

}  // namespace orch::compiler
