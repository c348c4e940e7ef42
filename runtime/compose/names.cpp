// Identifier rules for generated source, from the grammar's own tables.
#include "runtime/compose/names.h"

#include <cctype>

#include "grammar/tokens.h"

namespace orch::compose {

namespace {

bool IsBuiltinFunction(std::string_view name) {
  for (const auto& b : grammar::kBuiltins) {
    if (b.spelling == name) return true;
  }
  return false;
}

}  // namespace

bool IsPlainName(std::string_view name) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(name[i]);
    if (!(std::isalpha(c) || c == '_' || (i > 0 && std::isdigit(c)))) return false;
  }
  return !grammar::IsKeyword(name);
}

std::string SourceName(std::string_view name) {
  if (IsPlainName(name)) return std::string(name);
  return "`" + std::string(name) + "`";
}

std::string IdentifierFrom(std::string_view text, std::string_view fallback) {
  std::string out;
  for (char ch : text) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) && c < 0x80) {
      out += ch;
    } else if (!out.empty() && out.back() != '_') {
      out += '_';
    }
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  if (!out.empty() && std::isdigit(static_cast<unsigned char>(out[0]))) out = "_" + out;
  if (out.empty()) out = std::string(fallback);
  return out;
}

std::string UniqueName(const std::string& base, std::set<std::string>& taken) {
  std::string name = base;
  for (int n = 2; taken.count(name) || !IsPlainName(name) || IsBuiltinFunction(name); ++n) {
    name = base + "_" + std::to_string(n);
  }
  taken.insert(name);
  return name;
}

}  // namespace orch::compose
