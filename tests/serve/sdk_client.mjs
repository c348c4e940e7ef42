// The official TypeScript SDK client against `orchestrator serve conformance.orch` (stdio,
// then Streamable HTTP): lists the served workflows, checks their generated schemas and
// annotations, calls them (structured results, progress, errors, bad arguments, an unknown
// tool, concurrent calls, a cancelled call) and checks the server keeps serving.
// usage: node sdk_client.mjs ORCHESTRATOR FILE.orch (stdio|http) WORKDIR
import { spawn } from "node:child_process";
import assert from "node:assert/strict";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

const [binary, file, mode, workdir] = process.argv.slice(2);

async function startHttp() {
  const child = spawn(binary, ["serve", file, "--http", "127.0.0.1:0"], { cwd: workdir, stdio: ["ignore", "ignore", "pipe"] });
  const url = await new Promise((resolve, reject) => {
    let text = "";
    child.stderr.on("data", (chunk) => {
      text += chunk;
      const found = /listening on (\S+)/.exec(text);
      if (found) resolve(found[1]);
    });
    child.on("exit", (code) => reject(new Error(`serve exited with ${code}: ${text}`)));
  });
  return { child, transport: new StreamableHTTPClientTransport(new URL(url)) };
}

let child = null;
let transport;
if (mode === "http") {
  ({ child, transport } = await startHttp());
} else {
  transport = new StdioClientTransport({ command: binary, args: ["serve", file], cwd: workdir, stderr: "ignore" });
}
const client = new Client({ name: "sdk-test", version: "1.0.0" });
await client.connect(transport);
assert.equal(client.getServerVersion().name, "orchestrator-serve");
assert.equal(client.getServerCapabilities().tools.listChanged, true);

// Every top-level workflow is a tool; `_helper` and the test block are not.
const { tools } = await client.listTools();
const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
assert.deepEqual(tools.map((t) => t.name), ["test_simple_text", "test_error_handling", "test_tool_with_progress",
  "test_tool_with_logging", "word_stats", "add", "wait", "save_note"]);

const stats = byName.word_stats;
assert.equal(stats.description, "Counts the words of `text` at least `min_length` long and finds the longest one");
assert.deepEqual(stats.inputSchema, {
  type: "object",
  properties: { text: { type: "string" }, min_length: { type: "integer", default: 1 } },
  required: ["text"],
  additionalProperties: false,
});
assert.deepEqual(stats.outputSchema, {
  type: "object",
  properties: { words: { type: "integer" }, longest: { type: "string" }, shout: { type: "string" } },
  required: ["words", "longest", "shout"],
});
assert.deepEqual(stats.annotations, { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false });
// A non-object result is wrapped as {result: T}.
assert.deepEqual(byName.add.outputSchema, { type: "object", properties: { result: { type: "integer" } }, required: ["result"] });
// std.write_file is neither read-only nor non-destructive.
assert.equal(byName.save_note.annotations.readOnlyHint, false);
assert.equal(byName.save_note.annotations.destructiveHint, true);

const counted = await client.callTool({ name: "word_stats", arguments: { text: "a serve of workflows", min_length: 2 } });
assert.deepEqual(counted.structuredContent, { words: 3, longest: "workflows", shout: "WORKFLOWS" });
assert.deepEqual(JSON.parse(counted.content[0].text), counted.structuredContent);
const sum = await client.callTool({ name: "add", arguments: { a: 40 } });
assert.deepEqual(sum.structuredContent, { result: 42 });
assert.equal(sum.content[0].text, "42");

// Arguments that violate the inputSchema: JSON-RPC invalid params naming the field.
await assert.rejects(client.callTool({ name: "add", arguments: { a: "forty" } }),
  (e) => e.code === -32602 && /`?a`?/.test(e.message) && /integer|type/.test(e.message));
await assert.rejects(client.callTool({ name: "add", arguments: {} }), (e) => e.code === -32602 && /`a`/.test(e.message));
await assert.rejects(client.callTool({ name: "add", arguments: { a: 1, c: 2 } }),
  (e) => e.code === -32602 && /`c`/.test(e.message) && /did you mean `[ab]`/.test(e.message));
await assert.rejects(client.callTool({ name: "no_such_tool", arguments: {} }), (e) => e.code === -32602);

// A failing workflow: a tool result with isError and the error's kind and message.
const failed = await client.callTool({ name: "test_error_handling", arguments: {} });
assert.equal(failed.isError, true);
assert.match(failed.content[0].text, /This tool intentionally returns an error for testing \(error kind `fail` at .*conformance\.orch:\d+:\d+\)/);

// Progress: one notification per finished step (four), increasing. The SDK may drop the
// last one when it arrives together with the result (typescript-sdk issue 2580), so three
// are required.
const progress = [];
const withProgress = await client.callTool({ name: "test_tool_with_progress", arguments: {} }, undefined,
  { onprogress: (p) => progress.push(p) });
assert.match(withProgress.content[0].text, /progress test completed/);
assert.ok(progress.length >= 3, `expected 3 progress notifications, got ${JSON.stringify(progress)}`);
for (let i = 1; i < progress.length; i++) assert.ok(progress[i].progress > progress[i - 1].progress);

// Two one-second calls at once take about one second, not two.
const start = Date.now();
await Promise.all([client.callTool({ name: "wait", arguments: { ms: 1000 } }),
                   client.callTool({ name: "wait", arguments: { ms: 1000 } })]);
assert.ok(Date.now() - start < 1900, `two 1000 ms calls took ${Date.now() - start} ms`);

// Cancelling a call stops it; the server keeps serving.
const controller = new AbortController();
const cancelled = client.callTool({ name: "wait", arguments: { ms: 20000 } }, undefined, { signal: controller.signal });
setTimeout(() => controller.abort("enough"), 200);
await assert.rejects(cancelled);
const after = await client.callTool({ name: "test_simple_text", arguments: {} });
assert.equal(after.content[0].text, "This is a simple text response for testing.");
await client.ping();

if (mode === "http") await transport.terminateSession();
await client.close();
if (child) child.kill("SIGTERM");
console.log(`ok: ${mode}: ${tools.length} tools listed and called`);
