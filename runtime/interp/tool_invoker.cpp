// ToolInvoker: server lookup, tool facts, call policies (timeout, retry with exponential
// backoff, cache) and conversion of CallToolResult into language values.
#include "runtime/interp/tool_invoker.h"

#include <fmt/format.h>

#include <thread>

#include "runtime/value/json.h"

namespace orch::interp {
namespace {

// Releases a ResultCache claim however the call ends, so waiting equal calls go on.
class ClaimGuard {
 public:
  ClaimGuard(ResultCache& cache, std::string key) : cache_(cache), key_(std::move(key)) {}
  ~ClaimGuard() { cache_.Release(key_); }
  ClaimGuard(const ClaimGuard&) = delete;
  ClaimGuard& operator=(const ClaimGuard&) = delete;

 private:
  ResultCache& cache_;
  std::string key_;
};

/// Joins the text items of a CallToolResult's content.
std::string JoinText(const Value& content) {
  std::string text;
  bool first = true;
  for (const Value& item : content.as_list()) {
    const Value* type = item.Find("type");
    if (!type || type->as_string() != "text") continue;
    if (!first) text += '\n';
    first = false;
    if (const Value* item_text = item.Find("text")) text += item_text->as_string();
  }
  return text;
}

// A result that breaks the tool's own schema will break it again: not retried.
bool Retryable(const Error& e) { return e.kind != "cancelled" && e.kind != "config" && e.kind != "schema"; }

/// Sleeps `delay`, waking early when `cancel` fires. False when cancelled.
bool SleepUnlessCancelled(std::chrono::milliseconds delay, const mcp::CancelToken& cancel) {
  auto until = std::chrono::steady_clock::now() + delay;
  while (std::chrono::steady_clock::now() < until) {
    if (cancel.cancelled()) return false;
    auto step = std::min<std::chrono::steady_clock::duration>(std::chrono::milliseconds(10),
                                                               until - std::chrono::steady_clock::now());
    if (step.count() > 0) std::this_thread::sleep_for(step);
  }
  return !cancel.cancelled();
}

}  // namespace

ToolInvoker::ToolInvoker(ServerLookup servers, Observer* observer, ResultCache* cache,
                         std::chrono::milliseconds default_timeout)
    : lookup_(std::move(servers)), observer_(observer), cache_(cache), default_timeout_(default_timeout) {}

ErrorOr<ToolInvoker::ServerState*> ToolInvoker::State(const std::string& name) {
  std::lock_guard lock(mutex_);
  auto it = servers_.find(name);
  if (it != servers_.end()) return it->second.get();
  auto server = lookup_(name);
  if (!server) return server.error();
  auto state = std::make_unique<ServerState>();
  state->server = *server;
  auto tools = state->server->ListTools();
  if (!tools) return tools.error();
  for (const auto& tool : *tools) {
    ToolFacts facts;
    facts.known = true;
    facts.read_only = tool.annotations.Get("readOnlyHint").is_bool() && tool.annotations.Get("readOnlyHint").as_bool();
    facts.idempotent =
        tool.annotations.Get("idempotentHint").is_bool() && tool.annotations.Get("idempotentHint").as_bool();
    facts.has_output_schema = tool.output_schema.is_record();
    if (facts.has_output_schema) state->output_schemas.emplace(tool.name, tool.output_schema);
    state->tools.emplace(tool.name, facts);
  }
  auto identity = state->server->Identity();
  state->identity = identity ? fmt::format("{}@{}", identity->name, identity->version) : name;
  ServerState* raw = state.get();
  servers_.emplace(name, std::move(state));
  return raw;
}

ErrorOr<const ToolInvoker::Handle*> ToolInvoker::Resolve(const std::string& server, const std::string& tool,
                                                        const std::string& alias) {
  std::string key = server + '\x1f' + tool;
  {
    std::lock_guard lock(mutex_);
    auto it = handles_.find(key);
    if (it != handles_.end()) return it->second.get();
  }
  auto state = State(server);
  if (!state) return state.error();
  auto handle = std::make_unique<Handle>();
  handle->server = *state;
  handle->server_name = server;
  handle->tool = tool;
  handle->what = fmt::format("{}.{}", alias.empty() ? server : alias, tool);
  if (auto it = (*state)->tools.find(tool); it != (*state)->tools.end()) handle->facts = it->second;
  if (auto it = (*state)->output_schemas.find(tool); it != (*state)->output_schemas.end()) {
    auto validator = OutputSchemaValidator::Compile(it->second);
    if (validator) {
      handle->output_validator = std::move(*validator);
    } else if (observer_) {
      observer_->OnWarning(fmt::format("results of `{}` are not validated: {}", handle->what, validator.error().message),
                           compiler::Span{});
    }
  }
  std::lock_guard lock(mutex_);
  auto [it, inserted] = handles_.try_emplace(std::move(key), std::move(handle));
  return it->second.get();
}

ErrorOr<ToolFacts> ToolInvoker::Facts(const std::string& server, const std::string& tool) {
  auto handle = Resolve(server, tool, "");
  if (!handle) return handle.error();
  return (*handle)->facts;
}

ErrorOr<Value> ToolInvoker::Call(const std::string& server, const std::string& tool, const Value& arguments,
                                 const CallPolicyValues& policy, compiler::Span span,
                                 const mcp::CancelToken& cancel) {
  auto handle = Resolve(server, tool, "");
  if (!handle) {
    uint64_t id = next_call_id_.fetch_add(1);
    if (observer_) {
      observer_->OnCallStart(id, server, tool, span);
      observer_->OnCallEnd(id, CallOutcome::kFailed, std::chrono::nanoseconds(0));
    }
    return handle.error();
  }
  return Call(**handle, arguments, policy, span, cancel);
}

ErrorOr<Value> ToolInvoker::ToLanguageValue(const Value& raw, bool has_output_schema, const std::string& what) {
  static const Value kNoContent{List{}};
  const Value* content_field = raw.Find("content");
  const Value& content = content_field && content_field->is_list() ? *content_field : kNoContent;
  const Value* is_error = raw.Find("isError");
  if (is_error && is_error->is_bool() && is_error->as_bool()) {
    std::string text = JoinText(content);
    return MakeError("tool", text.empty() ? "the tool reported an error without a message" : text);
  }
  const Value* structured = raw.Find("structuredContent");
  if (has_output_schema) {
    if (structured) return *structured;
    // Older servers put the JSON only in the text; accept it when it parses.
    auto parsed = ParseJson(JoinText(content));
    if (parsed) return parsed;
    return MakeError("protocol", fmt::format("`{}` declares an outputSchema but returned no structuredContent", what));
  }
  // One text item (the common case) shares its string instead of copying it: a 50 MB
  // file read through a tool is then held once, not twice.
  const Value* single = nullptr;
  int text_items = 0;
  for (const Value& item : content.as_list()) {
    const Value* type = item.Find("type");
    if (type && type->is_string() && type->as_string() == "text") {
      ++text_items;
      single = item.Find("text");
    }
  }
  Record result;
  result.reserve(4);
  result.Append("content", content);
  result.Append("text", text_items == 1 && single && single->is_string() ? *single : Value(JoinText(content)));
  result.Append("structured", structured ? *structured : Value());
  result.Append("is_error", Value(false));
  return Value(std::move(result));
}

ErrorOr<Value> ToolInvoker::Call(const Handle& tool, const Value& arguments, const CallPolicyValues& policy,
                                 compiler::Span span, const mcp::CancelToken& cancel) {
  const std::string& what = tool.what;
  const ToolFacts& facts = tool.facts;
  uint64_t id = next_call_id_.fetch_add(1);
  auto started = std::chrono::steady_clock::now();
  if (observer_) observer_->OnCallStart(id, tool.server_name, tool.tool, span);
  auto finish = [&](CallOutcome outcome) {
    if (observer_) observer_->OnCallEnd(id, outcome, std::chrono::steady_clock::now() - started);
  };

  // Only results of tools without side effects may be reused.
  std::string cache_key;
  bool use_cache = cache_ && policy.cache_ttl && (facts.read_only || facts.idempotent);
  if (policy.cache_ttl && !use_cache && cache_ && observer_) {
    observer_->OnWarning(fmt::format("not caching `{}`: the tool is neither read-only nor idempotent", what), span);
  }
  std::optional<ClaimGuard> claim;
  if (use_cache) {
    cache_key = ResultCache::Key(tool.server->identity, tool.tool, arguments);
    auto lookup = cache_->GetOrClaim(cache_key, *policy.cache_ttl, [&] { return cancel.cancelled(); });
    if (lookup.hit) {
      finish(CallOutcome::kCached);
      return ToLanguageValue(*lookup.hit, facts.has_output_schema, what);
    }
    if (lookup.claimed) claim.emplace(*cache_, cache_key);
  }

  // Built in one go: a default-constructed CancelToken would allocate a state only to
  // be replaced by `cancel`.
  mcp::CallOptions options{
      .timeout = policy.timeout ? *policy.timeout : default_timeout_, .on_progress = {}, .cancel = cancel};
  if (observer_ && observer_->WantsProgress()) {
    options.on_progress = [this, id](const mcp::Progress& p) {
      observer_->OnCallProgress(id, p.progress, p.total, p.message);
    };
  }

  int attempts = 1 + std::max(0, policy.retries);
  std::chrono::milliseconds delay = policy.backoff;
  for (int attempt = 1;; ++attempt) {
    if (cancel.cancelled()) {
      finish(CallOutcome::kCancelled);
      return MakeError("cancelled", fmt::format("`{}` was cancelled", what));
    }
    ErrorOr<Value> raw = tool.server->server->CallTool(tool.tool, arguments, options);
    ErrorOr<Value> value = raw ? ToLanguageValue(*raw, facts.has_output_schema, what) : ErrorOr<Value>(raw.error());
    if (value && tool.output_validator) {
      if (auto problem = tool.output_validator->Check(*value)) {
        value = MakeError("schema", fmt::format("`{}` returned a result its outputSchema forbids: {}", what, *problem));
      }
    }
    if (value) {
      if (use_cache) cache_->Put(cache_key, *raw);
      finish(CallOutcome::kOk);
      return value;
    }
    if (attempt >= attempts || !Retryable(value.error())) {
      finish(value.error().kind == "cancelled" ? CallOutcome::kCancelled : CallOutcome::kFailed);
      return value.error();
    }
    if (observer_) observer_->OnCallRetry(id, attempt + 1, value.error().message);
    if (delay.count() > 0) {
      if (!SleepUnlessCancelled(delay, cancel)) {
        finish(CallOutcome::kCancelled);
        return MakeError("cancelled", fmt::format("`{}` was cancelled", what));
      }
      delay *= 2;
    }
  }
}

}  // namespace orch::interp
