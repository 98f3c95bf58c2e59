// Data probing (engine probeData) on a worker thread; the result is applied on the GUI thread.
#include "data_probe.h"
#include "failure.h"

#include <QThread>
#include <memory>

#include "io/project.h"
#include "train/data_probe.h"

namespace neurite {

DataProbe::DataProbe(QObject* parent) : QObject(parent) {}

DataProbe::~DataProbe() {
    for (QThread* worker : m_workers) worker->wait();
}

QString DataProbe::keyOf(const ProjectDocument& doc) {
    // The whole data section and the seed, as the engine writes them: every field that changes
    // the data changes the key.
    return QString::fromStdString(dataKey(doc.data, doc.training.seed));
}

void DataProbe::probe(const ProjectDocument& doc) {
    const int generation = ++m_generation;
    const QString key = keyOf(doc);
    if (auto it = m_cache.find(key); it != m_cache.end()) {
        m_pending = false;
        m_result = *it;
        emit probed();
        return;
    }
    m_pending = true;
    auto result = std::make_shared<Result>();
    const DataConfig cfg = doc.data;
    const uint64_t seed = doc.training.seed;
    QThread* worker = QThread::create([cfg, seed, result] {
        try {
            const ProbedData probed = probeData(cfg, seed);
            result->info = probed.info;
            result->facts = probed.facts;
            const DataDescription& d = probed.description;
            result->summary = QObject::tr("%1 train, %2 validation, %3 test")
                                  .arg(d.trainCount)
                                  .arg(d.validationCount)
                                  .arg(d.testCount);
            result->preview = std::make_shared<const RunPrepared>(preparedOf(d));
        } catch (...) {
            result->error = currentFailure().message;  // shown in the designer's Problems panel
        }
    });
    m_workers.append(worker);
    ++m_running;
    ++m_loads;
    connect(worker, &QThread::finished, this, [this, worker, result, key, generation] {
        m_workers.removeOne(worker);
        worker->deleteLater();
        --m_running;
        m_cache.insert(key, *result);
        if (generation != m_generation) return;  // a newer probe supersedes this one
        m_pending = false;
        m_result = *result;
        emit probed();
    });
    worker->start();
}

}  // namespace neurite
