// ErrorOr<T>: the result of an operation that can fail for reasons outside the program
// (I/O, network, protocol). Compiler phases report through DiagnosticSink instead.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace orch {

/// A failure with a short machine-readable kind ("io", "timeout", "protocol", "transport",
/// "tool", "config", ...) and a human message (lowercase, no trailing period).
struct Error {
  std::string kind;
  std::string message;
};

/// Either a value or an Error. Check with `ok()` (or `if (result)`) before `value()`.
template <typename T>
class [[nodiscard]] ErrorOr {
 public:
  ErrorOr(T value) : data_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  ErrorOr(Error error) : data_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return data_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(data_); }
  const T& value() const& { return std::get<0>(data_); }
  T&& value() && { return std::get<0>(std::move(data_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const { return std::get<1>(data_); }

 private:
  std::variant<T, Error> data_;
};

/// ErrorOr for operations with no value.
template <>
class [[nodiscard]] ErrorOr<void> {
 public:
  ErrorOr() = default;
  ErrorOr(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { return error_; }

 private:
  Error error_;
  bool ok_ = true;
};

/// Builds an Error; `MakeError("io", "cannot read `x`")`.
inline Error MakeError(std::string kind, std::string message) {
  return Error{std::move(kind), std::move(message)};
}

}  // namespace orch
