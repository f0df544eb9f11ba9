/**
 * A flood of API calls from a process of its own (so it never loads the process being
 * measured): `connections` keep-alive connections, each sending serverInfo back to back for
 * `seconds`. Sends `{ type: 'flooded', requests }` over IPC when done.
 */
import https from 'node:https';

const [url, secondsArg, connectionsArg] = process.argv.slice(2);
const seconds = Number(secondsArg);
const connections = Number(connectionsArg);
const agent = new https.Agent({
  keepAlive: true,
  maxSockets: connections,
  rejectUnauthorized: false,
});
const body = JSON.stringify({ action: 'serverInfo', payload: {} });
const until = Date.now() + seconds * 1000;
let requests = 0;

function call(): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = https.request(url!, {
      method: 'POST',
      agent,
      headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve());
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function loop(): Promise<void> {
  while (Date.now() < until) {
    await call();
    requests += 1;
  }
}

await Promise.all(Array.from({ length: connections }, loop));
agent.destroy();
process.send?.({ type: 'flooded', requests });
process.disconnect?.();
