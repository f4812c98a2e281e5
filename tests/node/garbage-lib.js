'use strict';
// ~520 MB of small objects in 4 bursts, every 32nd kept alive.
module.exports = function makeGarbage() {
  const keep = [];
  let sink = 0;
  for (let b = 0; b < 4; b++) {
    const a = [];
    for (let i = 0; i < 1300000; i++) {
      const o = { i, s: 'garbage-' + i, t: [i, i + 1] };
      if (i % 32 === 0) keep.push(o);
      a.push(o);
    }
    sink += a.length;
  }
  global.__keep = keep;
  return sink;
};
