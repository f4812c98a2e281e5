// A Node workload that leaves hundreds of MiB of collectible garbage, then
// idles: 4 bursts of ~130 MB of small objects, every 32nd kept alive.
// Run with --no-memory-reducer, or V8 frees the garbage by itself after
// about a minute of idling. Prints "ready <pid>" when it is done.
'use strict';
const keep = [];
let sink = 0;
function burst() {
  const a = [];
  for (let i = 0; i < 1300000; i++) {
    const o = { i, s: 'garbage-' + i, t: [i, i + 1] };
    if (i % 32 === 0) keep.push(o);
    a.push(o);
  }
  sink += a.length;
}
for (let b = 0; b < 4; b++) burst();
console.log('ready ' + process.pid + ' ' + sink + ' ' + keep.length);
setInterval(() => {}, 1 << 30);
