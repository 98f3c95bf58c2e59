// ONNX Runtime's side of tests/bench/predict_vs_ort.sh: the same measurements neurite-cli
// predict --bench makes, on an exported model with raw inputs of the model's own shape.
//   NODE_PATH=/tmp/ort/node_modules node ort_bench.js MODEL.onnx THREADS BATCHES(1,64,1024) [DTYPE_MAX]
// Batch 1 latency: p50/p99 over up to 2,000 runs (at least 50, about 2 s); each batch's
// throughput over about 1 s after a warm-up run. One JSON line per measurement, as predict's.
const ort = require('onnxruntime-node');
(async () => {
  const [model, threads, batchList, maxValue] = process.argv.slice(2);
  const session = await ort.InferenceSession.create(model, {
    intraOpNumThreads: Number(threads), interOpNumThreads: 1, executionMode: 'sequential',
    graphOptimizationLevel: 'all'});
  const name = session.inputNames[0];
  const meta = session.inputMetadata ? session.inputMetadata[0] : null;
  // The sample shape from the model's input (its first dimension is the batch).
  const dims = (meta && meta.shape) ? meta.shape.slice(1).map(Number) : null;
  if (!dims || dims.some((d) => !(d > 0))) throw new Error('cannot read the input shape of ' + model);
  const values = dims.reduce((a, b) => a * b, 1);
  const top = Number(maxValue || 255);
  let seed = 7;
  const random = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return (seed / 2147483648) * top; };
  const input = (n) => {
    const data = new Float32Array(n * values);
    for (let i = 0; i < data.length; ++i) data[i] = Math.floor(random());
    return new ort.Tensor('float32', data, [n, ...dims]);
  };
  const now = () => Number(process.hrtime.bigint()) / 1e6;
  const one = input(1);
  for (let i = 0; i < 20; ++i) await session.run({[name]: one});
  const ms = [];
  const start = now();
  while (ms.length < 2000 && (ms.length < 50 || now() - start < 2000)) {
    const t0 = now();
    await session.run({[name]: one});
    ms.push(now() - t0);
  }
  ms.sort((a, b) => a - b);
  const pct = (p) => ms[Math.floor(p * (ms.length - 1))];
  console.log(JSON.stringify({bench: 'latency', runtime: 'onnxruntime', batch: 1, runs: ms.length,
                              p50_ms: pct(0.5), p99_ms: pct(0.99)}));
  for (const b of batchList.split(',').map(Number)) {
    const x = input(b);
    await session.run({[name]: x});
    let samples = 0;
    const t0 = now();
    let elapsed = 0;
    do {
      await session.run({[name]: x});
      samples += b;
      elapsed = now() - t0;
    } while (elapsed < 1000);
    console.log(JSON.stringify({bench: 'throughput', runtime: 'onnxruntime', batch: b,
                                samples_per_sec: samples / (elapsed / 1000)}));
  }
})().catch((e) => { console.error('error: ' + e.message); process.exit(2); });
