// Data probing on a worker thread; the result is applied on the GUI thread.
#include "data_probe.h"

#include <QThread>
#include <memory>

#include "data/data_source.h"

namespace neurite {

DataProbe::DataProbe(QObject* parent) : QObject(parent) {}

DataProbe::~DataProbe() {
    for (QThread* worker : m_workers) worker->wait();
}

QString DataProbe::keyOf(const ProjectDocument& doc) {
    // Everything that changes what loads: the target column changes the classes ("auto" units).
    return QString("%1|%2|%3|%4|%5|%6|%7")
        .arg(QString::fromStdString(doc.data.source))
        .arg(doc.data.validationSplit)
        .arg(doc.data.testSplit)
        .arg(QString::fromStdString(doc.data.scaling))
        .arg(doc.training.seed)
        .arg(doc.data.reconstruct)
        .arg(QString::fromStdString(doc.data.target));
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
    const bool reconstruct = doc.data.reconstruct;
    const uint64_t seed = doc.training.seed;
    QThread* worker = QThread::create([cfg, seed, reconstruct, result] {
        try {
            const Dataset ds = loadDataset(cfg, seed);
            result->info = dataInfo(ds);
            result->facts = dataFacts(ds);
            result->summary = QObject::tr("%1 train, %2 validation, %3 test")
                                  .arg(ds.train.count)
                                  .arg(ds.validation.count)
                                  .arg(ds.test.count);
            result->preview = std::make_shared<const ui::RunPrepared>(ui::describeData(ds, reconstruct));
        } catch (const std::exception& e) {
            result->error = QString::fromUtf8(e.what());
        }
    });
    m_workers.append(worker);
    ++m_running;
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
