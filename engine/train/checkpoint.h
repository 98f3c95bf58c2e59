// TrainerState: everything the rest of a run depends on, taken at an epoch boundary, so that a
// run resumed from it ends bit-identical to one never interrupted (CPU, same thread count).
// Serialized as a little binary blob: magic, format version, payload, CRC-32 of the payload.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace neurite {

struct TrainerState {
    int epoch = 0;             // epochs completed; the resumed run starts with epoch + 1
    int64_t globalStep = 0;    // steps taken (dropout masks and the Adam bias correction use it)
    std::vector<float> model;  // Model::snapshot(): parameter values, then buffers

    // Optimizer: moments (empty when the optimizer has none) and its step count.
    std::vector<float> optState1, optState2;
    int64_t optSteps = 0;

    // Reduce-on-plateau schedule.
    float plateauLr = 0;
    double plateauBest = 0;
    bool plateauHasBest = false;
    int plateauBad = 0;

    // Early-stopping monitor and the best epoch's weights (only with restore_best).
    bool monitorHasBest = false;
    double monitorBest = 0;
    int monitorBad = 0;
    int bestEpoch = 0;
    bool earlyStopped = false;  // the monitor asked to stop after this epoch
    std::vector<float> bestWeights;

    // Running totals and the last epoch's results, for the finished event.
    double trainSeconds = 0;
    int64_t trainSamples = 0;
    double trainLoss = 0, trainAccuracy = 0;
    std::optional<double> valLoss, valAccuracy;

    // Quantization-aware training: the tracked activation ranges (QuantAware::state); empty
    // without it (and in checkpoints of format 1, written before it existed).
    std::vector<float> quantRanges;

    // Not serialized. Set for a branch (a new run from a kept epoch state, whose settings may
    // differ): an optimizer state that does not fit the optimizer now configured (another kind)
    // starts afresh, and an early stop of the original run is lifted.
    bool branch = false;
};

// The blob starts with "NRCK", a format version and the payload size; the last 4 bytes are the
// payload's CRC-32 (zlib). Deserializing throws Error{BadInput} naming `what` and the byte offset
// when the blob is truncated, of another format or fails its checksum.
std::vector<uint8_t> serializeCheckpoint(const TrainerState& state);
// The same into `out`, reusing its capacity: a recorder that recycles its buffers touches no
// fresh memory per epoch (page faults of a fresh megabyte cost milliseconds on some VMs).
void serializeCheckpoint(const TrainerState& state, std::vector<uint8_t>& out);
TrainerState deserializeCheckpoint(std::span<const uint8_t> blob, const std::string& what);

class Model;

// Checks stored weights (Model::snapshot() order: values, then buffers) against `model` before
// a restore: the count, every value finite and within +-1e30 (no trained network holds larger;
// the blob is garbage), every batch-norm running variance >= 0. Throws Error{BadInput}
// "<what>: ..." naming the node, parameter and element.
void checkWeights(const Model& model, std::span<const float> weights, const std::string& what);

// CRC-32 (zlib's polynomial) of any bytes; the run store keeps it beside each model blob.
uint32_t crc32Of(std::span<const uint8_t> bytes);

}  // namespace neurite
