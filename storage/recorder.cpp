// The writer thread applies whatever has queued as one transaction; an error stops recording
// (the run's rows so far stay committed) and is reported by close().
#include "recorder.h"

#include <chrono>
#include <ctime>
#include <cstring>

#include <nlohmann/json.hpp>

#include "core/error.h"

namespace neurite::storage {

std::vector<uint8_t> weightsBlob(const std::vector<float>& w) {
    std::vector<uint8_t> b(w.size() * sizeof(float));
    if (!b.empty()) std::memcpy(b.data(), w.data(), b.size());  // data() of empty may be null
    return b;
}

std::vector<float> weightsFromBlob(const std::vector<uint8_t>& b, const std::string& what) {
    if (b.size() % sizeof(float) != 0)
        throwBadInput(what + ": a weights blob of " + std::to_string(b.size()) +
                      " bytes is not a whole number of floats");
    std::vector<float> w(b.size() / sizeof(float));
    if (!w.empty()) std::memcpy(w.data(), b.data(), b.size());
    return w;
}

Recorder::Recorder(const std::string& dbPath, int64_t runId, int epochsPlanned, ReportJson toJson,
                   int busyTimeoutMs)
    : m_path(dbPath), m_runId(runId), m_epochsPlanned(epochsPlanned), m_toJson(std::move(toJson)) {
    // Open on this thread so that a bad database fails before training starts.
    auto store = std::make_shared<RunStore>(m_path, RunStore::Mode::ReadWrite, busyTimeoutMs);
    m_writer = std::thread([this, store]() mutable {
        m_store = std::move(store);
        writerLoop();
    });
}

Recorder::~Recorder() {
    try {
        close();
    } catch (...) {
        // close() was not called by the owner (the run is unwinding from an error): a storage
        // error has nowhere to go now; the rows committed before it stay.
    }
}

void Recorder::push(Item item, bool commitNow) {
    std::lock_guard lock(m_mutex);
    m_queue.push_back(std::move(item));
    if (commitNow) {
        m_commitNow = true;
        m_wake.notify_one();
    }
}

void Recorder::onStep(const StepEvent& e) {
    if (m_stride == 0) {
        const int64_t total = e.stepsPerEpoch * std::max(m_epochsPlanned, 1);
        m_stride = std::max<int64_t>(1, (total + kMaxStepPoints - 1) / kMaxStepPoints);
    }
    m_windowSum += static_cast<double>(e.loss);
    ++m_windowCount;
    // Windows are aligned on the global step, so a resumed run thins exactly like the original.
    if (e.step % m_stride != 0 && e.stepInEpoch != e.stepsPerEpoch) return;
    m_pendingSteps.push_back({e.step, e.epoch, static_cast<float>(m_windowSum / m_windowCount), e.lr});
    m_windowSum = 0;
    m_windowCount = 0;
    if (m_pendingSteps.size() >= 64 || e.stepInEpoch == e.stepsPerEpoch) {
        push(std::move(m_pendingSteps), false);
        m_pendingSteps.clear();
    }
}

void Recorder::onSettingsChanged(const SettingsChangedEvent& e) {
    if (!e.refusal.empty()) return;
    push(SettingChange{e.step, e.epoch, e.setting, e.before, e.after}, false);
}

void Recorder::onEpoch(const EpochEvent& e) {
    if (!m_pendingSteps.empty()) {
        push(std::move(m_pendingSteps), false);
        m_pendingSteps.clear();
    }
    EpochRecord r;
    r.epoch = e.epoch;
    r.trainLoss = e.trainLoss;
    r.trainAccuracy = e.trainAccuracy;
    r.valLoss = e.valLoss;
    r.valAccuracy = e.valAccuracy;
    r.lr = e.lr;
    r.seconds = e.seconds;
    r.samplesPerSec = e.samplesPerSec;
    r.best = e.best;
    if (e.valMetrics) r.metricsJson = m_toJson(*e.valMetrics, false);
    m_lastEpochBest = e.best;
    // The commit waits for the epoch's checkpoint, so that the two land together.
    push(std::move(r), false);
}

std::vector<uint8_t> Recorder::spareBuffer(CheckpointKind kind) {
    std::lock_guard lock(m_mutex);
    auto& pool = kind == CheckpointKind::Latest ? m_spareStates : m_spareWeights;
    if (pool.empty()) return {};
    std::vector<uint8_t> b = std::move(pool.back());
    pool.pop_back();
    return b;
}

void Recorder::onCheckpoint(const TrainerState& s) {
    if (m_lastEpochBest) {
        std::vector<uint8_t> weights = spareBuffer(CheckpointKind::Best);
        weights.resize(s.model.size() * sizeof(float));
        std::memcpy(weights.data(), s.model.data(), weights.size());
        push(Checkpoint{CheckpointKind::Best, s.epoch, "weights-f32", std::move(weights)}, false);
    }
    std::vector<uint8_t> state = spareBuffer(CheckpointKind::Latest);
    serializeCheckpoint(s, state);
    push(Checkpoint{CheckpointKind::Latest, s.epoch, "trainer-state", std::move(state)}, true);
}

std::string sparsityJson(const std::vector<LayerSparsity>& layers) {
    if (layers.empty()) return {};
    nlohmann::json out = nlohmann::json::array();
    for (const LayerSparsity& l : layers)
        out.push_back({{"node", l.node}, {"weights", l.weights}, {"zeros", l.zeros},
                       {"units", l.units}, {"units_pruned", l.unitsPruned}});
    return out.dump();
}

std::vector<LayerSparsity> sparsityFromJson(const std::string& json) {
    std::vector<LayerSparsity> out;
    const nlohmann::json j = nlohmann::json::parse(json, nullptr, false);
    if (!j.is_array()) return out;
    for (const nlohmann::json& l : j) {
        if (!l.is_object()) continue;
        LayerSparsity s;
        s.node = l.value("node", "");
        s.weights = l.value("weights", int64_t{0});
        s.zeros = l.value("zeros", int64_t{0});
        s.units = l.value("units", int64_t{0});
        s.unitsPruned = l.value("units_pruned", int64_t{0});
        out.push_back(std::move(s));
    }
    return out;
}

namespace {

EvaluationRecord evaluation(const EvaluationReport& r, std::optional<double> loss,
                            std::optional<double> accuracy, const Recorder::ReportJson& toJson) {
    EvaluationRecord e{r.split, loss, accuracy, std::nullopt, toJson(r, true)};
    if (r.curves && r.curves->auc().defined()) e.auc = r.curves->auc().v;
    return e;
}

}  // namespace

void Recorder::onFinished(const FinishedEvent& e) {
    Finish f;
    RunOutcome& o = f.outcome;
    o.status = e.status;
    o.epochsDone = e.epochs;
    o.bestEpoch = e.bestEpoch;
    if (e.epochs > 0) {
        o.trainLoss = e.trainLoss;
        o.trainAccuracy = e.trainAccuracy;
    }
    o.valLoss = e.valLoss;
    o.valAccuracy = e.valAccuracy;
    o.testLoss = e.testLoss;
    o.testAccuracy = e.testAccuracy;
    o.samplesPerSec = e.samplesPerSec;
    o.sparsityJson = sparsityJson(e.sparsity);
    if (e.valMetrics) f.evaluations.push_back(evaluation(*e.valMetrics, e.valLoss, e.valAccuracy, m_toJson));
    if (e.testMetrics) f.evaluations.push_back(evaluation(*e.testMetrics, e.testLoss, e.testAccuracy, m_toJson));
    // Held until close(), so the status and the final model commit together.
    m_finish = std::move(f);
}

void Recorder::onFailed(const Error& e) {
    Finish f;
    f.outcome.status = "failed";
    f.outcome.message = e.what();
    m_finish = std::move(f);
}

void Recorder::setCommitListener(CommitListener listener) {
    std::lock_guard lock(m_mutex);
    m_listener = std::move(listener);
}

void Recorder::setFinalModel(std::vector<float> weights, int epoch) {
    m_finalModel = Checkpoint{CheckpointKind::Final, epoch, "weights-f32", weightsBlob(weights)};
}

void Recorder::close() {
    {
        std::lock_guard lock(m_mutex);
        if (!m_closed) {
            if (!m_pendingSteps.empty()) m_queue.push_back(std::move(m_pendingSteps));
            if (m_finalModel) m_queue.push_back(std::move(*m_finalModel));
            if (m_finish) m_queue.push_back(std::move(*m_finish));
            m_closing = true;
            m_closed = true;
            m_wake.notify_one();
        }
    }
    if (m_writer.joinable()) m_writer.join();
    std::lock_guard lock(m_mutex);
    if (m_error) {
        Error e = *m_error;
        m_error.reset();
        throw Error(e.kind(), std::string("the run was not fully recorded: ") + e.what());
    }
}

namespace {

// A batch kept out by a lock waits for the next try; of its checkpoints only the newest of each
// kind matters (they replace each other), so memory stays bounded however long the lock lasts.
void dropSupersededCheckpoints(std::vector<Recorder::Item>& items) {
    bool seen[3] = {false, false, false};
    for (std::size_t i = items.size(); i-- > 0;) {
        auto* ckpt = std::get_if<Checkpoint>(&items[i]);
        if (!ckpt) continue;
        bool& newer = seen[static_cast<int>(ckpt->kind)];
        if (newer) items.erase(items.begin() + static_cast<std::ptrdiff_t>(i));
        newer = true;
    }
}

// How many of `items` may commit now: up to the first epoch row whose trainer state (a `latest`
// checkpoint of that epoch or later) has not arrived yet, so an epoch never lands without it.
std::size_t committable(const std::vector<Recorder::Item>& items) {
    int latestAfter = 0;  // the newest latest checkpoint from position i on
    std::size_t cut = items.size();
    for (std::size_t i = items.size(); i-- > 0;) {
        if (const auto* c = std::get_if<Checkpoint>(&items[i]); c && c->kind == CheckpointKind::Latest)
            latestAfter = std::max(latestAfter, c->epoch);
        else if (const auto* e = std::get_if<EpochRecord>(&items[i]); e && e->epoch > latestAfter)
            cut = i;
    }
    return cut;
}

// The last epoch among `items`, 0 when none.
int lastEpoch(const std::vector<Recorder::Item>& items, std::size_t count) {
    int epoch = 0;
    for (std::size_t i = 0; i < count; ++i)
        if (const auto* e = std::get_if<EpochRecord>(&items[i])) epoch = std::max(epoch, e->epoch);
    return epoch;
}

}  // namespace

void Recorder::writerLoop() {
    // Tries of the last batch once close() was called, each waiting the busy timeout.
    constexpr int kCloseRetries = 3;
    std::vector<Item> items, held;
    int closingTries = 0;
    for (;;) {
        bool closing = false;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait_for(lock, std::chrono::seconds(1), [&] { return m_commitNow || m_closing; });
            for (Item& item : m_queue) items.push_back(std::move(item));
            m_queue.clear();
            closing = m_closing;
            m_commitNow = false;
        }
        // An epoch row waits for its checkpoint; at the end, one that never got it (the run
        // failed in between) is left out, and the rest (best and final models, the outcome) goes.
        const std::size_t ready = committable(items);
        held.assign(std::make_move_iterator(items.begin() + static_cast<std::ptrdiff_t>(ready)),
                    std::make_move_iterator(items.end()));
        items.resize(ready);
        if (closing) {
            for (Item& item : held)
                if (!std::holds_alternative<EpochRecord>(item)) items.push_back(std::move(item));
            held.clear();
        }
        if (m_error) held.clear();  // recording has stopped: nothing more is kept
        if (!items.empty() && !m_error) {
            try {
                write(*m_store, items);
                if (const int epoch = lastEpoch(items, items.size()); epoch > 0 && m_listener)
                    m_listener(epoch);
            } catch (const DatabaseBusy& e) {
                // Another program held the lock past the busy timeout. Nothing of the batch was
                // written: keep it and try again with what queues meanwhile, instead of giving
                // up on the rest of the run.
                if (!closing || ++closingTries <= kCloseRetries) {
                    for (Item& item : held) items.push_back(std::move(item));
                    held.clear();
                    dropSupersededCheckpoints(items);
                    continue;
                }
                failed(e);
            } catch (const Error& e) {
                failed(e);
            }
            std::lock_guard lock(m_mutex);
            for (Item& item : items)
                if (auto* ckpt = std::get_if<Checkpoint>(&item)) {
                    auto& pool = ckpt->kind == CheckpointKind::Latest ? m_spareStates : m_spareWeights;
                    if (pool.size() < 2) pool.push_back(std::move(ckpt->data));
                }
        }
        items = std::move(held);
        held.clear();
        if (closing) break;
    }
    m_store.reset();
    timespec cpu{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu);
    m_writerCpu = static_cast<double>(cpu.tv_sec) + 1e-9 * static_cast<double>(cpu.tv_nsec);
}

void Recorder::failed(const Error& e) {
    {
        std::lock_guard lock(m_mutex);
        m_error = e;
    }
    if (m_listener) m_listener(kRecordingFailed);
}

void Recorder::write(RunStore& store, std::vector<Item>& items) {
    Transaction tx(store.db());
    for (Item& item : items) {
        if (auto* steps = std::get_if<std::vector<StepPoint>>(&item)) store.appendSteps(m_runId, *steps);
        else if (auto* epoch = std::get_if<EpochRecord>(&item)) store.putEpoch(m_runId, *epoch);
        else if (auto* ckpt = std::get_if<Checkpoint>(&item)) {
            store.putCheckpoint(m_runId, *ckpt);
            // Every epoch's state, for rewinding (thinned by the store).
            if (ckpt->kind == CheckpointKind::Latest) store.putEpochState(m_runId, ckpt->epoch, ckpt->data);
        }
        else if (auto* change = std::get_if<SettingChange>(&item)) store.addSettingChange(m_runId, *change);
        else if (auto* fin = std::get_if<Finish>(&item)) {
            for (const EvaluationRecord& ev : fin->evaluations) store.putEvaluation(m_runId, ev);
            store.finishRun(m_runId, fin->outcome);
        }
    }
    tx.commit();
}

}  // namespace neurite::storage
