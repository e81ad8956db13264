/**
 * The HTTP client of `--probe-http`, run by node inside the sandbox's network namespace (via
 * nsenter): it retries the connection to 127.0.0.1:PORT until the deadline, sends GET PATH once
 * the port answers, and prints one JSON line: status, body digest and size, the body's first bytes.
 */
export const HTTP_CLIENT = String.raw`
const http = require('node:http');
const crypto = require('node:crypto');
const [port, target, deadline] = [Number(process.argv[1]), process.argv[2], Number(process.argv[3])];
const RETRY = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENETUNREACH', 'EADDRNOTAVAIL', 'EPIPE']);
const done = (result) => { process.stdout.write(JSON.stringify(result) + '\n'); process.exit(0); };
setTimeout(() => done({ error: 'no answer on port ' + port + ' before the timeout' }), Math.max(1, deadline - Date.now())).unref();
function attempt() {
  const request = http.get({ host: '127.0.0.1', port, path: target, agent: false, headers: { connection: 'close' } }, (response) => {
    const hash = crypto.createHash('sha256');
    let size = 0;
    let head = Buffer.alloc(0);
    response.on('data', (chunk) => {
      hash.update(chunk);
      size += chunk.length;
      if (head.length < 512) head = Buffer.concat([head, chunk]).subarray(0, 512);
    });
    response.on('end', () => done({ status: response.statusCode, digest: 'sha256:' + hash.digest('hex'), size, head: head.toString('utf8') }));
    response.on('error', (error) => done({ error: 'the response broke off: ' + error.message }));
  });
  request.on('error', (error) => {
    if (RETRY.has(error.code) && Date.now() < deadline) setTimeout(attempt, 50);
    else done({ error: error.message });
  });
}
attempt();
`;

export interface HttpAnswer {
  status?: number;
  digest?: string;
  size?: number;
  head?: string;
  error?: string;
}
