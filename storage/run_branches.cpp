// RunStore's rewind side (teaching mode): the trainer state kept at the end of each epoch, and
// runs branched from one of them. docs/run-store.md describes the epoch_states table.
#include <algorithm>
#include <cstring>
#include <string>

#include "core/error.h"
#include "run_info.h"
#include "run_store.h"
#include "train/checkpoint.h"

namespace neurite::storage {

namespace {

// A branch's parent chain is at most this long when read (a damaged database could loop).
constexpr int kMaxChain = 10000;

std::vector<int> ownEpochStates(SqliteDb& db, int64_t id) {
    std::vector<int> out;
    Statement q(db, "SELECT epoch FROM epoch_states WHERE run_id = ?1 ORDER BY epoch");
    q.bind(1, id);
    while (q.step()) out.push_back(static_cast<int>(q.int64(0)));
    return out;
}

struct Parent {
    int64_t run = 0;
    int epoch = 0;
};

std::optional<Parent> parentOf(SqliteDb& db, int64_t id) {
    Statement q(db, "SELECT parent_run, parent_epoch FROM runs WHERE id = ?1");
    q.bind(1, id);
    if (!q.step() || q.isNull(0)) return std::nullopt;
    return Parent{q.int64(0), static_cast<int>(q.isNull(1) ? 0 : q.int64(1))};
}

}  // namespace

bool RunStore::putEpochState(int64_t id, int epoch, std::span<const uint8_t> state) {
    const std::size_t size = state.size();
    if (size == 0 || size > kEpochStateBudgetBytes / 4) return false;
    const auto keep = static_cast<std::size_t>(std::min<std::size_t>(kMaxEpochStates, kEpochStateBudgetBytes / size));
    Savepoint sp(*m_db);
    Statement q(*m_db, "INSERT OR REPLACE INTO epoch_states(run_id, epoch, bytes, crc32, data) "
                       "VALUES(?1, ?2, ?3, ?4, ?5)");
    q.bind(1, id).bind(2, int64_t{epoch}).bind(3, static_cast<int64_t>(size));
    q.bind(4, int64_t{crc32Of(state)}).bindStatic(5, state);
    q.run();
    const std::vector<int> epochs = ownEpochStates(*m_db, id);
    // Every epoch while they fit; past that every 2nd, 4th, ... epoch (a stride that grows with
    // the run, so the kept ones stay evenly spread), and always the newest.
    const int newest = epochs.back();
    int64_t stride = 1;
    while (newest / stride + 1 > static_cast<int64_t>(keep)) stride *= 2;
    if (stride > 1 && epochs.size() > 1) {
        Statement d(*m_db, "DELETE FROM epoch_states WHERE run_id = ?1 AND epoch % ?2 != 0 AND epoch != ?3");
        d.bind(1, id).bind(2, stride).bind(3, int64_t{newest}).run();
    }
    sp.release();
    return true;
}

std::vector<int> RunStore::epochStates(int64_t id) {
    std::vector<int> out = ownEpochStates(*m_db, id);
    std::optional<Parent> parent = parentOf(*m_db, id);
    for (int depth = 0; parent && depth < kMaxChain; ++depth) {
        for (int e : ownEpochStates(*m_db, parent->run))
            if (e <= parent->epoch) out.push_back(e);
        parent = parentOf(*m_db, parent->run);
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

std::optional<std::vector<uint8_t>> RunStore::epochState(int64_t id, int epoch) {
    int64_t at = id;
    for (int depth = 0; depth < kMaxChain; ++depth) {
        Statement q(*m_db, "SELECT crc32, data FROM epoch_states WHERE run_id = ?1 AND epoch = ?2");
        q.bind(1, at).bind(2, int64_t{epoch});
        if (q.step()) {
            std::vector<uint8_t> data = q.blob(1);
            if (static_cast<uint32_t>(q.int64(0)) != crc32Of(data))
                throwBadInput(path() + ": the state of run " + std::to_string(at) + " after epoch " +
                              std::to_string(epoch) + " fails its checksum (the database was damaged); "
                              "it cannot be used");
            return data;
        }
        const std::optional<Parent> parent = parentOf(*m_db, at);
        if (!parent || epoch > parent->epoch) return std::nullopt;
        at = parent->run;
    }
    return std::nullopt;
}

int64_t RunStore::beginBranch(const NewRun& run, int64_t parent, int epoch) {
    requireRun(parent);
    const std::vector<int> kept = epochStates(parent);
    if (!std::binary_search(kept.begin(), kept.end(), epoch))
        throwBadInput("run " + std::to_string(parent) + " has no state kept after epoch " + std::to_string(epoch) +
                      (kept.empty() ? std::string("; it keeps none") : "; it can branch from epoch " + epochList(kept)));
    Transaction tx(*m_db);
    const int64_t id = beginRun(run);
    Statement link(*m_db, "UPDATE runs SET parent_run = ?2, parent_epoch = ?3 WHERE id = ?1");
    link.bind(1, id).bind(2, parent).bind(3, int64_t{epoch}).run();
    const std::string copies[] = {
        "INSERT INTO step_losses(run_id, step, epoch, loss, lr) SELECT ?1, step, epoch, loss, lr "
        "FROM step_losses WHERE run_id = ?2 AND epoch <= ?3",
        "INSERT INTO epochs(run_id, epoch, train_loss, train_accuracy, val_loss, val_accuracy, lr, "
        "seconds, samples_per_sec, best, metrics_json) SELECT ?1, epoch, train_loss, train_accuracy, "
        "val_loss, val_accuracy, lr, seconds, samples_per_sec, best, metrics_json FROM epochs "
        "WHERE run_id = ?2 AND epoch <= ?3",
        // A change made while paused at the end of the epoch applied to the epoch after it.
        "INSERT INTO setting_changes(run_id, seq, step, epoch, setting, before, after) SELECT ?1, seq, "
        "step, epoch, setting, before, after FROM setting_changes WHERE run_id = ?2 AND epoch <= ?3",
        "UPDATE runs SET epochs_done = ?3, best_epoch = coalesce((SELECT max(epoch) FROM epochs WHERE "
        "run_id = ?2 AND epoch <= ?3 AND best), 0) WHERE id = ?1",
        "UPDATE runs SET train_loss = e.train_loss, train_accuracy = e.train_accuracy, val_loss = "
        "e.val_loss, val_accuracy = e.val_accuracy FROM (SELECT * FROM epochs WHERE run_id = ?2 AND "
        "epoch = ?3) AS e WHERE id = ?1",
    };
    for (const std::string& sql : copies) {
        Statement q(*m_db, sql);
        q.bind(1, id).bind(2, parent).bind(3, int64_t{epoch}).run();
    }
    // The best checkpoint: the parent's when its best epoch is in the copied history, else the
    // weights of that epoch's kept state.
    Statement b(*m_db, "SELECT best_epoch FROM runs WHERE id = ?1");
    b.bind(1, id);
    b.step();
    const int best = static_cast<int>(b.int64(0));
    b.reset();
    if (best > 0) {
        std::optional<Checkpoint> ck = checkpoint(parent, CheckpointKind::Best);
        if (!ck || ck->epoch != best) {
            ck.reset();
            if (const auto state = epochState(parent, best)) {
                const TrainerState s = deserializeCheckpoint(*state, path() + ": run " + std::to_string(parent) +
                                                                         " state after epoch " + std::to_string(best));
                Checkpoint w{CheckpointKind::Best, best, "weights-f32", std::vector<uint8_t>(s.model.size() * sizeof(float))};
                if (!s.model.empty()) std::memcpy(w.data.data(), s.model.data(), w.data.size());
                ck = std::move(w);
            }
        }
        if (ck) putCheckpoint(id, *ck);
    }
    tx.commit();
    return id;
}

}  // namespace neurite::storage
