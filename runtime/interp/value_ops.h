// Operations on runtime values shared by the interpreter, the built-in functions and the
// `std` server: the total order used by comparisons and sorting, the display form used by
// string interpolation and `log`, truthiness, and the arithmetic operators with their
// error cases (integer overflow, division by zero). Errors use kind "runtime".
#pragma once

#include <string>

#include "runtime/value/error_or.h"
#include "runtime/value/value.h"

namespace orch::interp {

/// Total order over all values: null < bool < numbers < strings < lists < records.
/// Numbers compare by value (1 == 1.0); strings bytewise; lists and records
/// lexicographically (records by their fields in sorted-key order). Returns <0, 0, >0.
int CompareValues(const Value& a, const Value& b);

/// How a value reads inside an interpolated string or a `log` line: strings as they are,
/// everything else as compact JSON.
std::string DisplayString(const Value& value);
/// Appends DisplayString(value) to `out` without building a temporary.
void AppendDisplay(std::string& out, const Value& value);

/// A hash consistent with `==` (so 1 and 1.0 hash alike); for sets of values.
size_t HashValue(const Value& value);

/// Binary arithmetic. `+` also concatenates strings and lists and merges records (right
/// side wins). `/` always yields a number; `%` needs ints. Division or remainder by zero
/// and int overflow are errors of kind "runtime".
ErrorOr<Value> Add(const Value& a, const Value& b);
ErrorOr<Value> Subtract(const Value& a, const Value& b);
ErrorOr<Value> Multiply(const Value& a, const Value& b);
ErrorOr<Value> Divide(const Value& a, const Value& b);
ErrorOr<Value> Remainder(const Value& a, const Value& b);
ErrorOr<Value> Negate(const Value& a);

/// `a in b`: membership in a list, a key of a record, a substring of a string.
ErrorOr<Value> Contains(const Value& haystack, const Value& needle);

/// Ordering operators (<, <=, >, >=) are defined between two numbers or two strings only;
/// anything else is an error naming both kinds.
ErrorOr<int> CompareOrdered(const Value& a, const Value& b);

/// The language's spelling of a value's type for messages: "int", "string", "list", ...
inline const char* TypeName(const Value& v) { return v.kind_name(); }
/// The type name with its article, for prose: "an int", "a string".
inline std::string ATypeName(const Value& v) {
  return (v.is_int() ? "an " : "a ") + std::string(v.kind_name());
}

}  // namespace orch::interp
