#include "experiment_store.h"

#include <chrono>

#include "core/error.h"

namespace neurite::storage {

namespace {

double now() {
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

const char* kFinal = "('completed', 'infeasible', 'pruned', 'failed')";

ExperimentRecord readExperiment(Statement& q) {
    ExperimentRecord e;
    e.id = q.int64(0);
    e.name = q.text(1);
    e.definitionJson = q.text(2);
    e.sourcePath = q.text(3);
    e.plannedTrials = static_cast<int>(q.int64(4));
    e.status = q.text(5);
    e.message = q.text(6);
    e.createdAt = q.real(7);
    e.endedAt = q.optReal(8);
    e.trialsDone = static_cast<int>(q.int64(9));
    // Read-only readers see it too: a running experiment whose process is gone is interrupted.
    const ProcessIdentity owner{q.text(10), q.int64(11), q.int64(12)};
    if (e.status == "running" && !processAlive(owner)) {
        e.status = "interrupted";
        e.message = "the process (pid " + std::to_string(owner.pid) +
                    ") ended before the experiment did; continue it with neurite-cli experiment "
                    "resume " + std::to_string(e.id);
    }
    return e;
}

const char* kSelect =
    "SELECT e.id, e.name, e.definition_json, e.source_path, e.planned_trials, e.status, e.message, "
    "e.created_at, e.ended_at, (SELECT COUNT(*) FROM trials t WHERE t.experiment_id = e.id AND "
    "t.status IN ('completed', 'infeasible', 'pruned', 'failed')), e.host, e.pid, e.pid_start FROM experiments e";

}  // namespace

ExperimentStore::ExperimentStore(RunStore& store) : m_store(store) {}

int64_t ExperimentStore::create(const std::string& name, const std::string& definitionJson,
                                const std::string& sourcePath, int plannedTrials) {
    const ProcessIdentity me = currentProcess();
    Statement q(m_store.db(),
                "INSERT INTO experiments(name, definition_json, source_path, planned_trials, status, "
                "created_at, host, pid, pid_start) VALUES(?1, ?2, ?3, ?4, 'running', ?5, ?6, ?7, ?8)");
    q.bind(1, name).bind(2, definitionJson).bind(3, sourcePath).bind(4, int64_t{plannedTrials});
    q.bind(5, now()).bind(6, me.host).bind(7, me.pid).bind(8, me.startTicks);
    q.run();
    return m_store.db().lastInsertId();
}

void ExperimentStore::claim(int64_t id) {
    const ExperimentRecord e = require(id);
    if (e.status == "running")
        throwBadInput("experiment " + std::to_string(id) + " is running in another process; stop it "
                      "first (Ctrl+C, or Stop in the studio)");
    if (e.status == "completed")
        throwBadInput("experiment " + std::to_string(id) + " has completed: every planned trial ran");
    SqliteDb& db = m_store.db();
    const ProcessIdentity me = currentProcess();
    Transaction tx(db);
    // The runs of unfinished trials go with them (they are drawn again from the start).
    Statement d(db, std::string("DELETE FROM runs WHERE experiment_id = ?1 AND trial NOT IN (SELECT "
                                "number FROM trials WHERE experiment_id = ?1 AND status IN ") +
                        kFinal + ")");
    d.bind(1, id).run();
    Statement t(db, std::string("DELETE FROM trials WHERE experiment_id = ?1 AND status NOT IN ") + kFinal);
    t.bind(1, id).run();
    Statement u(db, "UPDATE experiments SET status = 'running', message = '', ended_at = NULL, "
                    "host = ?2, pid = ?3, pid_start = ?4 WHERE id = ?1");
    u.bind(1, id).bind(2, me.host).bind(3, me.pid).bind(4, me.startTicks).run();
    tx.commit();
}

void ExperimentStore::startTrial(int64_t id, int number, const std::string& valuesJson) {
    Statement q(m_store.db(),
                "INSERT OR REPLACE INTO trials(experiment_id, number, values_json, status) "
                "VALUES(?1, ?2, ?3, 'running')");
    q.bind(1, id).bind(2, int64_t{number}).bind(3, valuesJson).run();
}

void ExperimentStore::finishTrial(int64_t id, const TrialRecord& t) {
    Statement q(m_store.db(),
                "INSERT OR REPLACE INTO trials(experiment_id, number, values_json, status, objective, "
                "objective_std, trainings_json, curves_json, message, seconds, parameters, flops) "
                "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
    q.bind(1, id).bind(2, int64_t{t.number}).bind(3, t.valuesJson).bind(4, t.status);
    q.bind(5, t.objective).bind(6, t.objectiveStd).bind(7, t.trainingsJson).bind(8, t.curvesJson);
    q.bind(9, t.message).bind(10, t.seconds).bind(11, t.parameters).bind(12, t.flops).run();
}

void ExperimentStore::stopTrial(int64_t id, int number) {
    Statement q(m_store.db(), "UPDATE trials SET status = 'stopped' WHERE experiment_id = ?1 AND number = ?2");
    q.bind(1, id).bind(2, int64_t{number}).run();
}

void ExperimentStore::finish(int64_t id, const std::string& status, const std::string& message) {
    Statement q(m_store.db(),
                "UPDATE experiments SET status = ?2, message = ?3, ended_at = ?4 WHERE id = ?1");
    q.bind(1, id).bind(2, status).bind(3, message).bind(4, now()).run();
}

std::vector<ExperimentRecord> ExperimentStore::list() {
    std::vector<ExperimentRecord> out;
    Statement q(m_store.db(), std::string(kSelect) + " ORDER BY e.id");
    while (q.step()) out.push_back(readExperiment(q));
    return out;
}

std::optional<ExperimentRecord> ExperimentStore::experiment(int64_t id) {
    Statement q(m_store.db(), std::string(kSelect) + " WHERE e.id = ?1");
    q.bind(1, id);
    if (!q.step()) return std::nullopt;
    return readExperiment(q);
}

ExperimentRecord ExperimentStore::require(int64_t id) {
    std::optional<ExperimentRecord> e = experiment(id);
    if (!e)
        throwBadInput("no experiment " + std::to_string(id) + " in " + m_store.path() +
                      " (neurite-cli experiment list shows them)");
    return *e;
}

std::vector<TrialRecord> ExperimentStore::trials(int64_t id) {
    std::vector<TrialRecord> out;
    {
        Statement q(m_store.db(),
                    "SELECT number, values_json, status, objective, objective_std, trainings_json, "
                    "message, seconds, curves_json, parameters, flops FROM trials WHERE experiment_id = ?1 "
                    "ORDER BY number");
        q.bind(1, id);
        while (q.step()) {
            TrialRecord t;
            t.number = static_cast<int>(q.int64(0));
            t.valuesJson = q.text(1);
            t.status = q.text(2);
            t.objective = q.optReal(3);
            t.objectiveStd = q.optReal(4);
            t.trainingsJson = q.text(5);
            t.message = q.text(6);
            t.seconds = q.optReal(7);
            t.curvesJson = q.text(8);
            t.parameters = q.optReal(9);
            t.flops = q.optReal(10);
            out.push_back(std::move(t));
        }
    }
    Statement r(m_store.db(), "SELECT trial, id FROM runs WHERE experiment_id = ?1 "
                              "ORDER BY trial, repeat_index, fold, id");
    r.bind(1, id);
    std::size_t at = 0;
    while (r.step()) {
        const int trial = static_cast<int>(r.int64(0));
        while (at < out.size() && out[at].number < trial) ++at;
        if (at < out.size() && out[at].number == trial) out[at].runIds.push_back(r.int64(1));
    }
    return out;
}

std::vector<int64_t> ExperimentStore::runIds(int64_t id) {
    std::vector<int64_t> out;
    Statement q(m_store.db(), "SELECT id FROM runs WHERE experiment_id = ?1 "
                              "ORDER BY trial, repeat_index, fold, id");
    q.bind(1, id);
    while (q.step()) out.push_back(q.int64(0));
    return out;
}

int ExperimentStore::remove(int64_t id, bool withRuns) {
    if (require(id).status == "running")
        throwBadInput("experiment " + std::to_string(id) + " is running; stop it first (Ctrl+C, or Stop in "
                      "the studio)");
    SqliteDb& db = m_store.db();
    Transaction tx(db);
    int deleted = 0;
    if (withRuns) {
        Statement runs(db, "DELETE FROM runs WHERE experiment_id = ?1");  // their rows cascade
        runs.bind(1, id).run();
        deleted = db.changes();
    }
    Statement q(db, "DELETE FROM experiments WHERE id = ?1");
    q.bind(1, id).run();
    tx.commit();
    return deleted;
}

}  // namespace neurite::storage
