// Value and Record implementation: shared immutable payloads with an intrusive reference
// count, structural equality.
#include "runtime/value/value.h"

#include <cmath>

namespace orch {
namespace {
const std::string kEmptyString;
const List kEmptyList;
const Record kEmptyRecord;

struct StringPayload : detail::Payload {
  explicit StringPayload(std::string s) : text(std::move(s)) {}
  std::string text;
};
struct ListPayload : detail::Payload {
  explicit ListPayload(List l) : items(std::move(l)) {}
  List items;
};
struct RecordPayload : detail::Payload {
  explicit RecordPayload(Record r) : record(std::move(r)) {}
  Record record;
};
}  // namespace

Record::Record(std::initializer_list<Field> fields) {
  fields_.reserve(fields.size());
  for (const auto& f : fields) Set(f.first, f.second);
}

Record::Record(const Record& other) : fields_(other.fields_) {
  if (other.index_) index_ = std::make_unique<Index>(*other.index_);
}

Record& Record::operator=(const Record& other) {
  if (this != &other) {
    fields_ = other.fields_;
    index_ = other.index_ ? std::make_unique<Index>(*other.index_) : nullptr;
  }
  return *this;
}

Record::~Record() = default;

void Record::BuildIndex() {
  index_ = std::make_unique<Index>();
  index_->reserve(fields_.size() * 2);
  for (size_t i = 0; i < fields_.size(); ++i) index_->emplace(fields_[i].first, i);
}

void Record::Set(std::string key, Value value) {
  if (index_) {
    auto it = index_->find(std::string_view(key));
    if (it != index_->end()) {
      fields_[it->second].second = std::move(value);
      return;
    }
  } else {
    for (auto& f : fields_) {
      if (f.first == key) {
        f.second = std::move(value);
        return;
      }
    }
  }
  Append(std::move(key), std::move(value));
}

void Record::Append(std::string key, Value value) {
  if (index_) index_->emplace(key, fields_.size());
  fields_.emplace_back(std::move(key), std::move(value));
  if (!index_ && fields_.size() > kIndexThreshold) BuildIndex();
}

const Value* Record::Find(std::string_view key) const {
  if (index_) {
    auto it = index_->find(key);
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
      if (index_) BuildIndex();
      return true;
    }
  }
  return false;
}

Value::Value(std::string s) : kind_(Kind::kString) { u_.p = new StringPayload(std::move(s)); }
Value::Value(List list) : kind_(Kind::kList) { u_.p = new ListPayload(std::move(list)); }
Value::Value(Record record) : kind_(Kind::kRecord) { u_.p = new RecordPayload(std::move(record)); }

void Value::Free() noexcept {
  switch (kind_) {
    case Kind::kString: delete static_cast<StringPayload*>(u_.p); break;
    case Kind::kList: delete static_cast<ListPayload*>(u_.p); break;
    case Kind::kRecord: delete static_cast<RecordPayload*>(u_.p); break;
    default: break;
  }
}

const std::string& Value::as_string() const {
  return kind_ == Kind::kString ? static_cast<const StringPayload*>(u_.p)->text : kEmptyString;
}
const List& Value::as_list() const {
  return kind_ == Kind::kList ? static_cast<const ListPayload*>(u_.p)->items : kEmptyList;
}
const Record& Value::as_record() const {
  return kind_ == Kind::kRecord ? static_cast<const RecordPayload*>(u_.p)->record : kEmptyRecord;
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
    if (a.is_int() && b.is_int()) return a.u_.i == b.u_.i;
    return a.as_number() == b.as_number();
  }
  if (a.kind_ != b.kind_) return false;
  switch (a.kind_) {
    case Value::Kind::kNull: return true;
    case Value::Kind::kBool: return a.u_.b == b.u_.b;
    case Value::Kind::kString: return a.u_.p == b.u_.p || a.as_string() == b.as_string();
    case Value::Kind::kList: return a.u_.p == b.u_.p || a.as_list() == b.as_list();
    case Value::Kind::kRecord: {
      if (a.u_.p == b.u_.p) return true;
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
