// Try it's samples: the model's data set loaded on a worker thread and split exactly as in
// training (same source, split fractions and seed), so its test split holds samples the model
// never trained on; a sample shown with its true label; the next mistake searched on a worker.
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QThread>

#include <algorithm>

#include "background_task.h"
#include "data/data_source.h"
#include "deploy/try_it_panel_p.h"
#include "export/predictor.h"

namespace neurite {

using namespace tryit;

int64_t TryItPanel::sampleCount() const { return m_samples ? m_samples->split.count : 0; }

QString TryItPanel::sampleSplitName() const { return m_samples ? m_samples->splitName : QString(); }

bool TryItPanel::searchingMistake() const { return m_mistakeTask->busy(); }

void TryItPanel::updateSampleControls() {
    const bool have = sampleCount() > 0;
    m_loadSamples->setEnabled(m_model && !m_worker);
    m_loadSamples->setVisible(!have);
    m_index->setVisible(have);
    m_random->setVisible(have);
    m_nextMistake->setVisible(have);
    m_nextMistake->setEnabled(have && m_model && m_model->isClassifier() && !m_mistakeTask->busy());
    if (m_worker) {
        m_sampleInfo->setText(tr("Loading %1...")
                                  .arg(QString::fromStdString(m_model->project.data.source)));
    } else if (have) {
        const QSignalBlocker block(m_index);
        m_index->setRange(1, int(std::min<int64_t>(sampleCount(), INT32_MAX)));
        if (m_current >= 0) m_index->setValue(int(m_current + 1));
        m_sampleInfo->setText(tr("of %L1 in the %2 split%3")
                                  .arg(sampleCount())
                                  .arg(m_samples->splitName,
                                       m_samples->splitName == "training"
                                           ? tr(" (seen in training)")
                                           : tr(" (not trained on)")));
    } else {
        m_sampleInfo->setText(m_model ? tr("from %1").arg(QString::fromStdString(
                                            m_model->project.data.source))
                                      : QString());
    }
}

void TryItPanel::resetSamples() {
    ++m_generation;
    m_mistakeTask->cancel();
    m_samples.reset();
    m_current = -1;
    updateSampleControls();
}

void TryItPanel::loadSamples() {
    if (!m_model || m_worker) return;
    auto result = std::make_shared<Samples>();
    const DataConfig cfg = m_model->project.data;
    const uint64_t seed = m_model->project.training.seed;
    const Shape expected = m_model->sampleShape();
    m_worker = QThread::create([cfg, seed, expected, result] {
        try {
            Dataset ds = loadDataset(cfg, seed);
            if (ds.sampleShape != expected) {
                result->failure = Failure{ErrorKind::BadInput,
                                          QObject::tr("the data set %1 has samples of shape %2; the model expects %3")
                                              .arg(QString::fromStdString(cfg.source),
                                                   QString::fromStdString(ds.sampleShape.str()),
                                                   QString::fromStdString(expected.str()))};
                return;
            }
            DataSplit* split = &ds.test;
            result->splitName = QObject::tr("test");
            if (split->count == 0) {
                split = &ds.validation;
                result->splitName = QObject::tr("validation");
            }
            if (split->count == 0) {
                split = &ds.train;
                result->splitName = QObject::tr("training");
            }
            result->split = std::move(*split);
            result->sampleShape = ds.sampleShape;
            result->classNames = ds.classNames;
            result->targetDim = ds.targetDim;
            const DataSplit& s = result->split;
            if (ds.sampleShape == Shape{2} && s.count > 0) {
                const int64_t stride = std::max<int64_t>(1, s.count / kMapPoints);
                for (int64_t i = 0; i < s.count; i += stride) {
                    result->points.x.push_back(s.value(static_cast<std::size_t>(2 * i)));
                    result->points.y.push_back(s.value(static_cast<std::size_t>(2 * i + 1)));
                    result->points.label.push_back(s.labels.empty() ? 0 : s.labels[static_cast<std::size_t>(i)]);
                }
                result->plane = paddedPlane(result->points.x, result->points.y);
            }
        } catch (...) {
            result->failure = currentFailure();
        }
    });
    const int generation = m_generation;
    connect(m_worker, &QThread::finished, this, [this, result, generation] {
        m_worker->deleteLater();
        m_worker = nullptr;
        if (generation == m_generation) {  // else another model was loaded meanwhile
            if (result->failure) {
                showFailure(*result->failure, tr("Cannot load the model's data set"));
            } else if (result->split.count == 0) {
                showError(tr("The model's data set has no samples."));
            } else {
                m_samples = result;
                clearFailure(m_error);
                updateSampleControls();
                updateMap();
                showSample(0);
            }
        }
        updateSampleControls();
        emit samplesLoaded();
    });
    m_worker->start();
    updateSampleControls();
}

std::vector<float> TryItPanel::rawSample(int64_t index) const {
    const int64_t values = m_samples->sampleShape.numel();
    std::vector<float> raw(static_cast<std::size_t>(values));
    const auto first = static_cast<std::size_t>(index * values);
    for (std::size_t i = 0; i < raw.size(); ++i) raw[i] = m_samples->split.value(first + i);
    return raw;
}

bool TryItPanel::showSample(int64_t index) {
    if (!m_model || index < 0 || index >= sampleCount()) return false;
    m_current = index;
    updateSampleControls();
    const std::vector<float> raw = rawSample(index);
    QString text;
    if (isImageInput(m_samples->sampleShape)) {
        showPreview(raw);
    } else {
        m_preview->hide();
        const auto at = static_cast<std::size_t>(index);
        // Editable, then Predict: a text sample as its text on one line (line breaks are spaces to
        // both tokenizers), others as their values.
        text = at < m_samples->split.texts.size() ? QString::fromStdString(m_samples->split.texts[at]).simplified()
                                                  : QString();
        m_row->setText(!text.isEmpty() ? text : joinValues(raw.data(), int64_t(raw.size())));
        m_row->setCursorPosition(0);
    }
    m_truth->clear();
    Prediction p;
    p.raw = raw;
    p.sample = index;
    p.text = text;
    return requestPrediction(std::move(p));
}

// The true label of a shown sample, beside what the model said of it.
void TryItPanel::showTruth(int64_t index) {
    if (!m_samples || index < 0 || index >= sampleCount()) return;
    const DataSplit& s = m_samples->split;
    if (m_model->isClassifier() && !s.labels.empty()) {
        const int truth = s.labels[static_cast<std::size_t>(index)];
        const QString name = truth >= 0 && std::size_t(truth) < m_model->classNames.size()
                                 ? QString::fromStdString(m_model->classNames[std::size_t(truth)])
                                 : QString::number(truth);
        const bool right = m_lastPredicted && *m_lastPredicted == truth;
        m_truth->setText(right ? tr("True: %1 <span style='color:#1b7f3b'>&#10004; correct</span>")
                                     .arg(name.toHtmlEscaped())
                               : tr("True: %1 <span style='color:#b00020'>&#10008; wrong</span>")
                                     .arg(name.toHtmlEscaped()));
    } else if (!s.targets.empty() && m_samples->targetDim > 0) {
        const int64_t d = m_samples->targetDim;
        m_truth->setText(tr("True: %1").arg(joinValues(s.targets.data() + index * d, d)));
    }
}

bool TryItPanel::nextMistake() {
    const int64_t n = sampleCount();
    if (!m_model || n == 0 || !m_model->isClassifier() || m_mistakeTask->busy()) return false;
    // The worker's own copy of the model (plans belong to one thread), and the samples it reads.
    // The worker's own copy of the model, and the samples it reads.
    struct Job {
        ModelCopy model;
        std::shared_ptr<const Samples> samples;
        int64_t start = 0, found = -1;
    };
    auto job = std::make_shared<Job>(Job{ModelCopy(*m_model), m_samples, (m_current + 1) % n, -1});
    const int generation = m_generation;
    m_nextMistake->setEnabled(false);
    m_error->setText(tr("Looking for the next mistake..."));
    m_mistakeTask->start(
        [job](const StopToken& stop, const BackgroundTask::Stage&) {
            job->found = firstMistake(*job->model.build(), job->model.preprocessing, job->model.classes,
                                      job->samples->split, job->start, &stop, job->model.int8Spec());
        },
        [this, job, generation](const std::optional<Failure>& failure) {
            m_nextMistake->setEnabled(m_model && m_model->isClassifier() && sampleCount() > 0);
            if ((failure && failure->cancelled()) || generation != m_generation || job->samples != m_samples) {
                emit mistakeSearched();
                return;
            }
            clearFailure(m_error);
            if (failure) showFailure(*failure, tr("Could not look for mistakes"));
            else if (job->found >= 0) showSample(job->found);
            else
                m_error->setText(tr("The model classifies all %L1 samples of the %2 split correctly.")
                                     .arg(sampleCount())
                                     .arg(m_samples->splitName));
            emit mistakeSearched();
        });
    return true;
}

}  // namespace neurite
