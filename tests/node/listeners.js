// node listeners.js N: N listening sockets on 127.0.0.1 (ports 20000..),
// to fill a network namespace's table. Prints "ready <pid>".
'use strict';
const net = require('net');
const n = Number(process.argv[2] || 300);
let up = 0;
for (let i = 0; i < n; i++) {
  net.createServer(() => {}).listen(20000 + i, '127.0.0.1', () => {
    if (++up === n) console.log('ready ' + process.pid);
  });
}
setInterval(() => {}, 1 << 30);
