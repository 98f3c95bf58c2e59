// The producer/consumer hand-off: slot (step % 2) is filled by the worker while the trainer
// uses the other one; a slot becomes free again when the trainer asks for the batch after it.
#include "data/batch_pipeline.h"

#include <algorithm>
#include <chrono>
#include <exception>
#include <numeric>
#include <span>

#include "core/error.h"

namespace neurite {

BatchPipeline::BatchPipeline(const Dataset& data, const AugmentConfig& augment, uint64_t seed,
                             int64_t batchSize)
    : m_data(data), m_augment(augment), m_seed(seed), m_batchSize(batchSize) {}

BatchPipeline::~BatchPipeline() { stop(); }

void BatchPipeline::stop() {
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_stop = true;
    }
    m_cv.notify_all();
    if (m_worker.joinable()) m_worker.join();
}

void BatchPipeline::prepare(int epoch, const std::vector<int32_t>& order, int64_t step,
                            HostBatch& out) const {
    const DataSplit& split = m_data.train;
    const int64_t start = step * m_batchSize;
    const int64_t n = std::min<int64_t>(m_batchSize, static_cast<int64_t>(order.size()) - start);
    const auto d = static_cast<std::size_t>(m_data.sampleShape.numel());
    const bool standardized = m_data.mean.size() == d;
    const std::size_t targetDim =
        split.count > 0 ? split.targets.size() / static_cast<std::size_t>(split.count) : 0;
    out.n = n;
    out.step = step;
    out.x.resize(static_cast<std::size_t>(n) * d);
    out.labels.clear();
    out.targets.clear();
    std::vector<float> scratch;
    for (int64_t k = 0; k < n; ++k) {
        const auto r = static_cast<std::size_t>(order[static_cast<std::size_t>(start + k)]);
        float* x = out.x.data() + static_cast<std::size_t>(k) * d;
        if (split.dtype == DType::U8)
            for (std::size_t i = 0; i < d; ++i) x[i] = static_cast<float>(split.bytes[r * d + i]) * m_data.scale;
        else
            for (std::size_t i = 0; i < d; ++i) x[i] = split.f32()[r * d + i] * m_data.scale;
        if (m_augment.any()) {
            Rng rng(augmentSeed(m_seed, epoch, start + k));
            augmentSample(m_augment, m_data.sampleShape, x, rng, scratch);
        }
        if (standardized)
            for (std::size_t i = 0; i < d; ++i) x[i] = (x[i] - m_data.mean[i]) * m_data.invStd[i];
        if (!split.labels.empty()) out.labels.push_back(split.labels[r]);
        for (std::size_t t = 0; t < targetDim; ++t) out.targets.push_back(split.targets[r * targetDim + t]);
    }
    out.lambda = 1.f;
    out.labelsB = out.labels;
    out.originalLabels = out.labels;
    if (m_augment.mixup > 0 && n > 1) mix(epoch, out);
}

void BatchPipeline::mix(int epoch, HostBatch& b) const {
    // One lambda and one pairing per batch (Zhang et al. 2018), seeded by (seed, epoch, step).
    Rng rng(augmentSeed(m_seed ^ 0x313e5eedull, epoch, b.step));
    b.lambda = static_cast<float>(sampleBeta(rng, m_augment.mixup));
    std::vector<int64_t> perm(static_cast<std::size_t>(b.n));
    std::iota(perm.begin(), perm.end(), int64_t{0});
    rng.shuffle(std::span<int64_t>(perm));
    const auto d = b.x.size() / static_cast<std::size_t>(b.n);
    const std::vector<float> x = b.x, targets = b.targets;
    const std::size_t targetDim = targets.size() / static_cast<std::size_t>(b.n);
    const float l = b.lambda;
    for (std::size_t k = 0; k < static_cast<std::size_t>(b.n); ++k) {
        const auto p = static_cast<std::size_t>(perm[k]);
        for (std::size_t i = 0; i < d; ++i) b.x[k * d + i] = l * x[k * d + i] + (1 - l) * x[p * d + i];
        for (std::size_t t = 0; t < targetDim; ++t)
            b.targets[k * targetDim + t] = l * targets[k * targetDim + t] + (1 - l) * targets[p * targetDim + t];
        if (!b.labels.empty()) b.labelsB[k] = b.labels[p];
    }
}

void BatchPipeline::produce(int epoch, int64_t firstStep, int64_t steps) {
    for (int64_t step = firstStep; step < steps; ++step) {
        const int slot = static_cast<int>((step - firstStep) % 2);
        {
            std::unique_lock<std::mutex> lock(m_mutex);
            m_cv.wait(lock, [&] { return m_stop || (!m_ready[slot] && m_held != slot); });
            if (m_stop) return;
        }
        // An exception must not escape the thread (std::terminate); next() rethrows it.
        std::exception_ptr error;
        try {
            prepare(epoch, m_order, step, m_slots[slot]);
        } catch (...) {
            error = std::current_exception();
        }
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            m_ready[slot] = true;
            m_error = error;
        }
        if (error) {
            m_cv.notify_all();
            return;
        }
        m_cv.notify_all();
    }
}

void BatchPipeline::startEpoch(int epoch, std::vector<int32_t> order, int64_t steps,
                               int64_t firstStep) {
    stop();
    m_order = std::move(order);
    m_stop = false;
    m_error = nullptr;
    m_ready[0] = m_ready[1] = false;
    m_held = -1;
    m_consumed = 0;
    m_worker = std::thread([this, epoch, firstStep, steps] { produce(epoch, firstStep, steps); });
}

const HostBatch& BatchPipeline::next() {
    const int slot = static_cast<int>(m_consumed % 2);
    const auto t0 = std::chrono::steady_clock::now();
    {
        std::unique_lock<std::mutex> lock(m_mutex);
        if (m_held >= 0) m_ready[m_held] = false;  // the previous batch is done with
        m_held = -1;
        m_cv.notify_all();
        m_cv.wait(lock, [&] { return m_ready[slot] || m_stop; });
        if (m_error) std::rethrow_exception(m_error);
        NEURITE_CHECK(m_ready[slot], "batch pipeline stopped while a batch was awaited");
        m_held = slot;
    }
    m_cv.notify_all();
    m_waitSeconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    ++m_consumed;
    return m_slots[slot];
}

} // namespace neurite
