// Fused losses, each returning the mean loss and writing its gradient, with torch's formulas and
// normalizations. Loss sums use fixedOrderSum, so they are bit-identical for any thread count.
#include <cmath>

#include "backend/cpu/cpu_kernels.h"

namespace neurite::cpu {

namespace {

constexpr int64_t kRowsPerChunk = 16;
constexpr int64_t kElementsPerChunk = 4096;

// logits [N, C] with i32 labels [N] in [0, C); returns C.
int64_t checkClassification(const Tensor& logits, const Tensor& labels, const Tensor& diff,
                            const char* what) {
    requireSameNumel(logits, diff, what);  // and on the CPU
    const int64_t classes = checkClassificationShapes(logits, labels, diff, what);
    const int64_t n = logits.numel() / classes;
    const int32_t* y = labels.data<int32_t>();
    for (int64_t i = 0; i < n; ++i)
        if (y[i] < 0 || y[i] >= classes)
            throwBadInput(std::string(what) + ": label " + std::to_string(y[i]) + " of sample " +
                          std::to_string(i) + " is outside the model's " + std::to_string(classes) +
                          " classes; check the label column or the "
                          "size of the last layer");
    return classes;
}

// Writes the log-softmax of row z[0, c) into logp, stable through the row maximum.
void logSoftmaxRow(const float* z, int64_t c, float* logp) {
    float mx = z[0];
    for (int64_t k = 1; k < c; ++k)
        mx = std::max(mx, z[k]);
    float sum = 0.f;
    for (int64_t k = 0; k < c; ++k)
        sum += std::exp(z[k] - mx);
    const float lse = mx + std::log(sum);
    for (int64_t k = 0; k < c; ++k)
        logp[k] = z[k] - lse;
}

} // namespace

// torch.nn.CrossEntropyLoss(weight=w, label_smoothing=e), reduction mean. Per sample i with
// target y: l_i = (1-e) w_y (-log p_y) + e/C sum_c w_c (-log p_c); the loss is sum_i l_i / W
// with W = sum_i w_{y_i} (N without weights), and dl_i/dz_k is
// p_k ((1-e) w_y + e/C sum_c w_c) - (1-e) w_y [k = y] - e/C w_k.
float softmaxCrossEntropy(const ThreadConfig& tc, const Tensor& logits, const Tensor& labels,
                          const Tensor* classWeights, float labelSmoothing, Tensor& diffLogits) {
    const int64_t c = checkClassification(logits, labels, diffLogits, "cross-entropy loss");
    const int64_t n = logits.shape()[0];
    const int32_t* y = labels.data<int32_t>();
    const float* w = nullptr;
    if (classWeights) {
        requireNumel(*classWeights, c, "cross-entropy class weights");
        w = classWeights->f32();
    }
    double weightSum = 0.0, classWeightSum = static_cast<double>(c);
    for (int64_t i = 0; i < n; ++i)
        weightSum += w ? w[y[i]] : 1.0;
    if (w) {
        classWeightSum = 0.0;
        for (int64_t k = 0; k < c; ++k)
            classWeightSum += w[k];
    }
    const float e = labelSmoothing;
    const float smooth = e / static_cast<float>(c);
    const float inv = static_cast<float>(1.0 / weightSum);
    const float* z = logits.f32();
    float* g = diffLogits.f32();
    const double total = fixedOrderSum(tc, n, kRowsPerChunk, [&](int64_t b, int64_t end) {
        double s = 0.0;
        for (int64_t i = b; i < end; ++i) {
            float* gi = g + i * c;
            logSoftmaxRow(z + i * c, c, gi); // gi holds log p until overwritten below
            const float wy = w ? w[y[i]] : 1.f;
            double smoothTerm = 0.0;
            for (int64_t k = 0; k < c; ++k)
                smoothTerm -= (w ? w[k] : 1.f) * gi[k];
            s += (1.0 - e) * wy * -gi[y[i]] + smooth * smoothTerm;
            const float rowScale = (1.f - e) * wy + smooth * static_cast<float>(classWeightSum);
            for (int64_t k = 0; k < c; ++k)
                gi[k] = (std::exp(gi[k]) * rowScale - smooth * (w ? w[k] : 1.f)) * inv;
            gi[y[i]] -= (1.f - e) * wy * inv;
        }
        return s;
    });
    return static_cast<float>(total / weightSum);
}

// torch.nn.BCEWithLogitsLoss(pos_weight=pw), mean over all elements, in torch's stable form:
// l = (1-y) x + (1 + (pw-1) y) (log1p(exp(-|x|)) + max(-x, 0)); dl/dx = pw y (s-1) + (1-y) s.
float binaryCrossEntropy(const ThreadConfig& tc, const Tensor& logits, const Tensor& targets,
                         float posWeight, Tensor& diffLogits) {
    requireSameNumel(logits, targets, "binary cross-entropy");
    requireSameNumel(logits, diffLogits, "binary cross-entropy");
    const int64_t n = logits.numel();
    const float* x = logits.f32();
    const float* t = targets.f32();
    float* g = diffLogits.f32();
    const float inv = 1.f / static_cast<float>(n);
    const double total = fixedOrderSum(tc, n, kElementsPerChunk, [&](int64_t b, int64_t e) {
        double s = 0.0;
        for (int64_t i = b; i < e; ++i) {
            const float xi = x[i], yi = t[i];
            const float logWeight = (posWeight - 1.f) * yi + 1.f;
            s += (1.f - yi) * xi +
                 logWeight * (std::log1p(std::exp(-std::fabs(xi))) + std::max(-xi, 0.f));
            const float ex = std::exp(-std::fabs(xi));
            const float sig = xi >= 0.f ? 1.f / (1.f + ex) : ex / (1.f + ex);
            g[i] = (posWeight * yi * (sig - 1.f) + (1.f - yi) * sig) * inv;
        }
        return s;
    });
    return static_cast<float>(total / static_cast<double>(n));
}

// Focal loss, mean over N of -alpha (1-p)^gamma log p with p = softmax(z)_y. With
// q = alpha (gamma (1-p)^(gamma-1) p log p - (1-p)^gamma): dl/dz_k = q ([k = y] - p_k).
float focalLoss(const ThreadConfig& tc, const Tensor& logits, const Tensor& labels, float gamma,
                float alpha, Tensor& diffLogits) {
    const int64_t c = checkClassification(logits, labels, diffLogits, "focal loss");
    const int64_t n = logits.shape()[0];
    const int32_t* y = labels.data<int32_t>();
    const float* z = logits.f32();
    float* g = diffLogits.f32();
    const float inv = 1.f / static_cast<float>(n);
    const double total = fixedOrderSum(tc, n, kRowsPerChunk, [&](int64_t b, int64_t end) {
        double s = 0.0;
        for (int64_t i = b; i < end; ++i) {
            float* gi = g + i * c;
            logSoftmaxRow(z + i * c, c, gi);
            const float logp = gi[y[i]];
            const float p = std::exp(logp);
            const float oneMinus = -std::expm1(logp);
            const float modulator = std::pow(oneMinus, gamma);
            s += -alpha * modulator * logp;
            const float slope = gamma == 0.f || oneMinus <= 0.f
                                    ? 0.f
                                    : gamma * std::pow(oneMinus, gamma - 1.f) * p * logp;
            const float q = alpha * (slope - modulator) * inv;
            for (int64_t k = 0; k < c; ++k)
                gi[k] = -q * std::exp(gi[k]);
            gi[y[i]] += q;
        }
        return s;
    });
    return static_cast<float>(total / static_cast<double>(n));
}

// torch.nn.MSELoss(): mean over all elements of (p - t)^2; gradient 2 (p - t) / numel.
float mseLoss(const ThreadConfig& tc, const Tensor& pred, const Tensor& targets, Tensor& diffPred) {
    requireSameNumel(pred, targets, "MSE loss");
    requireSameNumel(pred, diffPred, "MSE loss");
    const int64_t n = pred.numel();
    const float* p = pred.f32();
    const float* t = targets.f32();
    float* g = diffPred.f32();
    const float twoInv = 2.f / static_cast<float>(n);
    const double total = fixedOrderSum(tc, n, kElementsPerChunk, [&](int64_t b, int64_t e) {
        double s = 0.0;
        for (int64_t i = b; i < e; ++i) {
            const float d = p[i] - t[i];
            s += static_cast<double>(d) * d;
            g[i] = twoInv * d;
        }
        return s;
    });
    return static_cast<float>(total / static_cast<double>(n));
}

// torch.nn.HuberLoss(delta): 0.5 d^2 where |d| <= delta, else delta (|d| - delta/2); mean.
float huberLoss(const ThreadConfig& tc, const Tensor& pred, const Tensor& targets, float delta,
                Tensor& diffPred) {
    requireSameNumel(pred, targets, "Huber loss");
    requireSameNumel(pred, diffPred, "Huber loss");
    if (!(delta > 0.f))
        throwBadInput("Huber loss: delta must be positive, got " + std::to_string(delta));
    const int64_t n = pred.numel();
    const float* p = pred.f32();
    const float* t = targets.f32();
    float* g = diffPred.f32();
    const float inv = 1.f / static_cast<float>(n);
    const double total = fixedOrderSum(tc, n, kElementsPerChunk, [&](int64_t b, int64_t e) {
        double s = 0.0;
        for (int64_t i = b; i < e; ++i) {
            const float d = p[i] - t[i];
            const float a = std::fabs(d);
            if (a <= delta) {
                s += 0.5 * static_cast<double>(d) * d;
                g[i] = d * inv;
            } else {
                s += static_cast<double>(delta) * (a - 0.5 * static_cast<double>(delta));
                g[i] = (d > 0.f ? delta : -delta) * inv;
            }
        }
        return s;
    });
    return static_cast<float>(total / static_cast<double>(n));
}

} // namespace neurite::cpu
