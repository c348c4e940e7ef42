// A deliberately unreliable Streamable HTTP MCP server for the resumption test.
//
// Its one tool, `resume_me`, answers tools/call with an event stream that sends a priming
// event (id + `retry: 300`), a log notification, and then closes the connection without the
// response. The response is only given to a client that comes back with GET and the right
// `Last-Event-ID`, no sooner than the retry delay; otherwise the tool result says what went
// wrong and has isError set. The standalone GET stream (no Last-Event-ID) is not offered (405).
//
// Prints `PORT <n>` on stdout once listening on 127.0.0.1 (ephemeral port).
import http from "node:http";

const SESSION = "drop-session-1";
const RETRY_MS = 300;
let pending = null; // { id, message, lastEventId, closedAt }

function json(res, status, body, headers = {}) {
  res.writeHead(status, { "Content-Type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

function result(id, text, isError = false) {
  return { jsonrpc: "2.0", id, result: { content: [{ type: "text", text }], isError } };
}

function onPost(req, res, body) {
  let msg;
  try {
    msg = JSON.parse(body);
  } catch (e) {
    return json(res, 400, { jsonrpc: "2.0", id: null, error: { code: -32700, message: "parse error" } });
  }
  if (msg.method === "initialize") {
    const wanted = msg.params?.protocolVersion;
    const version = ["2025-11-25", "2025-06-18", "2025-03-26"].includes(wanted) ? wanted : "2025-11-25";
    return json(res, 200, {
      jsonrpc: "2.0",
      id: msg.id,
      result: { protocolVersion: version, capabilities: { tools: {} }, serverInfo: { name: "drop-server", version: "1.0.0" } },
    }, { "Mcp-Session-Id": SESSION });
  }
  if (req.headers["mcp-session-id"] !== SESSION) {
    return json(res, 400, { jsonrpc: "2.0", id: msg.id ?? null, error: { code: -32000, message: "missing or unknown Mcp-Session-Id" } });
  }
  if (msg.id === undefined) {
    res.writeHead(202);
    return res.end();
  }
  if (msg.method === "tools/list") {
    return json(res, 200, {
      jsonrpc: "2.0",
      id: msg.id,
      result: {
        tools: [{
          name: "resume_me",
          description: "Answers only after the client resumes a dropped event stream",
          inputSchema: { type: "object", properties: { message: { type: "string" } }, required: ["message"] },
        }],
      },
    });
  }
  if (msg.method === "tools/call" && msg.params?.name === "resume_me") {
    res.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-cache", "Mcp-Session-Id": SESSION });
    res.write(`id: drop-1\nretry: ${RETRY_MS}\ndata: \n\n`);
    const note = { jsonrpc: "2.0", method: "notifications/message", params: { level: "info", data: "dropping the stream now" } };
    res.write(`id: drop-2\ndata: ${JSON.stringify(note)}\n\n`);
    pending = { id: msg.id, message: msg.params?.arguments?.message ?? "", lastEventId: "drop-2", closedAt: 0 };
    setTimeout(() => {
      pending.closedAt = Date.now();
      res.end(); // the connection closes; the stream (and the response) are still owed
    }, 20);
    return;
  }
  return json(res, 200, { jsonrpc: "2.0", id: msg.id, result: {} });
}

function onGet(req, res) {
  const lastEventId = req.headers["last-event-id"];
  if (!lastEventId) {
    res.writeHead(405);
    return res.end();
  }
  res.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-cache" });
  if (!pending) {
    res.end();
    return;
  }
  const waited = Date.now() - pending.closedAt;
  let answer;
  if (lastEventId !== pending.lastEventId) {
    answer = result(pending.id, `resumed with Last-Event-ID ${lastEventId}, expected ${pending.lastEventId}`, true);
  } else if (waited < RETRY_MS - 20) {
    answer = result(pending.id, `reconnected after ${waited} ms, before the retry delay of ${RETRY_MS} ms`, true);
  } else {
    answer = result(pending.id, `resumed after ${lastEventId}: ${pending.message}`);
  }
  pending = null;
  res.write(`id: drop-3\ndata: ${JSON.stringify(answer)}\n\n`);
  res.end();
}

const server = http.createServer((req, res) => {
  if (req.method === "POST") {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => onPost(req, res, body));
  } else if (req.method === "GET") {
    onGet(req, res);
  } else if (req.method === "DELETE") {
    res.writeHead(200);
    res.end();
  } else {
    res.writeHead(405);
    res.end();
  }
});
server.listen(0, "127.0.0.1", () => {
  console.log(`PORT ${server.address().port}`);
});
process.on("SIGTERM", () => process.exit(0));
