// ONNX Runtime's side of tests/bench/int8_vs_ort.sh: the accuracy of an exported model (float or
// int8 QDQ) on Fashion-MNIST's 10,000 test images, fed as raw pixels, and the predicted class of
// every image (one per line in OUT) so that the script can compare them with neurite-cli predict.
//   NODE_PATH=/tmp/ort/node_modules node ort_accuracy.js MODEL.onnx IMAGES.gz LABELS.gz OUT THREADS
const ort = require('onnxruntime-node');
const fs = require('fs');
const zlib = require('zlib');
(async () => {
  const [model, imagesPath, labelsPath, out, threads] = process.argv.slice(2);
  const images = zlib.gunzipSync(fs.readFileSync(imagesPath));
  const labels = zlib.gunzipSync(fs.readFileSync(labelsPath));
  const count = images.readUInt32BE(4), rows = images.readUInt32BE(8), cols = images.readUInt32BE(12);
  if (labels.readUInt32BE(4) !== count) throw new Error('images and labels differ in count');
  const session = await ort.InferenceSession.create(model, {
    intraOpNumThreads: Number(threads || 2), interOpNumThreads: 1, graphOptimizationLevel: 'all'});
  const name = session.inputNames[0];
  const batch = 500, values = rows * cols;
  let right = 0;
  const predicted = [];
  for (let start = 0; start < count; start += batch) {
    const n = Math.min(batch, count - start);
    const data = new Float32Array(n * values);
    for (let i = 0; i < data.length; ++i) data[i] = images[16 + start * values + i];
    const result = await session.run({[name]: new ort.Tensor('float32', data, [n, 1, rows, cols])});
    const y = result[session.outputNames[0]].data;
    const k = y.length / n;
    for (let s = 0; s < n; ++s) {
      let best = 0;
      for (let c = 1; c < k; ++c) if (y[s * k + c] > y[s * k + best]) best = c;
      predicted.push(best);
      right += best === labels[8 + start + s];
    }
  }
  fs.writeFileSync(out, predicted.join('\n') + '\n');
  console.log(JSON.stringify({model, samples: count, accuracy: right / count}));
})().catch((e) => { console.error('error: ' + e.message); process.exit(2); });
