// A fake inspector for memtop's tests. It catches SIGUSR1 itself (so Node
// opens no real inspector) and then listens on 127.0.0.1:9229 misbehaving:
//   silent   accepts and never answers
//   garbage  answers garbage instead of HTTP
//   bigframe valid /json/list and upgrade, then a frame claiming 1 GiB
//   cutframe valid /json/list and upgrade, then half a frame and close
//   nojson   valid upgrade, then answers every message with non-JSON text
'use strict';
const net = require('net');
const crypto = require('crypto');
const mode = process.argv[2];
const conns = [];

function accept(key) {
  return crypto.createHash('sha1')
    .update(key + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64');
}

function serve(sock) {
  conns.push(sock);
  let buf = '';
  sock.on('error', () => {});
  sock.on('data', (d) => {
    if (mode === 'silent') return;
    if (mode === 'garbage') { sock.write('\x00\xff garbage \r\n\r\n'); return; }
    buf += d.toString('latin1');
    if (!buf.includes('\r\n\r\n')) return;
    const req = buf; buf = '';
    if (req.startsWith('GET /json/list')) {
      const body = JSON.stringify([{ webSocketDebuggerUrl: 'ws://127.0.0.1:9229/fake' }]);
      sock.write('HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n' +
        'Content-Length: ' + Buffer.byteLength(body) + '\r\n\r\n' + body);
      return;
    }
    const m = /Sec-WebSocket-Key: (.*)\r\n/i.exec(req);
    if (!m) return;
    sock.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n' +
      'Connection: Upgrade\r\nSec-WebSocket-Accept: ' + accept(m[1].trim()) + '\r\n\r\n');
    if (mode === 'bigframe') {
      // FIN + text, 64-bit length 2^30, then a little payload
      const h = Buffer.from([0x81, 127, 0, 0, 0, 0, 0x40, 0, 0, 0]);
      sock.write(Buffer.concat([h, Buffer.alloc(4096, 0x61)]));
    } else if (mode === 'cutframe') {
      sock.write(Buffer.from([0x81, 126, 0x10, 0x00, 0x7b, 0x22]));
      setTimeout(() => sock.destroy(), 50);
    } else if (mode === 'nojson') {
      sock.on('data', () => {
        const t = Buffer.from('not json at all');
        sock.write(Buffer.concat([Buffer.from([0x81, t.length]), t]));
      });
    }
  });
}

process.on('SIGUSR1', () => {
  net.createServer(serve).listen(9229, '127.0.0.1');
});
console.log('ready ' + process.pid);
setInterval(() => {}, 1 << 30);
