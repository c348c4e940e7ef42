// A minimal MCP echo server over stdio, with no SDK: it answers initialize, tools/list
// and tools/call of `echo` straight from a line reader. The benchmark runs every client
// against it to separate the client's cost from a real server's (server-everything).
import { createInterface } from "node:readline";

const write = (message) => process.stdout.write(JSON.stringify(message) + "\n");
const echo = {
  name: "echo",
  description: "Echoes back the input string",
  inputSchema: { type: "object", properties: { message: { type: "string" } }, required: ["message"] },
};

createInterface({ input: process.stdin }).on("line", (line) => {
  if (!line) return;
  const message = JSON.parse(line);
  const { id, method, params } = message;
  if (id === undefined || method === undefined) return;  // notifications and responses
  if (method === "initialize") {
    write({ jsonrpc: "2.0", id, result: { protocolVersion: params.protocolVersion, capabilities: { tools: {} },
                                          serverInfo: { name: "bench-echo", version: "1.0.0" } } });
  } else if (method === "tools/list") {
    write({ jsonrpc: "2.0", id, result: { tools: [echo] } });
  } else if (method === "tools/call") {
    write({ jsonrpc: "2.0", id, result: { content: [{ type: "text", text: `Echo: ${params.arguments.message}` }] } });
  } else if (method === "ping") {
    write({ jsonrpc: "2.0", id, result: {} });
  } else {
    write({ jsonrpc: "2.0", id, error: { code: -32601, message: `unknown method ${method}` } });
  }
}).on("close", () => process.exit(0));
