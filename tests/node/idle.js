// Allocates ~50 MB, then idles. Prints "ready <pid>".
// node idle.js [N]: also listens on N servers of its own (127.0.0.1:0).
// With SAFETY_COUNT_USR1=1 it counts SIGUSR1 (only when an inspector is
// already open: a JS handler stops Node from opening one) and prints
// "usr1 <n>" on each.
'use strict';
const net = require('net');
const keep = [];
for (let i = 0; i < 50; i++) keep.push(Buffer.alloc(1 << 20, i));
global.__keep = keep;
const servers = Number(process.argv[2] || 0);
let listening = 0;
function ready() { console.log('ready ' + process.pid); }
if (process.env.SAFETY_COUNT_USR1) {
  let n = 0;
  process.on('SIGUSR1', () => console.log('usr1 ' + (++n)));
}
for (let i = 0; i < servers; i++) {
  net.createServer(() => {}).listen(0, '127.0.0.1', () => {
    if (++listening === servers) ready();
  });
}
if (servers === 0) ready();
setInterval(() => {}, 1 << 30);
