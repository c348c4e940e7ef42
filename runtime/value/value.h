// Value: the one runtime representation of JSON data (null, bool, int, number, string,
// list, record). Copies are cheap: strings, lists and records are shared, immutable
// payloads behind an intrusive atomic reference count, so a Value is 16 bytes (a kind
// and one word) and a copy is one atomic increment. Payloads are never changed after
// construction, so Values may be shared freely between threads. Records keep insertion
// order, as JSON objects do.
#pragma once

#include <atomic>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace orch {

class Value;
using List = std::vector<Value>;

/// An insertion-ordered map from field name to Value. Lookup is linear for small records
/// and uses a hash index once a record grows past a handful of fields.
class Record {
 public:
  using Field = std::pair<std::string, Value>;
  Record() = default;
  Record(std::initializer_list<Field> fields);
  Record(const Record& other);
  Record& operator=(const Record& other);
  Record(Record&&) noexcept = default;
  Record& operator=(Record&&) noexcept = default;
  ~Record();

  /// Sets `key` (replacing an existing field in place, keeping its position).
  void Set(std::string key, Value value);
  /// Appends a field whose key the caller knows is not in the record yet (a JSON
  /// object's keys, a record literal's names): no search for an existing field.
  void Append(std::string key, Value value);
  /// The field's value, or nullptr when absent.
  const Value* Find(std::string_view key) const;
  bool Contains(std::string_view key) const { return Find(key) != nullptr; }
  bool Erase(std::string_view key);
  // Bodies that touch fields_ follow Value's definition: std::pair<std::string, Value>
  // needs a complete Value (clang rejects them here; g++ is lenient).
  size_t size() const;
  bool empty() const;
  void reserve(size_t n);
  std::vector<Field>::const_iterator begin() const;
  std::vector<Field>::const_iterator end() const;
  const std::vector<Field>& fields() const { return fields_; }

 private:
  struct KeyHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  using Index = std::unordered_map<std::string, size_t, KeyHash, std::equal_to<>>;
  static constexpr size_t kIndexThreshold = 16;
  void BuildIndex();

  std::vector<Field> fields_;
  /// Key → position, kept once the record has more than kIndexThreshold fields. Each
  /// Record owns its index (a copy gets its own), so setting a field in a copy never
  /// disturbs the original.
  std::unique_ptr<Index> index_;
};

namespace detail {
/// The header of every shared payload (string, list, record).
struct Payload {
  std::atomic<uint32_t> refs{1};
};
}  // namespace detail

/// A JSON value. Default-constructed is null.
class Value {
 public:
  enum class Kind : uint8_t { kNull, kBool, kInt, kNumber, kString, kList, kRecord };

  Value() = default;
  Value(std::nullptr_t) {}  // NOLINT(google-explicit-constructor)
  Value(bool b) : kind_(Kind::kBool) { u_.b = b; }  // NOLINT
  Value(int i) : Value(static_cast<int64_t>(i)) {}  // NOLINT
  Value(int64_t i) : kind_(Kind::kInt) { u_.i = i; }  // NOLINT
  Value(double d) : kind_(Kind::kNumber) { u_.d = d; }  // NOLINT
  Value(const char* s) : Value(std::string(s)) {}  // NOLINT
  Value(std::string_view s) : Value(std::string(s)) {}  // NOLINT
  Value(std::string s);  // NOLINT
  Value(List list);  // NOLINT
  Value(Record record);  // NOLINT

  Value(const Value& other) noexcept : kind_(other.kind_), u_(other.u_) {
    if (IsHeap()) u_.p->refs.fetch_add(1, std::memory_order_relaxed);
  }
  Value(Value&& other) noexcept : kind_(other.kind_), u_(other.u_) { other.kind_ = Kind::kNull; }
  Value& operator=(const Value& other) noexcept {
    Value copy(other);
    Swap(copy);
    return *this;
  }
  Value& operator=(Value&& other) noexcept {
    Value taken(std::move(other));
    Swap(taken);
    return *this;
  }
  ~Value() {
    if (IsHeap()) Release();
  }

  Kind kind() const { return kind_; }
  bool is_null() const { return kind_ == Kind::kNull; }
  bool is_bool() const { return kind_ == Kind::kBool; }
  bool is_int() const { return kind_ == Kind::kInt; }
  /// True for both int and number (double) values.
  bool is_numeric() const { return kind_ == Kind::kInt || kind_ == Kind::kNumber; }
  bool is_number() const { return kind_ == Kind::kNumber; }
  bool is_string() const { return kind_ == Kind::kString; }
  bool is_list() const { return kind_ == Kind::kList; }
  bool is_record() const { return kind_ == Kind::kRecord; }

  bool as_bool() const { return u_.b; }
  int64_t as_int() const { return kind_ == Kind::kInt ? u_.i : static_cast<int64_t>(u_.d); }
  /// The numeric value as a double (ints widen).
  double as_number() const { return kind_ == Kind::kInt ? static_cast<double>(u_.i) : u_.d; }
  const std::string& as_string() const;
  const List& as_list() const;
  const Record& as_record() const;

  /// Field of a record, or nullptr (also for non-records).
  const Value* Find(std::string_view key) const;
  /// Field of a record, or null.
  Value Get(std::string_view key) const;

  /// Deep structural equality; 1 == 1.0.
  friend bool operator==(const Value& a, const Value& b);

  /// Name of the kind as the language spells its type: "null", "bool", "int", ...
  static const char* KindName(Kind kind);
  const char* kind_name() const { return KindName(kind_); }

 private:
  bool IsHeap() const { return kind_ >= Kind::kString; }
  void Swap(Value& other) noexcept {
    std::swap(kind_, other.kind_);
    std::swap(u_, other.u_);
  }
  /// Drops one reference; the last one frees the payload.
  void Release() noexcept {
    if (u_.p->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) Free();
  }
  void Free() noexcept;

  Kind kind_ = Kind::kNull;
  union {
    bool b;
    int64_t i;
    double d;
    detail::Payload* p;
  } u_{};
};

static_assert(sizeof(Value) == 16, "a Value is a kind and one word");

inline size_t Record::size() const { return fields_.size(); }
inline bool Record::empty() const { return fields_.empty(); }
inline void Record::reserve(size_t n) { fields_.reserve(n); }
inline std::vector<Record::Field>::const_iterator Record::begin() const { return fields_.begin(); }
inline std::vector<Record::Field>::const_iterator Record::end() const { return fields_.end(); }

}  // namespace orch
