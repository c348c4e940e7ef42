// Value operations: ordering, display, hashing and arithmetic with checked errors.
#include "runtime/interp/value_ops.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <vector>

#include "runtime/value/json.h"

namespace orch::interp {
namespace {

int KindRank(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kNull: return 0;
    case Value::Kind::kBool: return 1;
    case Value::Kind::kInt:
    case Value::Kind::kNumber: return 2;
    case Value::Kind::kString: return 3;
    case Value::Kind::kList: return 4;
    case Value::Kind::kRecord: return 5;
  }
  return 6;
}

template <typename T>
int Sign(T a, T b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

std::vector<const Record::Field*> SortedFields(const Record& r) {
  std::vector<const Record::Field*> fields;
  fields.reserve(r.size());
  for (const auto& f : r) fields.push_back(&f);
  std::sort(fields.begin(), fields.end(), [](auto* x, auto* y) { return x->first < y->first; });
  return fields;
}

Error RuntimeError(std::string message) { return MakeError("runtime", std::move(message)); }

Error OperandError(const char* op, const Value& a, const Value& b) {
  return RuntimeError(fmt::format("cannot apply `{}` to {} and {}", op, TypeName(a), TypeName(b)));
}

bool IsIntegral(double d) { return std::isfinite(d) && d == std::floor(d); }

}  // namespace

int CompareValues(const Value& a, const Value& b) {
  int ra = KindRank(a), rb = KindRank(b);
  if (ra != rb) return ra < rb ? -1 : 1;
  switch (a.kind()) {
    case Value::Kind::kNull: return 0;
    case Value::Kind::kBool: return Sign(a.as_bool(), b.as_bool());
    case Value::Kind::kInt:
    case Value::Kind::kNumber:
      if (a.is_int() && b.is_int()) return Sign(a.as_int(), b.as_int());
      return Sign(a.as_number(), b.as_number());
    case Value::Kind::kString: {
      int c = a.as_string().compare(b.as_string());
      return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    case Value::Kind::kList: {
      const List& x = a.as_list();
      const List& y = b.as_list();
      size_t n = std::min(x.size(), y.size());
      for (size_t i = 0; i < n; ++i) {
        if (int c = CompareValues(x[i], y[i])) return c;
      }
      return Sign(x.size(), y.size());
    }
    case Value::Kind::kRecord: {
      auto fx = SortedFields(a.as_record());
      auto fy = SortedFields(b.as_record());
      size_t n = std::min(fx.size(), fy.size());
      for (size_t i = 0; i < n; ++i) {
        if (int c = fx[i]->first.compare(fy[i]->first)) return c < 0 ? -1 : 1;
        if (int c = CompareValues(fx[i]->second, fy[i]->second)) return c;
      }
      return Sign(fx.size(), fy.size());
    }
  }
  return 0;
}

void AppendDisplay(std::string& out, const Value& value) {
  if (value.is_string()) {
    out += value.as_string();
  } else {
    AppendJson(out, value);
  }
}

std::string DisplayString(const Value& value) {
  if (value.is_string()) return value.as_string();
  return ToJson(value);
}

size_t HashValue(const Value& v) {
  auto mix = [](size_t seed, size_t h) { return seed ^ (h + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2)); };
  switch (v.kind()) {
    case Value::Kind::kNull: return 0x51;
    case Value::Kind::kBool: return v.as_bool() ? 0x71 : 0x70;
    case Value::Kind::kInt:
    case Value::Kind::kNumber: {
      double d = v.as_number();
      if (v.is_int() || IsIntegral(d)) return std::hash<int64_t>{}(v.as_int());
      return std::hash<double>{}(d);
    }
    case Value::Kind::kString: return std::hash<std::string>{}(v.as_string());
    case Value::Kind::kList: {
      size_t h = 0x1157;
      for (const Value& item : v.as_list()) h = mix(h, HashValue(item));
      return h;
    }
    case Value::Kind::kRecord: {
      // Order-independent, as record equality is.
      size_t h = 0x2ec0;
      for (const auto& [k, field] : v.as_record()) h += mix(std::hash<std::string>{}(k), HashValue(field));
      return h;
    }
  }
  return 0;
}

ErrorOr<Value> Add(const Value& a, const Value& b) {
  if (a.is_int() && b.is_int()) {
    int64_t r;
    if (__builtin_add_overflow(a.as_int(), b.as_int(), &r)) {
      return RuntimeError(fmt::format("integer overflow in {} + {}", a.as_int(), b.as_int()));
    }
    return Value(r);
  }
  if (a.is_numeric() && b.is_numeric()) return Value(a.as_number() + b.as_number());
  if (a.is_string() && b.is_string()) {
    std::string s;
    s.reserve(a.as_string().size() + b.as_string().size());
    s += a.as_string();
    s += b.as_string();
    return Value(std::move(s));
  }
  if (a.is_list() && b.is_list()) {
    List l;
    l.reserve(a.as_list().size() + b.as_list().size());
    l.insert(l.end(), a.as_list().begin(), a.as_list().end());
    l.insert(l.end(), b.as_list().begin(), b.as_list().end());
    return Value(std::move(l));
  }
  if (a.is_record() && b.is_record()) {
    Record r = a.as_record();
    for (const auto& [k, v] : b.as_record()) r.Set(k, v);
    return Value(std::move(r));
  }
  return OperandError("+", a, b);
}

ErrorOr<Value> Subtract(const Value& a, const Value& b) {
  if (a.is_int() && b.is_int()) {
    int64_t r;
    if (__builtin_sub_overflow(a.as_int(), b.as_int(), &r)) {
      return RuntimeError(fmt::format("integer overflow in {} - {}", a.as_int(), b.as_int()));
    }
    return Value(r);
  }
  if (a.is_numeric() && b.is_numeric()) return Value(a.as_number() - b.as_number());
  return OperandError("-", a, b);
}

ErrorOr<Value> Multiply(const Value& a, const Value& b) {
  if (a.is_int() && b.is_int()) {
    int64_t r;
    if (__builtin_mul_overflow(a.as_int(), b.as_int(), &r)) {
      return RuntimeError(fmt::format("integer overflow in {} * {}", a.as_int(), b.as_int()));
    }
    return Value(r);
  }
  if (a.is_numeric() && b.is_numeric()) return Value(a.as_number() * b.as_number());
  return OperandError("*", a, b);
}

ErrorOr<Value> Divide(const Value& a, const Value& b) {
  if (!a.is_numeric() || !b.is_numeric()) return OperandError("/", a, b);
  if (b.as_number() == 0) return RuntimeError(fmt::format("division by zero: {} / {}", DisplayString(a), DisplayString(b)));
  return Value(a.as_number() / b.as_number());
}

ErrorOr<Value> Remainder(const Value& a, const Value& b) {
  if (a.is_int() && b.is_int()) {
    if (b.as_int() == 0) return RuntimeError(fmt::format("remainder by zero: {} % 0", a.as_int()));
    if (b.as_int() == -1) return Value(int64_t{0});  // INT64_MIN % -1 traps in C++.
    return Value(a.as_int() % b.as_int());
  }
  if (a.is_numeric() && b.is_numeric()) {
    if (b.as_number() == 0) return RuntimeError(fmt::format("remainder by zero: {} % {}", DisplayString(a), DisplayString(b)));
    return Value(std::fmod(a.as_number(), b.as_number()));
  }
  return OperandError("%", a, b);
}

ErrorOr<Value> Negate(const Value& a) {
  if (a.is_int()) {
    if (a.as_int() == INT64_MIN) return RuntimeError("integer overflow in negation");
    return Value(-a.as_int());
  }
  if (a.is_number()) return Value(-a.as_number());
  return RuntimeError(fmt::format("cannot negate {}", ATypeName(a)));
}

ErrorOr<Value> Contains(const Value& haystack, const Value& needle) {
  switch (haystack.kind()) {
    case Value::Kind::kList:
      for (const Value& item : haystack.as_list()) {
        if (item == needle) return Value(true);
      }
      return Value(false);
    case Value::Kind::kRecord:
      if (!needle.is_string()) return RuntimeError(fmt::format("record keys are strings, not {}", TypeName(needle)));
      return Value(haystack.as_record().Contains(needle.as_string()));
    case Value::Kind::kString:
      if (!needle.is_string()) return RuntimeError(fmt::format("cannot look for {} in a string", ATypeName(needle)));
      return Value(haystack.as_string().find(needle.as_string()) != std::string::npos);
    default:
      return RuntimeError(fmt::format("cannot look inside {}", ATypeName(haystack)));
  }
}

ErrorOr<int> CompareOrdered(const Value& a, const Value& b) {
  if ((a.is_numeric() && b.is_numeric()) || (a.is_string() && b.is_string())) return CompareValues(a, b);
  return RuntimeError(fmt::format("cannot order {} and {}", TypeName(a), TypeName(b)));
}

}  // namespace orch::interp
