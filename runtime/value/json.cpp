// JSON parsing (simdjson DOM → Value) and writing (compact, pretty, canonical).
#include "runtime/value/json.h"

#include <simdjson.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <string_view>
#include <unordered_map>
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
  auto fail = [](simdjson::error_code error) {
    return MakeError("json", fmt::format("malformed JSON: {}", simdjson::error_message(error)));
  };
  od::document doc;
  if (auto error = parser->iterate(input).get(doc)) return fail(error);
  Builder builder;
  Value value = builder.BuildDocument(doc);
  if (builder.error()) return fail(builder.error());
  // Whatever follows the first value (`[1] [2]`) is an error, as in any JSON parser.
  const char* rest = nullptr;
  if (doc.current_location().get(rest) != simdjson::OUT_OF_BOUNDS) {
    return MakeError("json", "malformed JSON: more content after the first value");
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
