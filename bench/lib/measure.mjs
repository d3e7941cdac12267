// Timing: warm up, then several rounds over the same request array, ns per call per round;
// the median round is the figure (the machine is shared: medians, never the best or the mean).
// Each round runs whole passes over the requests, enough passes to last `roundMs`.

let sink = 0;

export function measure(fn, requests, { rounds = 7, roundMs = 150, warmupMs = 400 } = {}) {
  const pass = () => {
    let s = 0;
    for (let i = 0; i < requests.length; i++) s += fn(requests[i]) ? 1 : 0;
    sink += s;
  };
  const t0 = performance.now();
  let passes = 0;
  do {
    pass();
    passes++;
  } while (performance.now() - t0 < warmupMs);
  const perPass = (performance.now() - t0) / passes;
  const k = Math.max(1, Math.round(roundMs / perPass));
  const samples = [];
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    for (let j = 0; j < k; j++) pass();
    samples.push(Number(process.hrtime.bigint() - start) / (k * requests.length));
  }
  samples.sort((a, b) => a - b);
  return { ns: samples[samples.length >> 1], min: samples[0], max: samples[samples.length - 1], rounds, calls: k * requests.length };
}

export function sinkValue() {
  return sink;
}

/** `1234.5` → `1,235`; small numbers keep one decimal. */
export function fmtNs(ns) {
  return ns < 100 ? ns.toFixed(1) : Math.round(ns).toLocaleString("en-US");
}
