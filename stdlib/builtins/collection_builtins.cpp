// Collection built-ins: len keys values entries map filter reduce sort_by group_by unique
// sum min max avg range. Higher-order ones call their lambda through interp::Callable and
// stop at the first error it returns.
#include <algorithm>
#include <functional>
#include <limits>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "stdlib/builtins/builtin_functions.h"
#include "stdlib/builtins/builtin_helpers.h"

namespace orch::stdlib::detail {
namespace {

/// Largest list `range` builds; beyond it a workflow almost surely has a bug.
constexpr int64_t kMaxRange = 10'000'000;

size_t Utf8Length(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

struct StringHasher {
  using is_transparent = void;
  size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

struct ValueHasher {
  size_t operator()(const Value& v) const { return interp::HashValue(v); }
};

/// Sorts a copy of `xs` by the keys `fn` gives; stable, so equal keys keep their order.
ErrorOr<Value> SortByKeys(const List& xs, const interp::Callable& fn) {
  std::vector<std::pair<Value, size_t>> keyed;
  keyed.reserve(xs.size());
  for (size_t i = 0; i < xs.size(); ++i) {
    auto key = Call1(fn, xs[i]);
    if (!key) return key.error();
    keyed.emplace_back(std::move(*key), i);
  }
  std::stable_sort(keyed.begin(), keyed.end(),
                   [](const auto& a, const auto& b) { return interp::CompareValues(a.first, b.first) < 0; });
  List out;
  out.reserve(xs.size());
  for (const auto& [key, index] : keyed) out.push_back(xs[index]);
  return Value(std::move(out));
}

ErrorOr<Value> Extreme(std::string_view name, const Value& xs, int sign) {
  if (!xs.is_list()) return TypeError(name, 0, "a list", xs);
  const List& list = xs.as_list();
  if (list.empty()) return Value();
  const Value* best = &list[0];
  for (const Value& item : list) {
    if (interp::CompareValues(item, *best) * sign > 0) best = &item;
  }
  return *best;
}

}  // namespace

ErrorOr<Value> Len(std::span<const Value> args, const interp::Callable*) {
  const Value& x = args[0];
  switch (x.kind()) {
    case Value::Kind::kString: return Value(static_cast<int64_t>(Utf8Length(x.as_string())));
    case Value::Kind::kList: return Value(static_cast<int64_t>(x.as_list().size()));
    case Value::Kind::kRecord: return Value(static_cast<int64_t>(x.as_record().size()));
    default: return TypeError("len", 0, "a string, list or record", x);
  }
}

ErrorOr<Value> Keys(std::span<const Value> args, const interp::Callable*) {
  ORCH_EXPECT_KIND("keys", args, 0, is_record, "a record");
  List out;
  out.reserve(args[0].as_record().size());
  for (const auto& [k, v] : args[0].as_record()) out.emplace_back(k);
  return Value(std::move(out));
}

ErrorOr<Value> Values(std::span<const Value> args, const interp::Callable*) {
  ORCH_EXPECT_KIND("values", args, 0, is_record, "a record");
  List out;
  out.reserve(args[0].as_record().size());
  for (const auto& [k, v] : args[0].as_record()) out.push_back(v);
  return Value(std::move(out));
}

ErrorOr<Value> Entries(std::span<const Value> args, const interp::Callable*) {
  ORCH_EXPECT_KIND("entries", args, 0, is_record, "a record");
  List out;
  out.reserve(args[0].as_record().size());
  for (const auto& [k, v] : args[0].as_record()) out.emplace_back(Record{{"key", Value(k)}, {"value", v}});
  return Value(std::move(out));
}

ErrorOr<Value> Map(std::span<const Value> args, const interp::Callable* fn) {
  ORCH_EXPECT_KIND("map", args, 0, is_list, "a list");
  const List& xs = args[0].as_list();
  List out;
  out.reserve(xs.size());
  for (const Value& x : xs) {
    auto r = Call1(*fn, x);
    if (!r) return r.error();
    out.push_back(std::move(*r));
  }
  return Value(std::move(out));
}

ErrorOr<Value> Filter(std::span<const Value> args, const interp::Callable* fn) {
  ORCH_EXPECT_KIND("filter", args, 0, is_list, "a list");
  const List& xs = args[0].as_list();
  List out;
  for (const Value& x : xs) {
    auto keep = Call1(*fn, x);
    if (!keep) return keep.error();
    if (!keep->is_bool()) {
      return ValueError(fmt::format("the function given to `filter` must return a bool, it returned {}",
                                    interp::TypeName(*keep)));
    }
    if (keep->as_bool()) out.push_back(x);
  }
  return Value(std::move(out));
}

ErrorOr<Value> Reduce(std::span<const Value> args, const interp::Callable* fn) {
  ORCH_EXPECT_KIND("reduce", args, 0, is_list, "a list");
  Value acc = args[1];
  for (const Value& x : args[0].as_list()) {
    auto next = Call2(*fn, acc, x);
    if (!next) return next.error();
    acc = std::move(*next);
  }
  return acc;
}

ErrorOr<Value> SortBy(std::span<const Value> args, const interp::Callable* fn) {
  ORCH_EXPECT_KIND("sort_by", args, 0, is_list, "a list");
  return SortByKeys(args[0].as_list(), *fn);
}

ErrorOr<Value> GroupBy(std::span<const Value> args, const interp::Callable* fn) {
  ORCH_EXPECT_KIND("group_by", args, 0, is_list, "a list");
  // Groups keep the order in which their keys first appear.
  std::vector<std::pair<std::string, List>> groups;
  std::unordered_map<std::string, size_t, StringHasher, std::equal_to<>> index;
  std::string scratch;
  for (const Value& x : args[0].as_list()) {
    auto key = Call1(*fn, x);
    if (!key) return key.error();
    // A string key is its own name: looked up without building a string per element.
    std::string_view name = key->as_string();
    if (!key->is_string()) {
      scratch = interp::DisplayString(*key);
      name = scratch;
    }
    auto it = index.find(name);
    if (it == index.end()) {
      it = index.emplace(std::string(name), groups.size()).first;
      groups.emplace_back(it->first, List{});
    }
    groups[it->second].second.push_back(x);
  }
  Record out;
  out.reserve(groups.size());
  for (auto& [name, members] : groups) out.Set(std::move(name), Value(std::move(members)));
  return Value(std::move(out));
}

ErrorOr<Value> Unique(std::span<const Value> args, const interp::Callable*) {
  ORCH_EXPECT_KIND("unique", args, 0, is_list, "a list");
  std::unordered_set<Value, ValueHasher> seen;
  List out;
  for (const Value& x : args[0].as_list()) {
    if (seen.insert(x).second) out.push_back(x);
  }
  return Value(std::move(out));
}

ErrorOr<Value> Sum(std::span<const Value> args, const interp::Callable*) {
  ORCH_EXPECT_KIND("sum", args, 0, is_list, "a list");
  Value total(int64_t{0});
  for (const Value& x : args[0].as_list()) {
    if (!x.is_numeric()) {
      return ValueError(fmt::format("`sum` adds numbers, but the list holds a {}", interp::TypeName(x)));
    }
    auto next = interp::Add(total, x);
    if (!next) return next.error();
    total = std::move(*next);
  }
  return total;
}

ErrorOr<Value> Min(std::span<const Value> args, const interp::Callable*) { return Extreme("min", args[0], -1); }
ErrorOr<Value> Max(std::span<const Value> args, const interp::Callable*) { return Extreme("max", args[0], 1); }

ErrorOr<Value> Avg(std::span<const Value> args, const interp::Callable*) {
  ORCH_EXPECT_KIND("avg", args, 0, is_list, "a list");
  const List& xs = args[0].as_list();
  if (xs.empty()) return Value();
  double total = 0;
  for (const Value& x : xs) {
    if (!x.is_numeric()) {
      return ValueError(fmt::format("`avg` averages numbers, but the list holds a {}", interp::TypeName(x)));
    }
    total += x.as_number();
  }
  return Value(total / static_cast<double>(xs.size()));
}

ErrorOr<Value> Range(std::span<const Value> args, const interp::Callable*) {
  ORCH_EXPECT_KIND("range", args, 0, is_int, "an int");
  ORCH_EXPECT_KIND("range", args, 1, is_int, "an int");
  int64_t a = args[0].as_int(), b = args[1].as_int();
  if (b <= a) return Value(List{});
  int64_t count = 0;
  if (__builtin_sub_overflow(b, a, &count) || count > kMaxRange) {
    return ValueError(fmt::format("`range({}, {})` would build more than {} elements", a, b, kMaxRange));
  }
  List out;
  out.reserve(static_cast<size_t>(count));
  for (int64_t i = a; i < b; ++i) out.emplace_back(i);
  return Value(std::move(out));
}

}  // namespace orch::stdlib::detail
