// BatchPipeline: prepares the training batches of an epoch on a background thread, two batches
// ahead at most (double buffering), so that the training step does not wait for data in the
// steady state. A batch is gathered from the host split, augmented (when configured) and
// scaled: feature = (raw * scale [augmented] - mean) * invStd, ready to copy to the device.
// The per-sample generator is seeded by (seed, epoch, position in the epoch) only.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "data/dataset.h"
#include "data/transforms/augment.h"

namespace neurite {

struct HostBatch {
    int64_t n = 0;
    int64_t step = 0;
    std::vector<float> x;         // [n, sample...]
    std::vector<int32_t> labels;  // [n] classification
    std::vector<float> targets;   // [n * targetDim] regression (mixed when mixup is on)
    // Mixup: x = lambda x + (1 - lambda) x[perm]; the loss is lambda L(labels) +
    // (1 - lambda) L(labelsB) with labelsB = labels[perm]. lambda = 1 without mixup.
    float lambda = 1.f;
    std::vector<int32_t> labelsB;
    std::vector<int32_t> originalLabels;  // labels before any mixing (training accuracy)
};

class BatchPipeline {
public:
    BatchPipeline(const Dataset& data, const AugmentConfig& augment, uint64_t seed, int64_t batchSize);
    ~BatchPipeline();
    BatchPipeline(const BatchPipeline&) = delete;
    BatchPipeline& operator=(const BatchPipeline&) = delete;

    // Starts producing batches firstStep..steps-1 of the epoch from `order` (row indices of
    // data.train); stops a previous epoch's producer first. A run resumed mid-epoch passes the
    // step it resumes at and gets the very batches an uninterrupted run would.
    void startEpoch(int epoch, std::vector<int32_t> order, int64_t steps, int64_t firstStep = 0);
    // The next batch; blocks until it is ready. Valid until the following next() call.
    const HostBatch& next();
    // Seconds next() spent blocked, over the pipeline's lifetime.
    double waitSeconds() const { return m_waitSeconds; }

    // One batch prepared synchronously (the producer's work, for tests and the reference).
    void prepare(int epoch, const std::vector<int32_t>& order, int64_t step, HostBatch& out) const;

private:
    void produce(int epoch, int64_t firstStep, int64_t steps);
    void mix(int epoch, HostBatch& b) const;
    void stop();

    const Dataset& m_data;
    AugmentConfig m_augment;
    uint64_t m_seed;
    int64_t m_batchSize;
    std::vector<int32_t> m_order;

    std::mutex m_mutex;
    std::condition_variable m_cv;
    HostBatch m_slots[2];
    bool m_ready[2] = {false, false};
    bool m_stop = false;
    std::exception_ptr m_error;  // thrown by the producer, rethrown by next()
    int64_t m_consumed = 0;   // batches handed out this epoch
    int m_held = -1;          // slot the consumer holds, -1 none
    std::thread m_worker;
    double m_waitSeconds = 0;
};

} // namespace neurite
