// JSON parsing (simdjson DOM → Value) and writing (compact, pretty, canonical).
#include "runtime/value/json.h"

#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <vector>
#include <fmt/format.h>

namespace orch {
namespace {

namespace od = simdjson::ondemand;

/// Builds Values straight from simdjson's On-Demand iterator, so no DOM (a tape about as
/// large as the document, and a copy of its strings) is ever held next to the Values.
/// Every value is visited, so malformed input anywhere is reported. Short strings that
/// repeat (tags, enum-like fields) are shared rather than copied: Value strings are
/// immutable, so one payload serves every occurrence. The table is bounded so unique
/// strings cost little.
class Builder {
 public:
  /// The first error met; the Value built so far is then meaningless.
  simdjson::error_code error() const { return error_; }

  Value BuildDocument(od::document& doc) {
    bool scalar = false;
    if (Failed(doc.is_scalar().get(scalar))) return Value();
    if (!scalar) {
      od::value root;
      if (Failed(doc.get_value().get(root))) return Value();
      return Build(root);
    }
    od::json_type type;
    if (Failed(doc.type().get(type))) return Value();
    return Scalar(doc, type);
  }

  Value Build(od::value value) {
    od::json_type type;
    if (Failed(value.type().get(type))) return Value();
    switch (type) {
      case od::json_type::array: {
        od::array array;
        if (Failed(value.get_array().get(array))) return Value();
        size_t count = 0;
        if (Failed(array.count_elements().get(count))) return Value();
        List list;
        list.reserve(count);
        for (auto child : array) {
          od::value item;
          if (Failed(child.get(item))) return Value();
          list.push_back(Build(item));
          if (error_) return Value();
        }
        return Value(std::move(list));
      }
      case od::json_type::object: {
        od::object object;
        if (Failed(value.get_object().get(object))) return Value();
        size_t count = 0;
        if (Failed(object.count_fields().get(count))) return Value();
        Record record;
        record.reserve(count);
        for (auto result : object) {
          od::field field;
          if (Failed(std::move(result).get(field))) return Value();
          std::string_view key;
          if (Failed(field.unescaped_key().get(key))) return Value();
          // The key view lives in the parser's buffer only until the next string is read.
          std::string name(key);
          Value item = Build(field.value());
          if (error_) return Value();
          record.Set(std::move(name), std::move(item));
        }
        return Value(std::move(record));
      }
      default: return Scalar(value, type);
    }
  }

 private:
  static constexpr size_t kMaxShared = 16;
  static constexpr size_t kMaxEntries = 4096;

  bool Failed(simdjson::error_code error) {
    if (error && !error_) error_ = error;
    return error != simdjson::SUCCESS;
  }

  /// A scalar of an od::value or of a scalar od::document (same accessors).
  template <typename T>
  Value Scalar(T& value, od::json_type type) {
    switch (type) {
      case od::json_type::number: {
        od::number_type kind;
        if (Failed(value.get_number_type().get(kind))) return Value();
        if (kind == od::number_type::signed_integer) {
          int64_t i = 0;
          if (Failed(value.get_int64().get(i))) return Value();
          return Value(i);
        }
        double d = 0;
        if (kind == od::number_type::unsigned_integer) {
          uint64_t u = 0;
          if (Failed(value.get_uint64().get(u))) return Value();
          return Value(static_cast<double>(u));
        }
        if (Failed(value.get_double().get(d))) return Value();
        return Value(d);
      }
      case od::json_type::string: {
        std::string_view s;
        if (Failed(value.get_string().get(s))) return Value();
        return String(s);
      }
      case od::json_type::boolean: {
        bool b = false;
        if (Failed(value.get_bool().get(b))) return Value();
        return Value(b);
      }
      case od::json_type::null: {
        bool null = false;
        if (Failed(value.is_null().get(null))) return Value();
        if (!null) Failed(simdjson::N_ATOM_ERROR);
        return Value();
      }
      default: Failed(simdjson::TAPE_ERROR); return Value();
    }
  }

  Value String(std::string_view s) {
    if (s.size() > kMaxShared) return Value(std::string(s));
    auto it = shared_.find(s);
    if (it != shared_.end()) return it->second;
    Value v{std::string(s)};
    // Keys view the Value's own immutable payload, so they stay valid.
    if (shared_.size() < kMaxEntries) shared_.emplace(std::string_view(v.as_string()), v);
    return v;
  }

  simdjson::error_code error_ = simdjson::SUCCESS;
  std::unordered_map<std::string_view, Value> shared_;
};

void AppendNumber(std::string& out, double d) {
  if (!std::isfinite(d)) {
    out += "null";
    return;
  }
  if (d == std::floor(d) && std::fabs(d) < 1e15) {
    fmt::format_to(std::back_inserter(out), "{:.1f}", d);
    return;
  }
  fmt::format_to(std::back_inserter(out), "{}", d);
}

void AppendIndent(std::string& out, int indent, int depth) {
  out += '\n';
  out.append(static_cast<size_t>(indent * depth), ' ');
}

void Append(std::string& out, const Value& v, const JsonWriteOptions& opt, int depth) {
  switch (v.kind()) {
    case Value::Kind::kNull: out += "null"; return;
    case Value::Kind::kBool: out += v.as_bool() ? "true" : "false"; return;
    case Value::Kind::kInt: fmt::format_to(std::back_inserter(out), "{}", v.as_int()); return;
    case Value::Kind::kNumber: AppendNumber(out, v.as_number()); return;
    case Value::Kind::kString: AppendJsonString(out, v.as_string()); return;
    case Value::Kind::kList: {
      const List& list = v.as_list();
      if (list.empty()) {
        out += "[]";
        return;
      }
      out += '[';
      bool first = true;
      for (const Value& item : list) {
        if (!first) out += ',';
        first = false;
        if (opt.indent) AppendIndent(out, opt.indent, depth + 1);
        Append(out, item, opt, depth + 1);
      }
      if (opt.indent) AppendIndent(out, opt.indent, depth);
      out += ']';
      return;
    }
    case Value::Kind::kRecord: {
      const Record& rec = v.as_record();
      if (rec.empty()) {
        out += "{}";
        return;
      }
      std::vector<const Record::Field*> fields;
      fields.reserve(rec.size());
      for (const auto& f : rec) fields.push_back(&f);
      if (opt.sort_keys) {
        std::sort(fields.begin(), fields.end(),
                  [](const Record::Field* a, const Record::Field* b) { return a->first < b->first; });
      }
      out += '{';
      bool first = true;
      for (const Record::Field* f : fields) {
        if (!first) out += ',';
        first = false;
        if (opt.indent) AppendIndent(out, opt.indent, depth + 1);
        AppendJsonString(out, f->first);
        out += opt.indent ? ": " : ":";
        Append(out, f->second, opt, depth + 1);
      }
      if (opt.indent) AppendIndent(out, opt.indent, depth);
      out += '}';
      return;
    }
  }
}

}  // namespace

namespace {

/// At most this many characters of the text are quoted in an error.
constexpr size_t kExcerptLength = 32;

/// Up to kExcerptLength characters of `text` from `offset`, on one line (escapes shown),
/// cut at a character boundary.
std::string Excerpt(std::string_view text, size_t offset) {
  std::string out;
  size_t shown = 0;
  for (size_t i = offset; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if ((c & 0xC0) != 0x80 && shown++ == kExcerptLength) return out + "…";
    if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else if (c == '\t') out += "\\t";
    else if (c < 0x20) out += fmt::format("\\x{:02x}", c);
    else out += static_cast<char>(c);
  }
  return out;
}

/// "line L, column C" of byte `offset` (columns count characters).
std::string Position(std::string_view text, size_t offset) {
  size_t line = 1, column = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++line;
      column = 1;
    } else if ((c & 0xC0) != 0x80) {
      ++column;
    }
  }
  return fmt::format("line {}, column {}", line, column);
}

/// The error in words for a person (simdjson's own messages name its internals).
std::string Described(simdjson::error_code error) {
  switch (error) {
    case simdjson::TAPE_ERROR: return "a comma, colon, bracket or brace is missing or misplaced";
    case simdjson::INCORRECT_TYPE:
    case simdjson::N_ATOM_ERROR:
    case simdjson::T_ATOM_ERROR:
    case simdjson::F_ATOM_ERROR: return "not a JSON value";
    case simdjson::NUMBER_ERROR: return "a number is malformed or out of range";
    case simdjson::STRING_ERROR:
    case simdjson::UNESCAPED_CHARS: return "a string holds an unknown escape or a raw control character";
    case simdjson::UNCLOSED_STRING: return "a string is not closed";
    case simdjson::UTF8_ERROR: return "the text is not valid UTF-8";
    case simdjson::DEPTH_ERROR: return "arrays and objects are nested too deeply";
    case simdjson::EMPTY: return "there is no JSON value";
    default: {
      std::string message = simdjson::error_message(error);
      while (!message.empty() && (message.back() == '.' || message.back() == ' ')) message.pop_back();
      if (!message.empty()) message[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(message[0])));
      return message;
    }
  }
}

/// What a plain scan of the brackets and strings of a malformed text finds; offsets are
/// bytes into the text.
struct BracketScan {
  std::optional<size_t> unclosed;                           ///< innermost `[`/`{` open at the end
  std::optional<std::pair<size_t, size_t>> mismatch;        ///< a closer, and the opener it does not match
  std::optional<size_t> bad_in_string;                      ///< an unknown escape or a raw control character
};

BracketScan ScanBrackets(std::string_view text) {
  BracketScan scan;
  std::vector<size_t> open;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '"') {
        in_string = false;
      } else if (c == '\\') {
        char next = i + 1 < text.size() ? text[i + 1] : '\0';
        if (std::string_view("\"\\/bfnrtu").find(next) == std::string_view::npos && !scan.bad_in_string) {
          scan.bad_in_string = i;
        }
        ++i;
      } else if (static_cast<unsigned char>(c) < 0x20 && !scan.bad_in_string) {
        scan.bad_in_string = i;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      open.push_back(i);
    } else if (c == ']' || c == '}') {
      if (open.empty()) continue;
      if ((c == ']') != (text[open.back()] == '[') && !scan.mismatch) scan.mismatch = std::make_pair(i, open.back());
      open.pop_back();
    }
  }
  if (!open.empty()) scan.unclosed = open.back();
  return scan;
}

/// A parse error in words, with what lets the reader find the problem: what the text
/// begins with when that is not JSON at all (a tool's plain-text answer passed to `from_json`),
/// a bad character in a string, a bracket closed by the wrong one or left open (the text
/// was cut off), or where a bad value is (simdjson knows where for a literal or a number,
/// not for misplaced commas and brackets).
std::string Explained(std::string_view text, simdjson::error_code error, std::optional<size_t> offset) {
  size_t start = 0;
  while (start < text.size() && (text[start] == ' ' || text[start] == '\t' || text[start] == '\n' || text[start] == '\r')) {
    ++start;
  }
  if (start == text.size()) return "the text is empty";
  std::string_view opening = "{[\"-0123456789tfn";
  if (opening.find(text[start]) == std::string_view::npos) {
    return fmt::format("the text starts with `{}`, which is not JSON", Excerpt(text, start));
  }
  std::string what = Described(error);
  BracketScan scan = ScanBrackets(text);
  if ((error == simdjson::STRING_ERROR || error == simdjson::UNESCAPED_CHARS) && scan.bad_in_string) {
    return fmt::format("{} at {}, near `{}`", what, Position(text, *scan.bad_in_string), Excerpt(text, *scan.bad_in_string));
  }
  if (scan.mismatch) {
    auto [closer, opener] = *scan.mismatch;
    return fmt::format("{} (the `{}` at {} closes the `{}` at {})", what, text[closer], Position(text, closer),
                       text[opener], Position(text, opener));
  }
  if (scan.unclosed) {
    return fmt::format("{} (the text ends before the `{}` at {} is closed: is it cut off?)", what, text[*scan.unclosed],
                       Position(text, *scan.unclosed));
  }
  bool located = error == simdjson::INCORRECT_TYPE || error == simdjson::N_ATOM_ERROR ||
                 error == simdjson::T_ATOM_ERROR || error == simdjson::F_ATOM_ERROR || error == simdjson::NUMBER_ERROR;
  if (!located || !offset || *offset >= text.size()) return what;
  return fmt::format("{} at {}, near `{}`", what, Position(text, *offset), Excerpt(text, *offset));
}

ErrorOr<Value> Parse(std::string_view text, bool padded) {
  // Small documents reuse a per-thread parser; a big one gets its own, so its buffers
  // (several times the document's size) are released as soon as the Value is built.
  constexpr size_t kReuseLimit = size_t{4} << 20;
  thread_local od::parser reused;
  std::optional<od::parser> own;
  od::parser* parser = &reused;
  if (text.size() > kReuseLimit) parser = &own.emplace();
  std::optional<simdjson::padded_string> copy;
  simdjson::padded_string_view input =
      padded ? simdjson::padded_string_view(text.data(), text.size(), text.size() + simdjson::SIMDJSON_PADDING)
             : simdjson::padded_string_view(copy.emplace(text.data(), text.size()));
  // simdjson 3.0 rejects a root `null` followed by whitespace; a document that is only
  // `null` is answered here.
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  std::string_view trimmed = text;
  while (!trimmed.empty() && is_space(trimmed.front())) trimmed.remove_prefix(1);
  while (!trimmed.empty() && is_space(trimmed.back())) trimmed.remove_suffix(1);
  if (trimmed == "null") return Value();
  auto fail = [text](simdjson::error_code error, std::optional<size_t> offset) {
    return MakeError("json", "malformed JSON: " + Explained(text, error, offset));
  };
  od::document doc;
  if (auto error = parser->iterate(input).get(doc)) return fail(error, std::nullopt);
  Builder builder;
  Value value = builder.BuildDocument(doc);
  if (builder.error()) {
    // The location points into `input`, which may be a padded copy of `text`.
    const char* location = nullptr;
    std::optional<size_t> offset;
    if (doc.current_location().get(location) == simdjson::SUCCESS && location >= input.data()) {
      offset = static_cast<size_t>(location - input.data());
    }
    return fail(builder.error(), offset);
  }
  // Whatever follows the first value (`[1] [2]`) is an error, as in any JSON parser.
  const char* rest = nullptr;
  if (doc.current_location().get(rest) != simdjson::OUT_OF_BOUNDS) {
    size_t after = rest >= input.data() ? static_cast<size_t>(rest - input.data()) : text.size();
    std::string where = after < text.size() ? fmt::format(" at {}, near `{}`", Position(text, after), Excerpt(text, after)) : "";
    return MakeError("json", fmt::format("malformed JSON: more content after the first value{}", where));
  }
  return value;
}

}  // namespace

ErrorOr<Value> ParseJson(std::string_view text) { return Parse(text, false); }

ErrorOr<Value> ParseJsonString(const std::string& text) {
  static_assert(kJsonPadding >= simdjson::SIMDJSON_PADDING);
  return Parse(text, text.capacity() - text.size() >= kJsonPadding);
}

void AppendJsonString(std::string& out, std::string_view s) {
  out += '"';
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          fmt::format_to(std::back_inserter(out), "\\u{:04x}", static_cast<unsigned>(c));
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

void AppendJson(std::string& out, const Value& value, const JsonWriteOptions& options) {
  Append(out, value, options, 0);
}

std::string ToJson(const Value& value, const JsonWriteOptions& options) {
  std::string out;
  AppendJson(out, value, options);
  return out;
}

}  // namespace orch
