/**
 * The floor under every pollMsg figure: a bare node:https server with the same kind of
 * certificate that reads each request and answers what an idle pollMsg answers, with no routing,
 * validation or database. What the room server costs beyond this is ours to shave; this much is
 * TLS, HTTP and Node on this machine.
 */
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { generateCertificate } from '../../src-main/server/transport/certificate';
import { serveParent } from './server-ipc';

const ANSWER = JSON.stringify({ status: 'unchanged', last: 0 });

const { key, cert } = await generateCertificate(['localhost'], ['127.0.0.1']);
const server = https.createServer({ key, cert }, (req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(ANSWER),
    });
    res.end(ANSWER);
  });
});
server.keepAliveTimeout = 5_000;
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as AddressInfo;
serveParent({
  url: `https://127.0.0.1:${port}`,
  certificatePem: cert,
  close: () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
});
