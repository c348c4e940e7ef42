// JSON-RPC message peeking for the HTTP transport (simdjson on-demand: only the top-level
// `method`, `id` and, for cancellations, `params.requestId` are looked at).
#include "runtime/mcp/http_message.h"

#include <simdjson.h>

#include "runtime/value/json.h"

namespace orch::mcp {
namespace {

// Canonical JSON text of an id value: integers in decimal, strings quoted and escaped.
bool IdText(simdjson::ondemand::value value, std::string* out) {
  simdjson::ondemand::json_type type;
  if (value.type().get(type)) return false;
  switch (type) {
    case simdjson::ondemand::json_type::number: {
      int64_t i;
      if (!value.get_int64().get(i)) {
        *out = std::to_string(i);
        return true;
      }
      std::string_view raw = value.raw_json_token();
      while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\n' || raw.back() == '\r' || raw.back() == '\t')) {
        raw.remove_suffix(1);
      }
      *out = std::string(raw);
      return true;
    }
    case simdjson::ondemand::json_type::string: {
      std::string_view s;
      if (value.get_string().get(s)) return false;
      out->clear();
      AppendJsonString(*out, s);
      return true;
    }
    case simdjson::ondemand::json_type::null:
      *out = "null";
      return true;
    default:
      return false;
  }
}

}  // namespace

std::optional<JsonRpcShape> PeekJsonRpc(std::string_view json) {
  thread_local simdjson::ondemand::parser parser;
  simdjson::padded_string padded(json);
  simdjson::ondemand::document doc;
  if (parser.iterate(padded).get(doc)) return std::nullopt;
  simdjson::ondemand::object object;
  if (doc.get_object().get(object)) return std::nullopt;
  JsonRpcShape shape;
  bool has_method = false;
  for (auto field : object) {
    std::string_view key;
    if (field.unescaped_key().get(key)) return std::nullopt;
    simdjson::ondemand::value value;
    if (field.value().get(value)) return std::nullopt;
    if (key == "method") {
      std::string_view method;
      if (value.get_string().get(method)) return std::nullopt;
      shape.method = std::string(method);
      has_method = true;
    } else if (key == "id") {
      if (!IdText(value, &shape.id)) return std::nullopt;
    } else if (key == "params") {
      simdjson::ondemand::object params;
      if (value.get_object().get(params)) continue;
      for (auto param : params) {
        std::string_view param_key;
        if (param.unescaped_key().get(param_key)) break;
        if (param_key != "requestId") continue;
        simdjson::ondemand::value request_id;
        if (!param.value().get(request_id)) IdText(request_id, &shape.cancelled_id);
        break;
      }
    }
  }
  if (has_method) {
    shape.kind = shape.id.empty() ? JsonRpcShape::Kind::kNotification : JsonRpcShape::Kind::kRequest;
  } else {
    shape.kind = JsonRpcShape::Kind::kResponse;
  }
  return shape;
}

std::string MakeTransportErrorResponse(const std::string& id_json, const std::string& message, long http_status) {
  std::string out = R"({"jsonrpc":"2.0","id":)";
  out += id_json;
  out += R"(,"error":{"code":-32000,"message":)";
  AppendJsonString(out, message);
  if (http_status != 0) {
    out += R"(,"data":{"transport":"http","httpStatus":)";
    out += std::to_string(http_status);
    out += "}";
  }
  out += "}}";
  return out;
}

}  // namespace orch::mcp
