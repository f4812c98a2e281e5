// node block.js N: after 0.5 s the main thread blocks in execSync('sleep
// N') (no JS runs, no inspector can open); prints "blocked", then
// "unblocked" when it returns, and idles.
'use strict';
const cp = require('child_process');
const secs = Number(process.argv[2] || 10);
console.log('ready ' + process.pid);
setTimeout(() => {
  console.log('blocked');
  cp.execSync('sleep ' + secs);
  console.log('unblocked');
}, 500);
setInterval(() => {}, 1 << 30);
