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

/// Builds Values from a simdjson DOM. Short strings that repeat (tags, enum-like fields)
/// are shared rather than copied: Value strings are immutable, so one payload serves
/// every occurrence. The table is bounded so unique strings cost little.
class Builder {
 public:
  Value Build(simdjson::dom::element el) {
    using simdjson::dom::element_type;
    switch (el.type()) {
      case element_type::NULL_VALUE: return Value();
      case element_type::BOOL: return Value(bool(el.get_bool().value_unsafe()));
      case element_type::INT64: return Value(int64_t(el.get_int64().value_unsafe()));
      case element_type::UINT64: return Value(double(el.get_uint64().value_unsafe()));
      case element_type::DOUBLE: return Value(double(el.get_double().value_unsafe()));
      case element_type::STRING: return String(el.get_string().value_unsafe());
      case element_type::ARRAY: {
        simdjson::dom::array arr = el.get_array().value_unsafe();
        List list;
        list.reserve(arr.size());
        for (simdjson::dom::element child : arr) list.push_back(Build(child));
        return Value(std::move(list));
      }
      case element_type::OBJECT: {
        simdjson::dom::object obj = el.get_object().value_unsafe();
        Record record;
        record.reserve(obj.size());
        for (auto field : obj) record.Set(std::string(field.key), Build(field.value));
        return Value(std::move(record));
      }
    }
    return Value();
  }

 private:
  static constexpr size_t kMaxShared = 16;
  static constexpr size_t kMaxEntries = 4096;

  Value String(std::string_view s) {
    if (s.size() > kMaxShared) return Value(std::string(s));
    auto it = shared_.find(s);
    if (it != shared_.end()) return it->second;
    Value v{std::string(s)};
    // Keys view the Value's own immutable payload, so they stay valid.
    if (shared_.size() < kMaxEntries) shared_.emplace(std::string_view(v.as_string()), v);
    return v;
  }

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
  thread_local simdjson::dom::parser reused;
  std::optional<simdjson::dom::parser> own;
  simdjson::dom::parser* parser = &reused;
  if (text.size() > kReuseLimit) parser = &own.emplace();
  simdjson::dom::element doc;
  auto error = parser->parse(text.data(), text.size(), !padded).get(doc);
  if (error) {
    return MakeError("json", fmt::format("malformed JSON: {}", simdjson::error_message(error)));
  }
  return Builder().Build(doc);
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
