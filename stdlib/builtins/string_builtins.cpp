// String built-ins: join split upper lower trim replace contains starts_with ends_with
// matches format. Case mapping is ASCII-only (bytes ≥ 0x80 pass through untouched, so
// UTF-8 text is never broken). `matches` uses POSIX extended regular expressions (glibc
// regcomp), whose matcher does not recurse per input byte, so long inputs cannot overflow
// the stack.
#include <regex.h>

#include <list>
#include <memory>

#include "stdlib/builtins/builtin_functions.h"
#include "stdlib/builtins/builtin_helpers.h"

namespace orch::stdlib::detail {
namespace {

bool IsSpace(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

/// A compiled POSIX regex, freed with regfree.
struct CompiledRegex {
  regex_t re;
  bool compiled = false;
  ~CompiledRegex() {
    if (compiled) regfree(&re);
  }
};

/// Compiles `pattern`, remembering the last few patterns per thread (workflows tend to
/// call `matches` in a loop with one pattern).
ErrorOr<const CompiledRegex*> CompileRegex(const std::string& pattern) {
  thread_local std::list<std::pair<std::string, std::unique_ptr<CompiledRegex>>> cache;
  for (auto it = cache.begin(); it != cache.end(); ++it) {
    if (it->first == pattern) {
      cache.splice(cache.begin(), cache, it);
      return cache.front().second.get();
    }
  }
  auto compiled = std::make_unique<CompiledRegex>();
  int rc = regcomp(&compiled->re, pattern.c_str(), REG_EXTENDED | REG_NOSUB);
  if (rc != 0) {
    char buffer[256];
    regerror(rc, &compiled->re, buffer, sizeof buffer);
    return MakeError("value", fmt::format("bad regular expression `{}`: {}", pattern, buffer));
  }
  compiled->compiled = true;
  cache.emplace_front(pattern, std::move(compiled));
  if (cache.size() > 16) cache.pop_back();
  return cache.front().second.get();
}

/// Resolves a dotted path ("a.b") in a record for `format`.
const Value* Lookup(const Value& record, std::string_view path) {
  const Value* current = &record;
  while (current) {
    size_t dot = path.find('.');
    current = current->Find(path.substr(0, dot));
    if (dot == std::string_view::npos) return current;
    path.remove_prefix(dot + 1);
  }
  return nullptr;
}

}  // namespace

ErrorOr<Value> Join(std::span<const Value> args, const interp::Callable*) {
  ORCH_EXPECT_KIND("join", args, 0, is_list, "a list");
  ORCH_EXPECT_KIND("join", args, 1, is_string, "a string");
  const std::string& sep = args[1].as_string();
  std::string out;
  bool first = true;
  for (const Value& x : args[0].as_list()) {
    if (x.is_list() || x.is_record()) {
      return ValueError(fmt::format("`join` joins strings and scalars, but the list holds a {}", interp::TypeName(x)));
    }
    if (!first) out += sep;
    first = false;
    interp::AppendDisplay(out, x);
  }
  return Value(std::move(out));
}

ErrorOr<Value> Split(std::span<const Value> args, const interp::Callable*) {
  ORCH_EXPECT_KIND("split", args, 0, is_string, "a string");
  ORCH_EXPECT_KIND("split", args, 1, is_string, "a string");
  const std::string& s = args[0].as_string();
  const std::string& sep = args[1].as_string();
  List out;
  if (sep.empty()) {
    // Split into characters (UTF-8 code points).
    for (size_t i = 0; i < s.size();) {
      size_t j = i + 1;
      while (j < s.size() && (static_cast<unsigned char>(s[j]) & 0xC0) == 0x80) ++j;
      out.emplace_back(s.substr(i, j - i));
      i = j;
    }
    return Value(std::move(out));
  }
  size_t start = 0;
  while (true) {
    size_t at = s.find(sep, start);
    if (at == std::string::npos) {
      out.emplace_back(s.substr(start));
      break;
    }
    out.emplace_back(s.substr(start, at - start));
    start = at + sep.size();
  }
  return Value(std::move(out));
}

ErrorOr<Value> Upper(std::span<const Value> args, const interp::Callable*) {
  ORCH_EXPECT_KIND("upper", args, 0, is_string, "a string");
  std::string s = args[0].as_string();
  for (char& c : s) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return Value(std::move(s));
}

ErrorOr<Value> Lower(std::span<const Value> args, const interp::Callable*) {
  ORCH_EXPECT_KIND("lower", args, 0, is_string, "a string");
  std::string s = args[0].as_string();
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return Value(std::move(s));
}

ErrorOr<Value> Trim(std::span<const Value> args, const interp::Callable*) {
  ORCH_EXPECT_KIND("trim", args, 0, is_string, "a string");
  const std::string& s = args[0].as_string();
  size_t b = 0, e = s.size();
  while (b < e && IsSpace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && IsSpace(static_cast<unsigned char>(s[e - 1]))) --e;
  return Value(s.substr(b, e - b));
}

ErrorOr<Value> Replace(std::span<const Value> args, const interp::Callable*) {
  ORCH_EXPECT_KIND("replace", args, 0, is_string, "a string");
  ORCH_EXPECT_KIND("replace", args, 1, is_string, "a string");
  ORCH_EXPECT_KIND("replace", args, 2, is_string, "a string");
  const std::string& s = args[0].as_string();
  const std::string& from = args[1].as_string();
  const std::string& to = args[2].as_string();
  if (from.empty()) return args[0];
  std::string out;
  out.reserve(s.size());
  size_t start = 0;
  while (true) {
    size_t at = s.find(from, start);
    if (at == std::string::npos) break;
    out.append(s, start, at - start);
    out += to;
    start = at + from.size();
  }
  out.append(s, start, std::string::npos);
  return Value(std::move(out));
}

ErrorOr<Value> ContainsFn(std::span<const Value> args, const interp::Callable*) {
  auto r = interp::Contains(args[0], args[1]);
  if (!r) return MakeError("type", fmt::format("`contains`: {}", r.error().message));
  return r;
}

ErrorOr<Value> StartsWith(std::span<const Value> args, const interp::Callable*) {
  ORCH_EXPECT_KIND("starts_with", args, 0, is_string, "a string");
  ORCH_EXPECT_KIND("starts_with", args, 1, is_string, "a string");
  return Value(args[0].as_string().starts_with(args[1].as_string()));
}

ErrorOr<Value> EndsWith(std::span<const Value> args, const interp::Callable*) {
  ORCH_EXPECT_KIND("ends_with", args, 0, is_string, "a string");
  ORCH_EXPECT_KIND("ends_with", args, 1, is_string, "a string");
  return Value(args[0].as_string().ends_with(args[1].as_string()));
}

ErrorOr<Value> Matches(std::span<const Value> args, const interp::Callable*) {
  ORCH_EXPECT_KIND("matches", args, 0, is_string, "a string");
  ORCH_EXPECT_KIND("matches", args, 1, is_string, "a string");
  auto re = CompileRegex(args[1].as_string());
  if (!re) return re.error();
  const std::string& s = args[0].as_string();
  if (s.find('\0') != std::string::npos) {
    return ValueError("`matches` cannot search a string that contains a NUL character");
  }
  return Value(regexec(&(*re)->re, s.c_str(), 0, nullptr, 0) == 0);
}

ErrorOr<Value> Format(std::span<const Value> args, const interp::Callable*) {
  ORCH_EXPECT_KIND("format", args, 0, is_string, "a string");
  ORCH_EXPECT_KIND("format", args, 1, is_record, "a record");
  const std::string& t = args[0].as_string();
  std::string out;
  out.reserve(t.size());
  for (size_t i = 0; i < t.size(); ++i) {
    char c = t[i];
    if (c == '{' && i + 1 < t.size() && t[i + 1] == '{') {
      out += '{';
      ++i;
    } else if (c == '}' && i + 1 < t.size() && t[i + 1] == '}') {
      out += '}';
      ++i;
    } else if (c == '{') {
      size_t close = t.find('}', i + 1);
      if (close == std::string::npos) {
        return ValueError(fmt::format("`format` template has an unclosed `{{` at byte {}", i));
      }
      std::string_view name(t.data() + i + 1, close - i - 1);
      const Value* field = Lookup(args[1], name);
      if (!field) return ValueError(fmt::format("`format` template names `{}`, which the record does not have", name));
      interp::AppendDisplay(out, *field);
      i = close;
    } else {
      out += c;
    }
  }
  return Value(std::move(out));
}

}  // namespace orch::stdlib::detail
