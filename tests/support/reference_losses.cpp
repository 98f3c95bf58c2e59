// ReferenceBackend losses, formula for formula as PyTorch (reduction='mean'). Each returns the
// loss and writes its gradient with respect to the logits (or predictions).
#include <algorithm>
#include <cmath>
#include <vector>

#include "core/error.h"
#include "reference_backend.h"

namespace neurite::test {

using ref::expectF32;

namespace {

// log-softmax of row b of logits [N, C], in double.
std::vector<double> logSoftmaxRow(const Tensor& logits, int64_t b, int64_t c) {
    const float* z = logits.f32() + b * c;
    double mx = z[0];
    for (int64_t j = 1; j < c; ++j) mx = std::max(mx, double(z[j]));
    double sum = 0;
    for (int64_t j = 0; j < c; ++j) sum += std::exp(z[j] - mx);
    double lse = mx + std::log(sum);
    std::vector<double> out(static_cast<std::size_t>(c));
    for (int64_t j = 0; j < c; ++j) out[std::size_t(j)] = z[j] - lse;
    return out;
}

int64_t classOf(const Tensor& labels, int64_t b, int64_t c) {
    int64_t y = labels.data<int32_t>()[b];
    if (y < 0 || y >= c)
        throw Error(ErrorKind::BadInput, "label " + std::to_string(y) + " of sample " +
                                             std::to_string(b) + " is outside [0," +
                                             std::to_string(c) + ")");
    return y;
}

void checkClassification(const Tensor& logits, const Tensor& labels, const Tensor& diff) {
    NEURITE_CHECK(logits.shape().rank() == 2, "reference loss: logits must be [N,C]");
    const int64_t n = logits.shape()[0], c = logits.shape()[1];
    expectF32(logits, n * c, "loss logits");
    expectF32(diff, n * c, "loss diffLogits");
    ref::expect(labels, DType::I32, n, "loss labels");
}

double softplus(double z) { return std::max(z, 0.0) + std::log1p(std::exp(-std::abs(z))); }

}  // namespace

// loss = [ (1-e) sum_n w[y_n] (-log p[n,y_n]) + (e/C) sum_n sum_c w[c] (-log p[n,c]) ] / W,
// W = sum_n w[y_n] (N without weights): torch's weighted-mean normalization, smoothing term
// included. dloss/dz[n,j] = [ (1-e) w[y_n] (p_j - [j=y_n]) + (e/C) (S p_j - w[j]) ] / W with
// S = sum_c w[c].
float ReferenceBackend::softmaxCrossEntropy(const Tensor& logits, const Tensor& labels,
                                            const Tensor* classWeights, float labelSmoothing,
                                            Tensor& diffLogits) {
    checkClassification(logits, labels, diffLogits);
    const int64_t n = logits.shape()[0], c = logits.shape()[1];
    if (classWeights) expectF32(*classWeights, c, "cross-entropy class weights");
    auto w = [&](int64_t j) { return classWeights ? double(classWeights->f32()[j]) : 1.0; };
    const double eps = labelSmoothing;
    double sumW = 0;
    for (int64_t j = 0; j < c; ++j) sumW += w(j);
    double total = 0, norm = 0;
    for (int64_t b = 0; b < n; ++b) norm += w(classOf(labels, b, c));
    for (int64_t b = 0; b < n; ++b) {
        std::vector<double> lp = logSoftmaxRow(logits, b, c);
        int64_t y = classOf(labels, b, c);
        double smooth = 0;
        for (int64_t j = 0; j < c; ++j) smooth -= w(j) * lp[std::size_t(j)];
        total += (1.0 - eps) * w(y) * -lp[std::size_t(y)] + eps / double(c) * smooth;
        for (int64_t j = 0; j < c; ++j) {
            double p = std::exp(lp[std::size_t(j)]);
            double g = (1.0 - eps) * w(y) * (p - (j == y ? 1.0 : 0.0)) +
                       eps / double(c) * (sumW * p - w(j));
            diffLogits.f32()[b * c + j] = static_cast<float>(g / norm);
        }
    }
    return static_cast<float>(total / norm);
}

// loss = mean( pw y softplus(-x) + (1-y) softplus(x) ); dloss/dx = (pw y (s-1) + (1-y) s) / count
// with s = sigmoid(x). softplus keeps both branches finite for large |x|.
float ReferenceBackend::binaryCrossEntropy(const Tensor& logits, const Tensor& targets,
                                           float posWeight, Tensor& diffLogits) {
    const int64_t n = logits.numel();
    expectF32(logits, n, "bce logits");
    expectF32(targets, n, "bce targets");
    expectF32(diffLogits, n, "bce diffLogits");
    double total = 0;
    for (int64_t i = 0; i < n; ++i) {
        double x = logits.f32()[i], y = targets.f32()[i];
        total += double(posWeight) * y * softplus(-x) + (1.0 - y) * softplus(x);
        double s = 1.0 / (1.0 + std::exp(-x));
        diffLogits.f32()[i] =
            static_cast<float>((double(posWeight) * y * (s - 1.0) + (1.0 - y) * s) / double(n));
    }
    return static_cast<float>(total / double(n));
}

// loss = mean_n -a (1-p)^g log p, p = softmax(z)[y_n].
// dloss/dz_j = a [ (1-p)^g - g (1-p)^(g-1) p log p ] (p_j - [j=y]) / N; the second term is 0 at p=1.
float ReferenceBackend::focalLoss(const Tensor& logits, const Tensor& labels, float gamma,
                                  float alpha, Tensor& diffLogits) {
    checkClassification(logits, labels, diffLogits);
    const int64_t n = logits.shape()[0], c = logits.shape()[1];
    double total = 0;
    for (int64_t b = 0; b < n; ++b) {
        std::vector<double> lp = logSoftmaxRow(logits, b, c);
        int64_t y = classOf(labels, b, c);
        double logp = lp[std::size_t(y)], p = std::exp(logp), q = 1.0 - p;
        total += -double(alpha) * std::pow(q, gamma) * logp;
        double tail = (gamma != 0.f && q > 0) ? double(gamma) * std::pow(q, gamma - 1.0) * p * logp : 0.0;
        double k = double(alpha) * (std::pow(q, gamma) - tail) / double(n);
        for (int64_t j = 0; j < c; ++j)
            diffLogits.f32()[b * c + j] =
                static_cast<float>(k * (std::exp(lp[std::size_t(j)]) - (j == y ? 1.0 : 0.0)));
    }
    return static_cast<float>(total / double(n));
}

// loss = mean (x - t)^2; dloss/dx = 2 (x - t) / count.
float ReferenceBackend::mseLoss(const Tensor& pred, const Tensor& targets, Tensor& diffPred) {
    const int64_t n = pred.numel();
    expectF32(pred, n, "mse pred");
    expectF32(targets, n, "mse targets");
    expectF32(diffPred, n, "mse diffPred");
    double total = 0;
    for (int64_t i = 0; i < n; ++i) {
        double d = double(pred.f32()[i]) - targets.f32()[i];
        total += d * d;
        diffPred.f32()[i] = static_cast<float>(2.0 * d / double(n));
    }
    return static_cast<float>(total / double(n));
}

// loss = mean( |d| < delta ? d^2/2 : delta (|d| - delta/2) ), d = x - t;
// dloss/dx = clamp(d, -delta, delta) / count.
float ReferenceBackend::huberLoss(const Tensor& pred, const Tensor& targets, float delta,
                                  Tensor& diffPred) {
    const int64_t n = pred.numel();
    expectF32(pred, n, "huber pred");
    expectF32(targets, n, "huber targets");
    expectF32(diffPred, n, "huber diffPred");
    const double dl = delta;
    double total = 0;
    for (int64_t i = 0; i < n; ++i) {
        double d = double(pred.f32()[i]) - targets.f32()[i];
        total += std::abs(d) < dl ? 0.5 * d * d : dl * (std::abs(d) - 0.5 * dl);
        diffPred.f32()[i] = static_cast<float>(std::clamp(d, -dl, dl) / double(n));
    }
    return static_cast<float>(total / double(n));
}

}  // namespace neurite::test
