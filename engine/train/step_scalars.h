// A training step's loss and correct count on their way to the observer. A step leaves them in
// device slots (Backend::lossInto, Backend::countCorrect), or as host values where it computed
// them on the host (mixup, distillation); read() brings every pending step's slots back in one
// copy. With a capacity of 1 the trainer reads each step's loss before its backward pass, so a
// non-finite loss is never applied. With more, it reads when the ring is full or `seconds` have
// passed since its oldest step: a GPU then runs ahead of the host between reads instead of
// waiting for it after every step (Backend::readBackStalls), and the observer hears of those
// steps together, in order, with the same values.
#pragma once

#include <chrono>
#include <cstdint>
#include <span>
#include <vector>

#include "backend/backend.h"

namespace neurite {

class StepScalars {
public:
    struct Step {
        int epoch = 0;  // 1-based, as StepEvent
        int64_t global = 0, inEpoch = 0, perEpoch = 0;
        int64_t samples = 0;
        float lr = 0;
        float loss = 0;      // the batch's mean loss (before the target scaling's unit)
        double correct = 0;  // classification: rows predicted right
        bool lossOnDevice = false, countOnDevice = false;
    };

    // capacity >= 1 steps; seconds <= 0: only a full ring is due.
    StepScalars(Backend& backend, int capacity, double seconds);

    int capacity() const { return m_capacity; }
    bool empty() const { return m_steps.empty(); }
    // Opens the next step's entry (the ring must not be full: read and clear first).
    Step& begin(const Step& info);
    // The open step's slots in slots(): its loss at lossSlot(), its count at countSlot() (zero
    // until countCorrect adds to it).
    Tensor& slots() { return m_slots; }
    int64_t lossSlot() const { return 2 * (static_cast<int64_t>(m_steps.size()) - 1); }
    int64_t countSlot() const { return lossSlot() + 1; }
    // The ring is full, or its oldest step waited `seconds`.
    bool due() const;
    // Brings the device values of the pending steps back (one copy, only when a slot is used and
    // not yet read) and returns the steps in order.
    std::span<const Step> read();
    // Forgets the pending steps (after read()).
    void clear();

private:
    Backend& m_backend;
    int m_capacity;
    double m_seconds;
    Tensor m_slots;  // f32 [2 * capacity] on the backend's device: loss, count per step
    std::vector<float> m_host;
    std::vector<Step> m_steps;
    std::size_t m_read = 0;     // steps already read
    bool m_countsUsed = false;  // a count slot was added to since the last zeroing
    std::chrono::steady_clock::time_point m_oldest;
};

}  // namespace neurite
