// `orchestrator route QUERY [--top N] [--json] [--explain] [--context FILE]`.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <iostream>

#include "cli/commands/route/route_common.h"
#include "runtime/route/context.h"
#include "runtime/value/json.h"

namespace orch::cli::route {
namespace {

struct QueryArgs {
  std::vector<std::string> words;
  size_t top = 5;
  bool json = false;
  bool explain = false;
  std::string context_file;
};

std::string FirstLine(const std::string& text, size_t limit) {
  std::string line = text.substr(0, text.find('\n'));
  if (line.size() > limit) {
    size_t cut = limit;
    while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;  // keep UTF-8 whole
    line = line.substr(0, cut) + "…";
  }
  return line;
}

int Run(const QueryArgs& args, const RouteOptions& options, const CommandContext& context, const CLI::App& root) {
  const GlobalOptions& global = context.global;
  std::string query;
  if (args.words.size() == 1 && args.words[0] == "-") {
    // The request on standard input, read up to one byte past the limit so CheckQuery can say so.
    std::string chunk(4096, '\0');
    while (query.size() <= orch::route::kMaxQueryBytes && std::cin.read(chunk.data(), chunk.size()).gcount() > 0) {
      query.append(chunk.data(), static_cast<size_t>(std::cin.gcount()));
    }
    while (!query.empty() && (query.back() == '\n' || query.back() == '\r')) query.pop_back();
  } else {
    for (const auto& w : args.words) query += (query.empty() ? "" : " ") + w;
  }
  if (auto ok = orch::route::CheckQuery(query); !ok) return ReportError(ok.error(), global);
  if (args.top == 0) return ReportError(MakeError("usage", "`--top` must be at least 1"), global);

  auto catalog = LoadRouteCatalog(options, context, root);
  if (!catalog) return ReportError(catalog.error(), global);
  auto router = OpenRouter(options, global, *catalog);
  if (!router) return ReportError(router.error(), global);
  const auto& index = (*router)->index();

  orch::route::RankRequest request;
  request.query = query;
  request.top = args.top;
  request.explain = args.explain;
  std::string resolved;
  std::optional<orch::route::RouteContext> previous;
  if (!args.context_file.empty()) {
    auto read = orch::route::ReadContextFile(args.context_file);
    if (!read) return ReportError(read.error(), global);
    previous = std::move(*read);
    if (previous && !previous->query.empty() && orch::route::IsFollowUp(query)) {
      resolved = orch::route::ResolveFollowUp(*previous, orch::route::ExtractEntities(query));
      request.previous_query = resolved;
      request.previous_tool = index.FindTool(previous->tool);
      if (!args.json) std::cerr << fmt::format("note: follow-up of \"{}\"; read as \"{}\"\n", previous->query, resolved);
    }
  }

  auto ranked = (*router)->Rank(request);
  const double threshold = (*router)->weights().threshold;
  bool confident = !ranked.empty() && ranked[0].score >= threshold;

  if (args.json) {
    List out;
    for (const auto& r : ranked) {
      const auto& tool = index.tool(r.tool);
      Record item{{"tool", tool.Id()}, {"score", Value(std::round(r.score * 10000) / 10000)},
                  {"description", FirstLine(tool.description, 200)}};
      if (args.explain) {
        List reasons;
        for (const auto& reason : r.reasons) reasons.emplace_back(reason);
        item.Set("why", Value(std::move(reasons)));
      }
      out.emplace_back(std::move(item));
    }
    std::cout << ToJson(Value(std::move(out)), {2, false}) << "\n";
  } else if (confident) {
    size_t width = 0;
    for (const auto& r : ranked) width = std::max(width, index.tool(r.tool).Id().size());
    for (const auto& r : ranked) {
      const auto& tool = index.tool(r.tool);
      std::cout << fmt::format("{:<{}}  {:.2f}  {}\n", tool.Id(), width, r.score, FirstLine(tool.description, 90));
      if (args.explain) {
        for (const auto& reason : r.reasons) std::cout << "    " << reason << "\n";
      }
    }
  }
  if (!confident) {
    std::string closest;
    for (size_t i = 0; i < ranked.size() && i < 3; ++i) {
      closest += fmt::format("{}{} ({:.2f})", i ? ", " : "", index.tool(ranked[i].tool).Id(), ranked[i].score);
    }
    std::cerr << fmt::format("error: no tool matches this request confidently (best score {:.2f}, threshold {:.2f})\n",
                             ranked.empty() ? 0.0 : ranked[0].score, threshold);
    if (!closest.empty()) std::cerr << "  = note: closest: " << closest << "\n";
    std::cerr << "  = help: rephrase with the thing to act on and the action, or teach the router with "
                 "`orchestrator route feedback \"REQUEST\" --chose server/tool`\n";
  }
  if (!args.context_file.empty() && !ranked.empty()) {
    orch::route::RouteContext next;
    next.query = resolved.empty() ? query : resolved;
    next.tool = index.tool(ranked[0].tool).Id();
    next.entities = orch::route::ExtractEntities(next.query);
    if (auto ok = orch::route::WriteContextFile(args.context_file, next); !ok) return ReportError(ok.error(), global);
  }
  return confident ? kExitOk : kExitWorkflowFailed;
}

}  // namespace

void RegisterRouteQuery(CLI::App* route, CommandContext& context) {
  auto args = std::make_shared<QueryArgs>();
  auto options = std::make_shared<RouteOptions>();
  route->add_option("QUERY", args->words, "The request, in plain language (several words are joined; `-` reads it from standard input)");
  route->add_option("--top,-n", args->top, "How many tools to show")->capture_default_str();
  route->add_flag("--json", args->json, "Print [{\"tool\": \"server/tool\", \"score\": …, \"description\": …}]");
  route->add_flag("--explain", args->explain, "Say why each tool ranked where it did");
  route->add_option("--context", args->context_file,
                    "Conversation file: a follow-up (\"now the same for Paris\") reuses the previous request");
  AddRouteOptions(route, *options);
  route->callback([route, args, options, &context] {
    if (!route->get_subcommands().empty()) return;  // a subcommand ran instead
    if (args->words.empty()) {
      std::cerr << "error: `route` needs a request, e.g. `orchestrator route \"list files in my project\"`\n"
                   "  = help: `orchestrator route --help` lists the options and subcommands\n";
      context.exit_code = kExitUsage;
      return;
    }
    context.exit_code = Run(*args, *options, context, *route->get_parent());
  });
}

}  // namespace orch::cli::route
