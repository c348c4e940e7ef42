// The official TypeScript SDK client against `orchestrator mock serve` (stdio, then
// Streamable HTTP): lists every tool across pages, calls tools, checks the answers.
// usage: node sdk_client.mjs ORCHESTRATOR FIXTURE (stdio|http)
import { spawn } from "node:child_process";
import assert from "node:assert/strict";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

const [binary, fixture, mode] = process.argv.slice(2);

async function startHttp() {
  const child = spawn(binary, ["mock", "serve", fixture, "--http", "127.0.0.1:0"], { stdio: ["ignore", "ignore", "pipe"] });
  const url = await new Promise((resolve, reject) => {
    let text = "";
    child.stderr.on("data", (chunk) => {
      text += chunk;
      const found = /listening on (\S+)/.exec(text);
      if (found) resolve(found[1]);
    });
    child.on("exit", (code) => reject(new Error(`mock serve exited with ${code}: ${text}`)));
  });
  return { child, transport: new StreamableHTTPClientTransport(new URL(url)) };
}

let child = null;
let transport;
if (mode === "http") {
  ({ child, transport } = await startHttp());
} else {
  transport = new StdioClientTransport({ command: binary, args: ["mock", "serve", fixture] });
}
const client = new Client({ name: "sdk-test", version: "1.0.0" });
await client.connect(transport);
assert.equal(client.getServerVersion().name, "echo-mock");

const names = [];
let cursor;
do {
  const page = await client.listTools(cursor ? { cursor } : {});
  names.push(...page.tools.map((t) => t.name));
  cursor = page.nextCursor;
} while (cursor);
assert.deepEqual(names, ["echo", "weather", "flaky", "slow"]);

const hello = await client.callTool({ name: "echo", arguments: { message: "hello" } });
assert.equal(hello.content[0].text, "hello back");
const other = await client.callTool({ name: "echo", arguments: { message: "bye" } });
assert.equal(other.content[0].text, "something else");
const weather = await client.callTool({ name: "weather", arguments: { city: "Oslo" } });
assert.deepEqual(weather.structuredContent, { celsius: -3 });
const first = await client.callTool({ name: "flaky", arguments: {} });
assert.equal(first.isError, true);
const second = await client.callTool({ name: "flaky", arguments: {} });
assert.equal(second.content[0].text, "ok now");
await assert.rejects(client.callTool({ name: "weather", arguments: { city: "Atlantis" } }), /no such city/);
// Two slow calls at once take about one latency (1.5 s), not two (3 s); the margin
// is wide so a loaded or sanitized CI machine cannot make it flake.
const start = Date.now();
await Promise.all([client.callTool({ name: "slow", arguments: {} }), client.callTool({ name: "slow", arguments: {} })]);
assert.ok(Date.now() - start < 2700, `two 1500ms calls took ${Date.now() - start}ms`);
await client.ping();
if (mode === "http") await transport.terminateSession();
await client.close();
if (child) child.kill("SIGTERM");
console.log(`ok: ${mode}: ${names.length} tools listed, 8 calls`);
