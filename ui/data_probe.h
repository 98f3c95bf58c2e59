// DataProbe: loads a project's data off the GUI thread (engine probeData) to learn what "auto"
// sizes bind to (the sample shape and the number of classes) and how the splits come out.
// Results are cached by the engine's dataKey (every field of the data section and the seed), so
// editing the graph never reloads the data and changing any data setting always does.
#pragma once

#include <QList>
#include <QMap>
#include <QObject>
#include <QString>

#include <memory>

#include "graph/graph.h"
#include "io/project.h"
#include "train/output_check.h"
#include "training/training_controller.h"

class QThread;

namespace neurite {

class DataProbe : public QObject {
    Q_OBJECT
public:
    struct Result {
        DataInfo info;
        DataFacts facts;  // what the trainer checks the model's output against
        QString summary;  // "54000 train, 6000 validation, 10000 test; 10 classes"
        QString error;    // why the data cannot be loaded; empty when it loaded
        // What the Training tab's Data and Decision map tabs show before a run (null on error).
        std::shared_ptr<const RunPrepared> preview;
    };

    explicit DataProbe(QObject* parent = nullptr);
    ~DataProbe() override;  // waits for a load in flight (it uses the engine's file readers)

    // Starts (or answers from the cache) a probe of `doc`'s data; `probed` follows. A later call
    // supersedes an earlier one still running.
    void probe(const ProjectDocument& doc);
    bool busy() const { return m_running > 0 && m_pending; }
    // The cache key of `doc`'s data (dataKey): equal keys load equal data.
    static QString keyOf(const ProjectDocument& doc);
    int loadsStarted() const { return m_loads; }  // probes that loaded data (not from the cache)
    const Result& result() const { return m_result; }

signals:
    void probed();

private:
    QMap<QString, Result> m_cache;
    QList<QThread*> m_workers;
    Result m_result;
    int m_generation = 0;
    int m_running = 0;
    int m_loads = 0;
    bool m_pending = false;
};

}  // namespace neurite
