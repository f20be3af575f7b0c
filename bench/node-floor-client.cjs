'use strict';
// The least a Node keep-alive HTTP client can do per request, as a reference for `influxsh load`:
// worker threads, each with its share of the connections on libuv TCP handles (the bindings
// src/connection/raw-tcp.ts uses), and on every read it counts one response and writes the next
// request. No parsing, timing or histograms: only what any Node client pays (the event loop, the
// call into JavaScript per read, the write). It assumes each read holds one whole response, true
// of the bench's small answers; it is a measuring stick, not a load generator.
// With "close" after SECONDS, each request goes on a new connection (Connection: close): read,
// close the handle, connect again, write. With "measure", keep-alive plus the least a client that
// measures must add: one clock read per response (it is also the next request's send time), the
// status code's first digit checked, the latency counted in a histogram bucket.
// Usage: node bench/node-floor-client.cjs URL CONNECTIONS THREADS SECONDS [close|measure] → {"requests":N,"rps":R}
const { Worker, isMainThread, parentPort, workerData } = require('node:worker_threads');

if (isMainThread) {
  const [url, connections, threads, seconds, mode] = process.argv.slice(2);
  const u = new URL(url);
  const n = Number(threads);
  let requests = 0;
  let done = 0;
  for (let i = 0; i < n; i++) {
    const conns = Math.floor(Number(connections) / n) + (i < Number(connections) % n ? 1 : 0);
    const w = new Worker(__filename, {
      workerData: { host: u.hostname, port: Number(u.port || 80), path: u.pathname + u.search, conns, ms: Number(seconds) * 1000, close: mode === 'close', measure: mode === 'measure' },
    });
    w.on('message', (count) => {
      requests += count;
      if (++done === n) {
        process.stdout.write(JSON.stringify({ requests, rps: requests / Number(seconds) }) + '\n');
        process.exit(0);
      }
    });
  }
} else {
  const tcp = process.binding('tcp_wrap');
  const stream = process.binding('stream_wrap');
  const state = stream.streamBaseState;
  const { performance } = require('node:perf_hooks');
  const { host, port, path, conns, ms, close, measure } = workerData;
  const buckets = new Uint32Array(24 * 1024);
  let bad = 0;
  const request = Buffer.from(`GET ${path} HTTP/1.1\r\nHost: ${host}:${port}\r\n${close ? 'Connection: close\r\n' : ''}\r\n`);
  const write = new stream.WriteWrap();
  write.oncomplete = () => {};
  const buf = Buffer.allocUnsafe(64 * 1024); // one thread reads one connection at a time
  const ignore = () => {};
  let count = 0;
  let counting = true;
  function onread() {
    if (state[stream.kReadBytesOrError] <= 0 || !counting) return;
    count++;
    if (measure) {
      const now = performance.now();
      const us = Math.round((now - this.sentAt) * 1000);
      const k = 21 - Math.clz32(us);
      buckets[k > 0 ? (k << 10) + (us >>> k) : us]++;
      if (buf[9] !== 50) bad++; // "HTTP/1.1 2xx"
      this.sentAt = now;
    }
    if (!close) return void this.writeBuffer(write, request);
    this.onread = ignore;
    this.close();
    open();
  }
  function connected(status, h) {
    if (status < 0) throw new Error(`connect failed: ${status}`);
    h.setNoDelay(true);
    h.useUserBuffer(buf);
    h.onread = onread;
    h.readStart();
    h.sentAt = performance.now();
    h.writeBuffer(write, request);
  }
  function open() {
    const connect = new tcp.TCPConnectWrap();
    connect.oncomplete = connected;
    new tcp.TCP(tcp.constants.SOCKET).connect(connect, host, port);
  }
  for (let i = 0; i < conns; i++) open();
  setTimeout(() => {
    counting = false;
    if (bad) throw new Error(`${bad} responses were not 2xx`);
    parentPort.postMessage(count);
  }, ms);
}
