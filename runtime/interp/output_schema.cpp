// OutputSchemaValidator on valijson through its nlohmann::json adapter (nlohmann-json3-dev
// comes with libvalijson-dev). Values are converted once per check; tool results are small
// next to the cost of the call that produced them.
#define VALIJSON_USE_EXCEPTIONS 1

#include "runtime/interp/output_schema.h"

#include "runtime/value/json.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

namespace orch::interp {
namespace {

nlohmann::json ToNlohmann(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kNull: return nullptr;
    case Value::Kind::kBool: return v.as_bool();
    case Value::Kind::kInt: return v.as_int();
    case Value::Kind::kNumber: return v.as_number();
    case Value::Kind::kString: return v.as_string();
    case Value::Kind::kList: {
      nlohmann::json out = nlohmann::json::array();
      for (const Value& item : v.as_list()) out.push_back(ToNlohmann(item));
      return out;
    }
    case Value::Kind::kRecord: {
      nlohmann::json out = nlohmann::json::object();
      for (const auto& [key, item] : v.as_record()) out[std::string(key)] = ToNlohmann(item);
      return out;
    }
  }
  return nullptr;
}

// One part of valijson's context ("[field]", "[0]") without its brackets.
std::string ContextName(const std::string& part) {
  return part.size() >= 2 && part.front() == '[' && part.back() == ']' ? part.substr(1, part.size() - 2) : part;
}

// valijson's context is ["<root>", "[field]", "[0]", …]; this prints `field[0]…`.
std::string FieldPath(const std::vector<std::string>& context) {
  std::string path;
  for (const std::string& part : context) {
    if (part == "<root>") continue;
    std::string inner = ContextName(part);
    bool index = !inner.empty() && inner.find_first_not_of("0123456789") == std::string::npos;
    if (index) {
      path += "[" + inner + "]";
    } else {
      if (!path.empty()) path += '.';
      path += inner;
    }
  }
  return path;
}

/// The part of `value` that valijson's context names, or null when the path leaves it.
const Value* ValueAt(const Value& value, const std::vector<std::string>& context) {
  const Value* at = &value;
  for (const std::string& part : context) {
    if (part == "<root>") continue;
    std::string inner = ContextName(part);
    if (at->is_record()) {
      at = at->Find(inner);
    } else if (at->is_list() && !inner.empty() && inner.find_first_not_of("0123456789") == std::string::npos &&
               inner.size() < 10 && std::stoul(inner) < at->as_list().size()) {
      at = &at->as_list()[std::stoul(inner)];
    } else {
      return nullptr;
    }
    if (at == nullptr) return nullptr;
  }
  return at;
}

std::string Sentence(std::string text) {
  while (!text.empty() && (text.back() == '.' || text.back() == ' ')) text.pop_back();
  if (!text.empty()) text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  return text;
}

}  // namespace

struct OutputSchemaValidator::Impl {
  valijson::Schema schema;
};

OutputSchemaValidator::OutputSchemaValidator(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
OutputSchemaValidator::~OutputSchemaValidator() = default;

ErrorOr<std::unique_ptr<OutputSchemaValidator>> OutputSchemaValidator::Compile(const Value& schema) {
  auto impl = std::make_unique<Impl>();
  try {
    nlohmann::json document = ToNlohmann(schema);
    valijson::adapters::NlohmannJsonAdapter adapter(document);
    valijson::SchemaParser parser;
    parser.populateSchema(adapter, impl->schema);
  } catch (const std::exception& e) {
    return MakeError("schema", fmt::format("the outputSchema cannot be used for validation: {}", Sentence(e.what())));
  }
  return std::unique_ptr<OutputSchemaValidator>(new OutputSchemaValidator(std::move(impl)));
}

std::optional<std::string> OutputSchemaValidator::Check(const Value& value) const {
  nlohmann::json document = ToNlohmann(value);
  valijson::adapters::NlohmannJsonAdapter target(document);
  valijson::Validator validator;
  valijson::ValidationResults results;
  try {
    if (validator.validate(impl_->schema, target, &results)) return std::nullopt;
  } catch (const std::exception& e) {
    return fmt::format("the value could not be validated: {}", Sentence(e.what()));
  }
  // The deepest error names the field that is actually wrong; outer ones only say that
  // some property or item failed.
  const valijson::ValidationResults::Error* best = nullptr;
  for (const auto& error : results) {
    if (!best || error.context.size() > best->context.size()) best = &error;
  }
  if (!best) return std::string("the value does not match the schema");
  std::string path = FieldPath(best->context);
  std::string what = Sentence(best->description);
  // A wrong scalar is quoted, so the reader sees what was sent.
  if (const Value* found = ValueAt(value, best->context); found && !found->is_list() && !found->is_record()) {
    std::string text = ToJson(*found);
    if (text.size() > 40) text = text.substr(0, 40) + "…";
    what += fmt::format(" (found {} {})", found->kind_name(), text);
  }
  return path.empty() ? what : fmt::format("at `{}`: {}", path, what);
}

}  // namespace orch::interp
