// A Node workload that leaves hundreds of MiB of collectible garbage, then
// idles: 4 bursts of ~130 MB of small objects, every 32nd kept alive.
// Run with --no-memory-reducer, or V8 frees the garbage by itself after
// about a minute of idling. Prints "ready <pid>" when it is done.
'use strict';
require('./garbage-lib.js')();
// the heap limit V8 chose, for the tests that compare memtop's with it
console.log('ready ' + process.pid + ' limit ' +
  require('v8').getHeapStatistics().heap_size_limit);
setInterval(() => {}, 1 << 30);
