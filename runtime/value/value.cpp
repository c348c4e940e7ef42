// Value and Record implementation: shared immutable payloads, structural equality.
#include "runtime/value/value.h"

#include <cmath>

namespace orch {
namespace {
const std::string kEmptyString;
const List kEmptyList;
const Record kEmptyRecord;
}  // namespace

Record::Record(std::initializer_list<Field> fields) {
  for (const auto& f : fields) Set(f.first, f.second);
}

void Record::Set(std::string key, Value value) {
  if (index_) {
    auto it = index_->find(key);
    if (it != index_->end()) {
      fields_[it->second].second = std::move(value);
      return;
    }
    index_->emplace(key, fields_.size());
    fields_.emplace_back(std::move(key), std::move(value));
    return;
  }
  for (auto& f : fields_) {
    if (f.first == key) {
      f.second = std::move(value);
      return;
    }
  }
  fields_.emplace_back(std::move(key), std::move(value));
  if (fields_.size() > kIndexThreshold) {
    index_ = std::make_shared<std::unordered_map<std::string, size_t>>();
    index_->reserve(fields_.size() * 2);
    for (size_t i = 0; i < fields_.size(); ++i) index_->emplace(fields_[i].first, i);
  }
}

const Value* Record::Find(std::string_view key) const {
  if (index_) {
    auto it = index_->find(std::string(key));
    return it == index_->end() ? nullptr : &fields_[it->second].second;
  }
  for (const auto& f : fields_) {
    if (f.first == key) return &f.second;
  }
  return nullptr;
}

bool Record::Erase(std::string_view key) {
  for (auto it = fields_.begin(); it != fields_.end(); ++it) {
    if (it->first == key) {
      fields_.erase(it);
      if (index_) {
        index_->clear();
        for (size_t i = 0; i < fields_.size(); ++i) index_->emplace(fields_[i].first, i);
      }
      return true;
    }
  }
  return false;
}

Value::Value(std::string s) : kind_(Kind::kString), heap_(std::make_shared<const std::string>(std::move(s))) {}
Value::Value(List list) : kind_(Kind::kList), heap_(std::make_shared<const List>(std::move(list))) {}
Value::Value(Record record)
    : kind_(Kind::kRecord), heap_(std::make_shared<const Record>(std::move(record))) {}

const std::string& Value::as_string() const {
  return kind_ == Kind::kString ? *static_cast<const std::string*>(heap_.get()) : kEmptyString;
}
const List& Value::as_list() const {
  return kind_ == Kind::kList ? *static_cast<const List*>(heap_.get()) : kEmptyList;
}
const Record& Value::as_record() const {
  return kind_ == Kind::kRecord ? *static_cast<const Record*>(heap_.get()) : kEmptyRecord;
}

const Value* Value::Find(std::string_view key) const {
  return kind_ == Kind::kRecord ? as_record().Find(key) : nullptr;
}

Value Value::Get(std::string_view key) const {
  const Value* v = Find(key);
  return v ? *v : Value();
}

bool operator==(const Value& a, const Value& b) {
  if (a.is_numeric() && b.is_numeric()) {
    if (a.is_int() && b.is_int()) return a.scalar_.i == b.scalar_.i;
    return a.as_number() == b.as_number();
  }
  if (a.kind_ != b.kind_) return false;
  switch (a.kind_) {
    case Value::Kind::kNull: return true;
    case Value::Kind::kBool: return a.scalar_.b == b.scalar_.b;
    case Value::Kind::kString: return a.heap_ == b.heap_ || a.as_string() == b.as_string();
    case Value::Kind::kList: return a.heap_ == b.heap_ || a.as_list() == b.as_list();
    case Value::Kind::kRecord: {
      if (a.heap_ == b.heap_) return true;
      const Record& ra = a.as_record();
      const Record& rb = b.as_record();
      if (ra.size() != rb.size()) return false;
      for (const auto& [k, v] : ra) {
        const Value* other = rb.Find(k);
        if (!other || !(*other == v)) return false;
      }
      return true;
    }
    default: return false;
  }
}

const char* Value::KindName(Kind kind) {
  switch (kind) {
    case Kind::kNull: return "null";
    case Kind::kBool: return "bool";
    case Kind::kInt: return "int";
    case Kind::kNumber: return "number";
    case Kind::kString: return "string";
    case Kind::kList: return "list";
    case Kind::kRecord: return "record";
  }
  return "?";
}

}  // namespace orch
