// The same measurements as orch_mcp_bench, made with the official TypeScript SDK client
// (@modelcontextprotocol/sdk, pinned in tests/package.json): cold start to the first
// result, sequential latency over N calls, throughput with K calls in flight, and this
// process's CPU time per call. Prints one JSON object.
//   node sdk_bench.mjs --calls 2000 --inflight 64 --batches 20 -- COMMAND ARGS...
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const sdk = join(here, "..", "..", "tests", "node_modules", "@modelcontextprotocol", "sdk", "dist", "esm", "client");
const { Client } = await import(pathToFileURL(join(sdk, "index.js")).href);
const { StdioClientTransport } = await import(pathToFileURL(join(sdk, "stdio.js")).href);

const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
};
const calls = option("--calls", 2000);
const inflight = option("--inflight", 64);
const batches = option("--batches", 20);
const command = argv.slice(argv.indexOf("--") + 1);

const nowMs = () => Number(process.hrtime.bigint()) / 1e6;
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

const coldStart = nowMs();
const client = new Client({ name: "sdk-bench", version: "1.0.0" });
await client.connect(new StdioClientTransport({ command: command[0], args: command.slice(1), stderr: "ignore" }));
await client.callTool({ name: "echo", arguments: { message: "first" } });
const coldMs = nowMs() - coldStart;

const latencies = [];
let cpu = cpuMs();
for (let i = 0; i < calls; i++) {
  const t = nowMs();
  await client.callTool({ name: "echo", arguments: { message: `m${i}` } });
  latencies.push(nowMs() - t);
}
const sequentialCpu = (cpuMs() - cpu) / calls;
latencies.sort((a, b) => a - b);

const total = inflight * batches;
cpu = cpuMs();
const start = nowMs();
let next = 0;
const worker = async () => {
  while (next < total) {
    const i = next++;
    await client.callTool({ name: "echo", arguments: { message: `p${i}` } });
  }
};
await Promise.all(Array.from({ length: inflight }, worker));
const elapsed = nowMs() - start;
const parallelCpu = (cpuMs() - cpu) / total;
await client.close();

console.log(JSON.stringify({
  client: "sdk",
  cold_start_ms: coldMs,
  sequential_median_ms: percentile(latencies, 0.5),
  sequential_p99_ms: percentile(latencies, 0.99),
  sequential_cpu_us_per_call: sequentialCpu * 1000,
  throughput_calls_per_s: total / (elapsed / 1000),
  parallel_cpu_us_per_call: parallelCpu * 1000,
}));
process.exit(0);
