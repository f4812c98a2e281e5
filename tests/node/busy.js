// Runs while(true){} after 0.5 s: the event loop never turns again, but
// V8 interrupts (the inspector's messages) still run. Prints "ready <pid>"
// and "busy" when the loop starts.
'use strict';
console.log('ready ' + process.pid);
setTimeout(() => { console.log('busy'); for (;;) {} }, 500);
