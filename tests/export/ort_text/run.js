// Runs an ONNX model in ONNX Runtime (onnxruntime-node, found through NODE_PATH) on the id rows
// of a JSON file and writes every output as {dims, data}.
const ort = require('onnxruntime-node');
const fs = require('fs');
(async () => {
  const [model, idsFile, outFile] = process.argv.slice(2);
  const rows = JSON.parse(fs.readFileSync(idsFile));
  const session = await ort.InferenceSession.create(model);
  const x = new ort.Tensor('float32', Float32Array.from(rows.flat()), [rows.length, rows[0].length]);
  const result = await session.run({[session.inputNames[0]]: x});
  const out = {};
  for (const k of session.outputNames) out[k] = {dims: result[k].dims, data: Array.from(result[k].data)};
  fs.writeFileSync(outFile, JSON.stringify(out));
})();
