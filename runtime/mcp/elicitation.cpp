// Elicitation answers: from a file, a terminal prompt, or schema defaults, else a decline.
#include "runtime/mcp/elicitation.h"

#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <cstdio>
#include <fstream>
#include <optional>
#include <mutex>
#include <sstream>

#include "runtime/value/json.h"

namespace orch::mcp {
namespace {

/// yaml-cpp node → Value (scalars typed as YAML would: true/false, ints, numbers, strings).
Value FromYaml(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Sequence: {
      List list;
      for (const auto& item : node) list.push_back(FromYaml(item));
      return Value(std::move(list));
    }
    case YAML::NodeType::Map: {
      Record record;
      for (auto it = node.begin(); it != node.end(); ++it) record.Set(it->first.Scalar(), FromYaml(it->second));
      return Value(std::move(record));
    }
    case YAML::NodeType::Scalar: {
      const std::string& s = node.Scalar();
      if (node.Tag() == "!") return Value(s);  // quoted
      bool b;
      if (s == "true" || s == "false") return Value(YAML::convert<bool>::decode(node, b) && b);
      auto number = ParseJson(s);
      if (number && number->is_numeric()) return *number;
      return Value(s);
    }
    default:
      return Value();
  }
}

/// Coerces `value` to the field's type where the conversion is obvious ("3" → 3).
std::optional<Value> Coerce(const Value& value, const Value& schema) {
  std::string type = schema.Get("type").is_string() ? schema.Get("type").as_string() : "";
  if (type == "integer") {
    if (value.is_int()) return value;
    if (value.is_number() && value.as_number() == static_cast<double>(value.as_int())) return Value(value.as_int());
    if (value.is_string()) {
      auto parsed = ParseJson(value.as_string());
      if (parsed && parsed->is_int()) return *parsed;
    }
    return std::nullopt;
  }
  if (type == "number") {
    if (value.is_numeric()) return value;
    if (value.is_string()) {
      auto parsed = ParseJson(value.as_string());
      if (parsed && parsed->is_numeric()) return *parsed;
    }
    return std::nullopt;
  }
  if (type == "boolean") {
    if (value.is_bool()) return value;
    if (value.is_string()) {
      std::string s = value.as_string();
      if (s == "true" || s == "yes" || s == "y") return Value(true);
      if (s == "false" || s == "no" || s == "n") return Value(false);
    }
    return std::nullopt;
  }
  if (type == "string") {
    if (!value.is_string()) return std::nullopt;
    if (const Value* options = schema.Find("enum"); options && options->is_list()) {
      for (const Value& option : options->as_list()) {
        if (option == value) return value;
      }
      return std::nullopt;
    }
    return value;
  }
  if (type == "array") return value.is_list() ? std::optional<Value>(value) : std::nullopt;
  return value;
}

bool IsRequired(const Value& schema, const std::string& field) {
  const Value* required = schema.Find("required");
  if (required == nullptr || !required->is_list()) return false;
  for (const Value& name : required->as_list()) {
    if (name.is_string() && name.as_string() == field) return true;
  }
  return false;
}

/// Reads one line from the terminal after writing `prompt`; nullopt at end of input.
std::optional<std::string> AskTty(const std::string& prompt) {
  static std::mutex tty_mutex;  // one prompt at a time, even with several servers asking
  std::lock_guard lock(tty_mutex);
  FILE* tty = std::fopen("/dev/tty", "r+");
  if (tty == nullptr) return std::nullopt;
  std::fputs(prompt.c_str(), tty);
  std::fflush(tty);
  char buffer[4096];
  std::optional<std::string> line;
  if (std::fgets(buffer, sizeof buffer, tty) != nullptr) {
    line = buffer;
    while (!line->empty() && (line->back() == '\n' || line->back() == '\r')) line->pop_back();
  }
  std::fclose(tty);
  return line;
}

std::string TypeHint(const Value& schema) {
  if (const Value* options = schema.Find("enum"); options && options->is_list()) {
    std::vector<std::string> names;
    for (const Value& o : options->as_list()) names.push_back(o.is_string() ? o.as_string() : ToJson(o));
    return fmt::format("one of {}", fmt::join(names, ", "));
  }
  std::string type = schema.Get("type").is_string() ? schema.Get("type").as_string() : "any";
  return type == "boolean" ? "yes/no" : type;
}

}  // namespace

Value AnswerElicitation(const Value& params, const Value& answers, std::string* missing) {
  const Value schema = params.Get("requestedSchema");
  Record content;
  if (const Value* properties = schema.Find("properties"); properties && properties->is_record()) {
    for (const auto& [field, field_schema] : properties->as_record()) {
      std::optional<Value> value;
      if (const Value* answer = answers.Find(field)) value = Coerce(*answer, field_schema);
      if (!value) {
        if (const Value* fallback = field_schema.Find("default")) value = *fallback;
      }
      if (value) {
        content.Set(field, *value);
      } else if (IsRequired(schema, field)) {
        if (missing) *missing = field;
        return Value(Record{{"action", "decline"}});
      }
    }
  }
  return Value(Record{{"action", "accept"}, {"content", Value(std::move(content))}});
}

ErrorOr<ElicitationHandler> MakeElicitationHandler(ElicitationPolicyOptions options) {
  Value answers = Value(Record{});
  if (!options.answers_file.empty()) {
    std::ifstream in(options.answers_file, std::ios::binary);
    if (!in) return MakeError("config", fmt::format("cannot read answers file `{}`", options.answers_file));
    std::ostringstream text;
    text << in.rdbuf();
    try {
      answers = FromYaml(YAML::Load(text.str()));
    } catch (const YAML::Exception& e) {
      return MakeError("config", fmt::format("{}:{}: cannot parse answers file: {}", options.answers_file,
                                             e.mark.line + 1, e.msg));
    }
    if (!answers.is_record()) {
      return MakeError("config", fmt::format("answers file `{}` must hold a mapping of field name to value",
                                             options.answers_file));
    }
  }
  auto notice = options.on_notice;
  bool interactive = options.interactive;
  return ElicitationHandler([answers, notice, interactive](const std::string& server, const Value& params) -> ErrorOr<Value> {
    std::string message = params.Get("message").is_string() ? params.Get("message").as_string() : "";
    std::string mode = params.Get("mode").is_string() ? params.Get("mode").as_string() : "form";
    if (mode != "form") {
      if (notice) notice(fmt::format("declined a `{}` elicitation from server `{}`: orchestrator does not open URLs ({})",
                                     mode, server, message));
      return Value(Record{{"action", "decline"}});
    }
    // Answers for this server: nested under its name, else the whole file.
    Value mine = answers.Get(server).is_record() ? answers.Get(server) : answers;
    if (interactive) {
      const Value schema = params.Get("requestedSchema");
      Record filled = mine.is_record() ? mine.as_record() : Record{};
      std::string header = fmt::format("\nserver `{}` asks: {}\n", server, message);
      bool first = true;
      if (const Value* properties = schema.Find("properties"); properties && properties->is_record()) {
        for (const auto& [field, field_schema] : properties->as_record()) {
          if (filled.Contains(field)) continue;
          while (true) {
            std::string label = field_schema.Get("title").is_string() ? field_schema.Get("title").as_string() : field;
            std::string fallback = field_schema.Find("default") ? ToJson(field_schema.Get("default")) : "";
            std::string prompt = fmt::format("{}  {} ({}{}){}: ", first ? header : "", label, TypeHint(field_schema),
                                             IsRequired(schema, field) ? ", required" : "",
                                             fallback.empty() ? "" : fmt::format(" [{}]", fallback));
            first = false;
            auto line = AskTty(prompt);
            if (!line) return Value(Record{{"action", "cancel"}});
            if (line->empty()) break;  // default, or nothing
            auto value = Coerce(Value(*line), field_schema);
            if (!value && field_schema.Get("type").is_string() && field_schema.Get("type").as_string() == "array") {
              auto parsed = ParseJson(*line);
              if (parsed) value = Coerce(*parsed, field_schema);
            }
            if (value) {
              filled.Set(field, *value);
              break;
            }
            AskTty(fmt::format("  expected {}; try again (Enter to continue)", TypeHint(field_schema)));
          }
        }
      }
      mine = Value(std::move(filled));
    }
    std::string missing;
    Value result = AnswerElicitation(params, mine, &missing);
    if (!missing.empty() && notice) {
      notice(fmt::format("declined an elicitation from server `{}` ({}): field `{}` has no answer and no default\n"
                         "  = help: give answers with `--answers FILE` (a JSON or YAML mapping of field to value)",
                         server, message, missing));
    }
    return result;
  });
}

}  // namespace orch::mcp
