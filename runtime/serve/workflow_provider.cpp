// WorkflowProvider: argument checks, one interpreter per call, progress/log forwarding and
// result rendering; see workflow_provider.h.
#include "runtime/serve/workflow_provider.h"

#include <fmt/format.h>

#include <condition_variable>
#include <thread>

#include "compiler/diagnostics/diagnostic.h"
#include "runtime/interp/output_schema.h"
#include "runtime/value/json.h"

namespace orch::serve {
namespace {

constexpr int kInvalidParams = -32602;

/// Forwards what a running workflow reports to the client of one call.
class CallObserver : public interp::Observer {
 public:
  CallObserver(mcp::server::ToolCallContext& context,
               const std::function<std::string(compiler::Span)>& locate)
      : context_(context), locate_(locate) {}

  void OnLog(const std::string& text, compiler::Span) override {
    context_.Log("info", Value(text));
  }

  void OnCallStart(uint64_t call_id, const std::string& server, const std::string& tool,
                   compiler::Span span) override {
    std::string name = server + "." + tool;
    {
      std::lock_guard lock(mutex_);
      names_[call_id] = name;
    }
    Record data{{"event", "call"}, {"tool", name}};
    if (locate_ && span.valid()) data.Set("at", locate_(span));
    context_.Log("debug", Value(std::move(data)));
  }

  void OnCallRetry(uint64_t call_id, int attempt, const std::string& error) override {
    context_.Log(
        "warning",
        Value(Record{
            {"event", "retry"}, {"tool", Name(call_id)}, {"attempt", attempt}, {"error", error}}));
  }

  void OnCallEnd(uint64_t call_id, interp::CallOutcome outcome,
                 std::chrono::nanoseconds elapsed) override {
    const char* how = outcome == interp::CallOutcome::kOk       ? "ok"
                      : outcome == interp::CallOutcome::kCached ? "cached"
                      : outcome == interp::CallOutcome::kFailed ? "failed"
                                                                : "cancelled";
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count();
    std::string name = Name(call_id);
    {
      // Progress must increase with each notification: count and send under one lock.
      std::lock_guard lock(progress_mutex_);
      ++finished_;
      context_.Progress(static_cast<double>(finished_), std::nullopt,
                        fmt::format("{} {} ({} ms)", name, how, ms));
    }
    context_.Log("debug", Value(Record{{"event", "done"},
                                       {"tool", name},
                                       {"outcome", how},
                                       {"ms", static_cast<int64_t>(ms)}}));
  }

  bool WantsProgress() const override { return false; }

  void OnWarning(const std::string& text, compiler::Span) override {
    context_.Log("warning", Value(text));
  }

 private:
  std::string Name(uint64_t call_id) {
    std::lock_guard lock(mutex_);
    auto it = names_.find(call_id);
    return it == names_.end() ? std::string("tool") : it->second;
  }

  mcp::server::ToolCallContext& context_;
  const std::function<std::string(compiler::Span)>& locate_;
  std::mutex mutex_;
  std::map<uint64_t, std::string> names_;
  std::mutex progress_mutex_;
  int64_t finished_ = 0;
};

mcp::server::ToolOutcome InvalidParams(std::string message, Value data = Value()) {
  return {Value(), mcp::server::RpcError{kInvalidParams, std::move(message), std::move(data)}};
}

/// Whether `value` has the JSON Schema `type` named (an int is also a number).
bool JsonTypeMatches(const Value& value, const std::string& type) {
  if (type == "string") return value.is_string();
  if (type == "integer")
    return value.is_int() ||
           (value.is_number() && value.as_number() == static_cast<double>(value.as_int()));
  if (type == "number") return value.is_numeric();
  if (type == "boolean") return value.is_bool();
  if (type == "array") return value.is_list();
  if (type == "object") return value.is_record();
  if (type == "null") return value.is_null();
  return true;
}

Value TextContent(const std::string& text) {
  return Value(List{Value(Record{{"type", "text"}, {"text", text}})});
}

}  // namespace

/// A served program with the inputSchema validators of its tools.
struct WorkflowProvider::Version {
  std::shared_ptr<const ServedProgram> program;
  /// By tool name; null when valijson cannot use the generated schema (arguments are
  /// then checked by name only).
  std::map<std::string, std::shared_ptr<const interp::OutputSchemaValidator>, std::less<>>
      validators;
};

std::string RenderResult(const Value& value) {
  if (value.is_string()) return value.as_string();
  return ToJson(value, {2, false});
}

WorkflowProvider::WorkflowProvider(std::shared_ptr<const ServedProgram> program) {
  Replace(std::move(program));
}

WorkflowProvider::~WorkflowProvider() = default;

std::shared_ptr<const WorkflowProvider::Version> WorkflowProvider::Current() const {
  std::lock_guard lock(mutex_);
  return current_;
}

bool WorkflowProvider::Replace(std::shared_ptr<const ServedProgram> program) {
  auto version = std::make_shared<Version>();
  for (const ServedWorkflow& tool : program->tools) {
    auto validator = interp::OutputSchemaValidator::Compile(tool.descriptor.input_schema);
    if (validator) version->validators[tool.descriptor.name] = std::move(*validator);
  }
  version->program = std::move(program);
  auto describe = [](const Version* v) {
    List tools;
    if (v != nullptr) {
      for (const ServedWorkflow& tool : v->program->tools) {
        const auto& d = tool.descriptor;
        tools.push_back(Value(Record{{"name", d.name},
                                     {"description", d.description},
                                     {"input", d.input_schema},
                                     {"output", d.output_schema},
                                     {"annotations", d.annotations}}));
      }
    }
    return CanonicalJson(Value(std::move(tools)));
  };
  bool changed;
  {
    std::lock_guard lock(mutex_);
    changed = current_ != nullptr && describe(current_.get()) != describe(version.get());
    current_ = std::move(version);
  }
  if (changed) {
    std::lock_guard lock(subscribers_mutex_);
    for (auto& [id, callback] : subscribers_) callback();
  }
  return changed;
}

int WorkflowProvider::SubscribeToolsChanged(std::function<void()> callback) {
  std::lock_guard lock(subscribers_mutex_);
  int id = next_subscriber_++;
  subscribers_[id] = std::move(callback);
  return id;
}

void WorkflowProvider::Unsubscribe(int id) {
  std::lock_guard lock(subscribers_mutex_);
  subscribers_.erase(id);
}

std::vector<mcp::server::ToolDescriptor> WorkflowProvider::ListTools() {
  std::shared_ptr<const Version> version = Current();
  std::vector<mcp::server::ToolDescriptor> tools;
  for (const ServedWorkflow& tool : version->program->tools) tools.push_back(tool.descriptor);
  return tools;
}

mcp::server::ToolOutcome WorkflowProvider::CallTool(const std::string& name, const Value& arguments,
                                                    mcp::server::ToolCallContext& context) {
  std::shared_ptr<const Version> version = Current();
  const ServedProgram& program = *version->program;
  const ServedWorkflow* tool = nullptr;
  std::vector<std::string> names;
  for (const ServedWorkflow& candidate : program.tools) {
    names.push_back(candidate.descriptor.name);
    if (candidate.descriptor.name == name) tool = &candidate;
  }
  if (tool == nullptr) {
    // The list changed (a reload) between the client's tools/list and this call.
    auto similar = compiler::SuggestSimilar(name, names);
    return InvalidParams(similar
                             ? fmt::format("unknown tool `{}`; did you mean `{}`?", name, *similar)
                             : fmt::format("unknown tool `{}`", name));
  }

  // Arguments: names first (with a suggestion), then the types against the inputSchema.
  if (!arguments.is_record()) {
    return InvalidParams(fmt::format("the arguments of `{}` must be an object, found {}", name,
                                     arguments.kind_name()));
  }
  for (const auto& [key, value] : arguments.as_record()) {
    if (std::find(tool->params.begin(), tool->params.end(), key) != tool->params.end()) continue;
    auto similar = compiler::SuggestSimilar(key, tool->params);
    std::string takes = tool->params.empty()
                            ? "it takes none"
                            : fmt::format("it takes {}", fmt::join(tool->params, ", "));
    return InvalidParams(
        similar
            ? fmt::format("unknown argument `{}` for `{}`; did you mean `{}`?", key, name, *similar)
            : fmt::format("unknown argument `{}` for `{}`; {}", key, name, takes),
        Value(Record{{"field", key}}));
  }
  Value required = tool->descriptor.input_schema.Get("required");
  if (required.is_list()) {
    for (const Value& field : required.as_list()) {
      if (!field.is_string() || arguments.as_record().Contains(field.as_string())) continue;
      Value schema = tool->descriptor.input_schema.Get("properties").Get(field.as_string());
      Value type = schema.Get("type");
      return InvalidParams(
          fmt::format("missing required argument `{}`{} for `{}`", field.as_string(),
                      type.is_string() ? fmt::format(" ({})", type.as_string()) : std::string(),
                      name),
          Value(Record{{"field", field.as_string()}}));
    }
  }
  // A top-level argument of the wrong JSON type gets a plain message; deeper problems (an
  // item of a list, a field of a record) are worded by the schema validator below.
  Value properties = tool->descriptor.input_schema.Get("properties");
  for (const auto& [key, value] : arguments.as_record()) {
    Value type = properties.Get(key).Get("type");
    if (!type.is_string() || JsonTypeMatches(value, type.as_string())) continue;
    return InvalidParams(
        fmt::format("argument `{}` of `{}` must be {} {}, found {}", key, name,
                    type.as_string() == "integer" || type.as_string() == "array" ? "an" : "a",
                    type.as_string(), value.kind_name()),
        Value(Record{{"field", key}}));
  }
  if (auto found = version->validators.find(name); found != version->validators.end()) {
    if (auto problem = found->second->Check(arguments)) {
      return InvalidParams(
          fmt::format("the arguments of `{}` do not match its inputSchema: {}", name, *problem));
    }
  }
  std::vector<std::optional<Value>> bound;
  for (const std::string& param : tool->params) {
    const Value* value = arguments.as_record().Find(param);
    bound.push_back(value ? std::optional<Value>(*value) : std::nullopt);
  }

  // Run, with a watcher turning the client's cancellation into the run's.
  mcp::CancelToken cancel;
  struct Watch {
    std::mutex mutex;
    std::condition_variable wake;
    bool done = false;
  } watch;
  std::thread watcher([&] {
    std::unique_lock lock(watch.mutex);
    while (!watch.done) {
      if (context.Cancelled()) {
        cancel.Cancel();
        return;
      }
      watch.wake.wait_for(lock, std::chrono::milliseconds(20));
    }
  });
  CallObserver observer(context, program.locate);
  interp::RunResult result = program.run(tool->entry, std::move(bound), &observer, cancel);
  {
    std::lock_guard lock(watch.mutex);
    watch.done = true;
  }
  watch.wake.notify_all();
  watcher.join();

  if (const auto* error = std::get_if<interp::RuntimeError>(&result)) {
    if (context.Cancelled())
      return {Value(), mcp::server::RpcError{-32800, "request cancelled", Value()}};
    std::string where =
        program.locate && error->span.valid() ? program.locate(error->span) : std::string();
    std::string text =
        where.empty()
            ? fmt::format("{} (error kind `{}`)", error->message, error->kind)
            : fmt::format("{} (error kind `{}` at {})", error->message, error->kind, where);
    return {Value(Record{{"content", TextContent(text)}, {"isError", true}}), std::nullopt};
  }
  const Value& value = std::get<Value>(result);
  Record answer{{"content", TextContent(RenderResult(value))}};
  if (!tool->descriptor.output_schema.is_null()) {
    answer.Set("structuredContent", tool->wrap_result ? Value(Record{{"result", value}}) : value);
  }
  return {Value(std::move(answer)), std::nullopt};
}

}  // namespace orch::serve
