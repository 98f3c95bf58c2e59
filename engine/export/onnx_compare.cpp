// Compare with original (onnx_compare.h): both sides get the same preprocessed samples. A file
// Neurite exported carries its own preprocessing and target scaling as nodes, so it gets the raw
// samples and the project's outputs keep their target units; any other file gets what the
// model's first layer sees, and raw model outputs are compared.
#include "export/onnx_compare.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/error.h"
#include "data/data_source.h"
#include "export/export_source.h"
#include "export/onnx_read.h"
#include "export/onnx_run.h"
#include "export/predictor.h"
#include "run/run_setup.h"

namespace neurite {

namespace {

std::string shortNumber(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2g", v);
    return buf;
}

}  // namespace

std::string OnnxComparison::summary() const {
    std::string s = std::to_string(samples) + " samples of the " + split + " split, output \"" + output +
                    "\": largest difference " + shortNumber(maxAbs) + " (relative " + shortNumber(maxRel) + ")";
    if (sameClass >= 0) s += ", the same class for " + std::to_string(sameClass) + " of " + std::to_string(samples);
    return s;
}

OnnxComparison compareWithOnnx(const ProjectDocument& project, const std::string& onnxPath,
                               const CompareOptions& options) {
    return compareWithOnnx(project, onnximport::readOnnxFile(onnxPath), options);
}

OnnxComparison compareWithOnnx(const ProjectDocument& project, const onnximport::OnnxGraph& graph,
                               const CompareOptions& options) {
    const std::string& onnxPath = graph.what;
    const bool neuriteFile = onnximport::exportedByNeurite(graph);
    OnnxComparison out;
    out.onnxFile = onnxPath;
    out.output = onnximport::modelOutputOf(graph, options.output);

    RunSetup setup = prepareRun(project);
    const Dataset& data = setup.data;
    if (sampleShapeOf(*setup.model) != data.sampleShape)
        throwBadInput("the project's model takes samples of shape " + sampleShapeOf(*setup.model).str() + ", but its data (" +
                      data.source + ") has samples of shape " + data.sampleShape.str());
    const DataSplit* split = &data.test;
    out.split = "test";
    if (split->count == 0) split = &data.validation, out.split = "validation";
    if (split->count == 0) split = &data.train, out.split = "train";
    int64_t n = std::min<int64_t>(std::max<int64_t>(options.maxSamples, 1), split->count);
    if (n == 0) throwBadInput("the project's data has no samples to compare on");
    // a file exported with a fixed batch size runs that many samples at a time
    const std::vector<int64_t>& fileDims = graph.inputs.empty() ? std::vector<int64_t>{} : graph.inputs.front().dims;
    int64_t chunk = 16;
    if (!fileDims.empty() && fileDims[0] > 0) {
        chunk = fileDims[0];
        n -= n % chunk;
        if (n == 0)
            throwBadInput(onnxPath + ": its batch is fixed at " + std::to_string(chunk) + " samples, more than the " +
                          out.split + " split has");
    }
    const int64_t per = data.sampleShape.numel();
    std::vector<float> raw(static_cast<std::size_t>(n * per));
    for (std::size_t k = 0; k < raw.size(); ++k) raw[k] = split->value(k);

    Preprocessing pre = preprocessingOf(data);
    if (!neuriteFile) pre.target = {};  // raw model outputs, as the file's
    Predictor predictor(*setup.model, pre, 64);
    const std::vector<float> ours = predictor.outputs(raw.data(), n);
    // the file gets what the first layer sees, unless it applies the preprocessing itself
    std::vector<float> x = raw;
    if (!neuriteFile) {
        std::vector<int64_t> rows(static_cast<std::size_t>(n));
        for (int64_t r = 0; r < n; ++r) rows[static_cast<std::size_t>(r)] = r;
        gatherFeatures(data, *split, rows, x.data());
    }

    std::vector<float> theirs;
    for (int64_t first = 0; first < n; first += chunk) {
        if (options.stop && options.stop->stopRequested())
            throw Error(ErrorKind::Cancelled, "the comparison with " + onnxPath + " was cancelled");
        const int64_t count = std::min(chunk, n - first);
        std::vector<int64_t> dims{count};
        for (int64_t d : data.sampleShape) dims.push_back(d);
        const std::vector<float> batch(x.begin() + first * per, x.begin() + (first + count) * per);
        const OnnxRunResult r = runOnnx(graph, dims, batch, out.output);
        if (r.dims.empty() || r.dims[0] != count)
            throwBadInput(onnxPath + ": the output \"" + out.output + "\" does not have the batch first");
        theirs.insert(theirs.end(), r.values.begin(), r.values.end());
    }
    if (theirs.size() != ours.size())
        throwBadInput(onnxPath + ": the output \"" + out.output + "\" has " + std::to_string(theirs.size() / std::size_t(n)) +
                      " values a sample, the project's model " + std::to_string(ours.size() / std::size_t(n)));
    out.samples = n;
    out.values = static_cast<int64_t>(ours.size()) / n;
    const bool classifier = data.numClasses > 0 && out.values > 1;
    if (classifier) out.sameClass = 0;
    for (int64_t s = 0; s < n; ++s) {
        const float* a = ours.data() + s * out.values;
        const float* b = theirs.data() + s * out.values;
        for (int64_t k = 0; k < out.values; ++k) {
            const double diff = std::fabs(double(a[k]) - double(b[k]));
            const double rel = diff / (1 + std::fabs(double(b[k])));
            out.maxAbs = std::max(out.maxAbs, diff);
            if (!(rel <= out.maxRel)) out.maxRel = rel, out.worstSample = s;  // a NaN counts as worst
        }
        if (classifier &&
            std::max_element(a, a + out.values) - a == std::max_element(b, b + out.values) - b)
            ++out.sameClass;
    }
    return out;
}

}  // namespace neurite
