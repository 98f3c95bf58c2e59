// The "Try it" panel: models (loaded on the CPU backend, as one sample at a time needs no GPU),
// predictions and the decision map, each on a worker. Its samples and the search for mistakes are
// in try_it_samples.cpp.
#include "deploy/try_it_panel.h"
#include "deploy/try_it_panel_p.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QPixmap>
#include <QPushButton>
#include <QRandomGenerator>
#include <QSpinBox>
#include <QThread>
#include <QVBoxLayout>

#include <algorithm>

#include "devices/device_registry.h"
#include "data/data_source.h"
#include "background_task.h"
#include "decision_plot.h"
#include "display_convert.h"
#include "export/decision_map.h"
#include "export/input_files.h"
#include "export/native_model.h"
#include "export/predictor.h"
#include "failure.h"
#include "deploy/probability_bars.h"
#include "run_model.h"
#include "run_store.h"

namespace neurite {

using namespace tryit;


TryItPanel::TryItPanel(QWidget* parent)
    : QWidget(parent), m_runTask(new BackgroundTask(this)), m_mapTask(new BackgroundTask(this)),
      m_mistakeTask(new BackgroundTask(this)), m_predictTask(new BackgroundTask(this)) {
    auto* open = new QPushButton(tr("Open model..."), this);
    m_modelInfo = new QLabel(tr("No model loaded. Export one as a Neurite model file (*.nmodel)."), this);
    m_modelInfo->setWordWrap(true);
    m_image = new QPushButton(tr("Image..."), this);
    m_row = new QLineEdit(this);
    m_row->setPlaceholderText(tr("or type or paste a CSV row of raw values"));
    m_predict = new QPushButton(tr("Predict"), this);

    m_loadSamples = new QPushButton(tr("Load data set samples"), this);
    m_loadSamples->setToolTip(tr("Loads the data set the model was trained on, split as in "
                                 "training, to try its held-out samples"));
    m_index = new QSpinBox(this);
    m_index->setAccelerated(true);
    m_index->setPrefix(tr("sample "));
    m_sampleInfo = new QLabel(this);
    m_random = new QPushButton(tr("Random"), this);
    m_nextMistake = new QPushButton(tr("Next mistake"), this);
    m_nextMistake->setToolTip(tr("The next sample the model classifies wrongly"));

    m_preview = new QLabel(this);
    m_preview->setFixedSize(140, 140);
    m_preview->setAlignment(Qt::AlignCenter);
    m_preview->setFrameShape(QFrame::StyledPanel);
    m_preview->hide();
    m_prediction = new QLabel(this);
    QFont big = m_prediction->font();
    big.setPointSizeF(big.pointSizeF() * 1.3);
    big.setBold(true);
    m_prediction->setFont(big);
    m_truth = new QLabel(this);
    m_truth->setTextFormat(Qt::RichText);
    m_error = new QLabel(this);
    m_error->setWordWrap(true);
    m_error->setStyleSheet("color: #b00020");
    m_words = new QLabel(this);
    m_words->setWordWrap(true);
    m_words->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_bars = new ProbabilityBars(this);
    m_map = new plot::DecisionPlot(this);
    m_map->setMinimumSize(260, 220);
    m_map->setToolTip(tr("The model's decision over the plane. Click a point to predict it."));
    m_map->hide();
    connect(m_map, &plot::DecisionPlot::planeClicked, this, [this](double x, double y) { predictPoint(x, y); });

    auto* top = new QHBoxLayout;
    top->addWidget(open);
    top->addWidget(m_modelInfo, 1);
    auto* input = new QHBoxLayout;
    input->addWidget(m_image);
    input->addWidget(m_row, 1);
    input->addWidget(m_predict);
    auto* samples = new QHBoxLayout;
    samples->addWidget(m_loadSamples);
    samples->addWidget(m_index);
    samples->addWidget(m_sampleInfo, 1);
    samples->addWidget(m_random);
    samples->addWidget(m_nextMistake);
    auto* result = new QGridLayout;
    result->addWidget(m_preview, 0, 0, 3, 1, Qt::AlignTop | Qt::AlignLeft);
    result->addWidget(m_prediction, 0, 1, Qt::AlignLeft);
    result->addWidget(m_truth, 1, 1, Qt::AlignLeft);
    result->addWidget(m_bars, 2, 1);
    result->addWidget(m_words, 3, 1);
    result->addWidget(m_map, 0, 2, 5, 1);
    result->setRowStretch(4, 1);
    result->setColumnStretch(1, 3);  // the bars, then room: bars across a wide window are
    result->setColumnStretch(2, 2);  // hard to compare
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addLayout(input);
    layout->addLayout(samples);
    layout->addWidget(m_error);
    layout->addLayout(result, 1);

    connect(open, &QPushButton::clicked, this, [this] {
        const QString p = QFileDialog::getOpenFileName(this, tr("Open model"), {},
                                                       tr("Neurite models (*.nmodel);;All files (*)"));
        if (!p.isEmpty()) loadModel(p);
    });
    connect(m_image, &QPushButton::clicked, this, [this] {
        const QString p = QFileDialog::getOpenFileName(this, tr("Open image"), {},
                                                       tr("Images (*.png *.jpg *.jpeg *.bmp)"));
        if (!p.isEmpty()) predictImage(p);
    });
    connect(m_predict, &QPushButton::clicked, this, [this] { predictRow(m_row->text()); });
    connect(m_row, &QLineEdit::returnPressed, this, [this] { predictRow(m_row->text()); });
    connect(m_loadSamples, &QPushButton::clicked, this, &TryItPanel::loadSamples);
    connect(m_index, &QSpinBox::valueChanged, this, [this](int shown) {
        if (shown - 1 != m_current) showSample(shown - 1);
    });
    connect(m_random, &QPushButton::clicked, this, [this] {
        const int64_t n = sampleCount();
        if (n > 0) showSample(static_cast<int64_t>(QRandomGenerator::global()->bounded(quint64(n))));
    });
    connect(m_nextMistake, &QPushButton::clicked, this, &TryItPanel::nextMistake);
    connect(m_runTask, &BackgroundTask::stageChanged, this, [this](const QString& stage) {
        m_modelInfo->setText(tr("Loading run #%1: %2...").arg(m_loadingRun).arg(stage));
    });
    m_image->setEnabled(false);
    m_predict->setEnabled(false);
    updateSampleControls();
}

TryItPanel::~TryItPanel() {
    if (m_worker) m_worker->wait();
}

bool TryItPanel::modelLoading() const { return m_runTask->busy(); }
bool TryItPanel::mapDrawing() const { return m_mapTask->busy(); }

QString TryItPanel::modelText() const { return m_modelInfo->text(); }

QString TryItPanel::predictionText() const { return m_prediction->text(); }
QString TryItPanel::truthText() const { return m_truth->text(); }
QString TryItPanel::errorText() const { return m_error->text(); }
QString TryItPanel::wordsText() const { return m_words->text(); }

QString TryItPanel::wordsNote(const QString& text) const {
    const TextVocabulary& v = m_model->preprocessing.text;
    const std::vector<std::string> tokens = tokenize(text.toStdString(), v.settings.characters, v.settings.lowercase);
    const auto n = static_cast<int64_t>(tokens.size()), length = v.settings.length;
    QStringList unknown;
    for (int64_t k = std::max<int64_t>(0, n - length); k < n; ++k) {
        const std::string& t = tokens[static_cast<std::size_t>(k)];
        const QString shown = QString::fromStdString(t);
        if (v.id(t) == kTextUnknownId && !unknown.contains(shown)) unknown << shown;
    }
    QString note = n > length ? tr("%1 tokens; the model reads the last %2.").arg(n).arg(length)
                   : n == 1   ? tr("1 token.")
                              : tr("%1 tokens.").arg(n);
    note += ' ';
    note += unknown.isEmpty() ? tr("All of them are in the vocabulary.")
                              : tr("Not in the vocabulary (read as unknown): %1").arg(unknown.join(QStringLiteral(", ")));
    return note;
}
bool TryItPanel::hasPreview() const { return !m_preview->isHidden(); }


void TryItPanel::showError(const QString& message) { showFailure(Failure{ErrorKind::BadInput, message}, QString()); }

void TryItPanel::showFailure(const Failure& failure, const QString& context) {
    neurite::showFailure(failure, m_error, this, context);
    m_prediction->clear();
    m_truth->clear();
    m_bars->clear();
    m_lastPredicted.reset();
}

bool TryItPanel::loadModel(const QString& path) {
    // The model loaded before (if any) stays usable until the new one is in.
    const QFileInfo info(path);
    if (!info.exists()) {
        showError(tr("%1: no such file").arg(path));
        emit modelLoadFailed(errorText());
        return false;
    }
    m_runTask->cancel();  // the newest model asked for wins over a run still loading
    auto result = std::make_shared<std::unique_ptr<NativeModel>>();
    const std::string file = path.toStdString();
    const QString name = info.fileName();
    m_runTask->start(
        [file, result](const StopToken&, const BackgroundTask::Stage&) {
            *result = std::make_unique<NativeModel>(loadNativeModel(file, backendFor("cpu")));
        },
        [this, result, name](const std::optional<Failure>& failure) {
            if (failure && failure->cancelled()) return;  // another model was asked for
            if (!failure && *result) {
                installModel(std::move(*result), name);
                return;
            }
            m_modelInfo->setText(m_model ? tr("The model loaded before stays.") : tr("No model loaded."));
            if (failure) showFailure(*failure, tr("Cannot load %1").arg(name));
            emit modelLoadFailed(errorText());
        });
    m_modelInfo->setText(tr("Loading %1...").arg(name));
    return true;
}

void TryItPanel::installModel(std::unique_ptr<NativeModel> m, const QString& name) {
    const Shape sample = m->sampleShape();
    const TextVocabulary& text = m->preprocessing.text;
    m_modelInfo->setText(tr("%1: %2%3, input %4")
                             .arg(name,
                                  m->isClassifier() ? tr("%n classes", nullptr, int(m->classNames.size()))
                                                    : tr("regression"),
                                  m->int8 ? tr(", int8") : QString(),
                                  text.fitted() ? tr("text (%1 %2 of a %3-token vocabulary)")
                                                      .arg(text.settings.length)
                                                      .arg(text.settings.characters ? tr("characters") : tr("words"))
                                                      .arg(text.tokens.size())
                                                : QString::fromStdString(sample.str())));
    m_row->setPlaceholderText(text.fitted() ? tr("type or paste a text") : tr("or type or paste a CSV row of raw values"));
    m_image->setEnabled(isImageInput(sample));
    m_predict->setEnabled(true);
    m_model = std::move(m);
    clearFailure(m_error);
    m_prediction->clear();
    m_truth->clear();
    m_bars->clear();
    m_words->clear();
    m_preview->hide();
    m_lastPredicted.reset();
    resetSamples();
    updateMap();
    emit modelLoaded();
}

void TryItPanel::loadRun(const QString& dbPath, qint64 runId) {
    if (m_runTask->busy()) return;
    struct Loaded {
        std::unique_ptr<NativeModel> model;
        QString name;
    };
    auto result = std::make_shared<Loaded>();
    const std::string db = dbPath.toStdString();
    m_loadingRun = runId;
    m_runTask->start(
        [db, runId, result](const StopToken& stop, const BackgroundTask::Stage& stage) {
            storage::RunStore store(db, storage::RunStore::Mode::ReadOnly);
            storage::RunModels loaded =
                storage::loadRunModels(store, runId, storage::RunModelChoice::FinalElseBest, &stop, stage);
            const bool final = loaded.models.front().kind == storage::CheckpointKind::Final;
            result->name = QObject::tr("Run #%1 %2 (%3 model)")
                               .arg(runId)
                               .arg(QString::fromStdString(loaded.run.name),
                                    final ? QObject::tr("final") : QObject::tr("best"));
            // Through the native file's bytes: exactly what an exported model would load as.
            stage("preparing the model");
            result->model = std::make_unique<NativeModel>(decodeNativeModel(
                encodeNativeModel(loaded.exportSource(0)), result->name.toStdString(), backendFor("cpu")));
        },
        [this, result, runId](const std::optional<Failure>& failure) {
            if (failure && failure->cancelled()) return;  // another model was asked for
            if (!failure && result->model) {
                installModel(std::move(result->model), result->name);
                return;
            }
            m_modelInfo->setText(m_model ? tr("The model loaded before stays.") : tr("No model loaded."));
            if (failure) showFailure(*failure, tr("Cannot try run #%1").arg(runId));
            emit modelLoadFailed(errorText());
        });
    m_modelInfo->setText(tr("Loading run #%1...").arg(runId));
}

bool TryItPanel::predictPoint(double x, double y) {
    if (!m_model || m_model->sampleShape() != Shape{2}) return false;
    m_row->setText(QString("%1, %2").arg(x, 0, 'g', 4).arg(y, 0, 'g', 4));
    m_truth->clear();
    Prediction p;
    p.raw = {static_cast<float>(x), static_cast<float>(y)};
    return requestPrediction(std::move(p));
}

// The plane around the loaded samples, else the training data's spread (engine spreadPlane);
// the grid is drawn on a worker from a copy of the model, so a prediction never waits for it.
void TryItPanel::updateMap() {
    const bool planar = m_model && m_model->isClassifier() && m_model->sampleShape() == Shape{2};
    m_mapTask->cancel();
    m_map->setVisible(planar);
    m_map->clear();
    if (!planar) return;
    m_map->setClassNames(namesOf(m_model->classNames));
    PlaneRange plane = spreadPlane(m_model->preprocessing);
    if (m_samples && !m_samples->points.x.empty()) {
        m_map->setPoints(m_samples->points);
        plane = m_samples->plane;
    }
    struct Job {
        ModelCopy model;  // small: two inputs
        DecisionMap map;
    };
    auto job = std::make_shared<Job>(Job{ModelCopy(*m_model), {}});
    const int generation = m_generation;
    m_mapTask->start(
        [job, plane](const StopToken&, const BackgroundTask::Stage&) {
            job->map = decisionMap(*job->model.build(), job->model.preprocessing, job->model.classes, plane);
        },
        [this, job, generation](const std::optional<Failure>& failure) {
            if ((failure && failure->cancelled()) || generation != m_generation) return;
            if (failure) {
                neurite::showFailure(*failure, m_error, this, tr("No decision map"));
            } else {
                m_map->setGrid(gridOf(job->map));
                m_map->resetView();
            }
            emit mapUpdated();
        });
}


void TryItPanel::showPreview(const std::vector<float>& raw) {
    const Shape& shape = m_model->sampleShape();
    if (!isImageInput(shape)) {
        m_preview->hide();
        return;
    }
    const int c = int(shape[0]), h = int(shape[1]), w = int(shape[2]);
    const auto [lo, hi] = std::minmax_element(raw.begin(), raw.end());
    // Pixels as stored (0..255) when they look like pixels; anything else stretched to 0..255.
    const bool pixels = *lo >= 0.f && *hi <= 255.f && *hi > 1.f;
    const float offset = pixels ? 0.f : *lo;
    const float gain = pixels ? 1.f : (*hi > *lo ? 255.f / (*hi - *lo) : 0.f);
    auto px = [&](int ch, int y, int x) {
        const float v = (raw[std::size_t((ch * h + y) * w + x)] - offset) * gain;
        return std::clamp(int(v + 0.5f), 0, 255);
    };
    QImage img(w, h, QImage::Format_RGB32);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const int r = px(0, y, x);
            img.setPixel(x, y, c >= 3 ? qRgb(r, px(1, y, x), px(2, y, x)) : qRgb(r, r, r));
        }
    m_preview->setPixmap(QPixmap::fromImage(img.scaled(m_preview->size() - QSize(8, 8),
                                                       Qt::KeepAspectRatio, Qt::FastTransformation)));
    m_preview->show();
}

bool TryItPanel::predictImage(const QString& path) {
    if (!m_model) return false;
    m_truth->clear();
    Prediction p;
    p.imagePath = path;
    return requestPrediction(std::move(p));
}

bool TryItPanel::predictRow(const QString& csvRow) {
    if (!m_model) return false;
    try {
        const TextVocabulary& text = m_model->preprocessing.text;
        if (text.fitted() && csvRow.trimmed().isEmpty()) {
            showError(tr("Type a text to classify."));
            return false;
        }
        const RawInputs in = text.fitted() ? encodeTextInputs({csvRow.toStdString()}, text, "the typed text")
                                           : parseCsvRows(csvRow.toStdString(), "the typed row", m_model->sampleShape());
        if (in.count != 1) {
            showError(tr("Type one row (got %1).").arg(in.count));
            return false;
        }
        m_truth->clear();
        if (isImageInput(m_model->sampleShape())) showPreview(in.values);
        Prediction p;
        p.raw = in.values;
        if (text.fitted()) p.text = csvRow;
        return requestPrediction(std::move(p));
    } catch (...) {
        showFailure(currentFailure(), QString());
        return false;
    }
}

bool TryItPanel::predicting() const { return m_predictTask->busy() || m_pendingPrediction; }

bool TryItPanel::requestPrediction(Prediction p) {
    if (!m_model) return false;
    p.model = m_model;
    m_pendingPrediction = std::make_shared<Prediction>(std::move(p));  // replaces one still waiting
    if (!m_predictTask->busy()) startPrediction();
    return true;
}

// One prediction at a time, never cancelled: the worker is the only thread that runs the model.
void TryItPanel::startPrediction() {
    std::shared_ptr<Prediction> job = std::move(m_pendingPrediction);
    m_pendingPrediction.reset();
    if (!job) return;
    m_predictTask->start(
        [job](const StopToken&, const BackgroundTask::Stage&) {
            if (!job->imagePath.isEmpty())
                job->raw = readImage(job->imagePath.toStdString(), job->model->sampleShape()).values;
            // An int8 model runs on the int8 runtime, as neurite-cli predict runs it.
            const Model::Int8Spec* int8 = job->model->int8 ? &*job->model->int8 : nullptr;
            Predictor predictor(*job->model->model, job->model->preprocessing, 1,
                                int8 ? InferencePath::Compiled : InferencePath::LayerByLayer, int8);
            job->out = predictor.outputs(job->raw.data(), 1);
        },
        [this, job](const std::optional<Failure>& failure) {
            if (job->model == m_model && !m_pendingPrediction) {  // else a newer request follows
                if (failure) showFailure(*failure, QString());
                else showPrediction(*job);
            }
            startPrediction();
            if (!predicting()) emit predicted();
        });
}

void TryItPanel::showPrediction(const Prediction& p) {
    const std::vector<float>& out = p.out;
    if (!p.imagePath.isEmpty()) showPreview(p.raw);
    clearFailure(m_error);
    m_words->setText(p.text.isEmpty() ? QString() : wordsNote(p.text));
    m_lastPredicted.reset();
    if (!m_model->isClassifier()) {
        m_prediction->setText(tr("Values: %1").arg(joinValues(out.data(), int64_t(out.size()))));
        m_bars->clear();
        showTruth(p.sample);
        return;
    }
    const std::vector<float> probs = probabilitiesOf(out, static_cast<int64_t>(out.size()));
    const auto k = static_cast<int64_t>(m_model->classNames.size());
    const int best = argmaxRows(probs, k).front();
    m_lastPredicted = best;
    QStringList names;
    for (const std::string& n : m_model->classNames) names << QString::fromStdString(n);
    m_prediction->setText(tr("Predicted: %1 (%2%)")
                              .arg(names[best])
                              .arg(100.0 * probs[static_cast<std::size_t>(best)], 0, 'f', 1));
    m_bars->setBars(names, probs);
    if (m_map->isVisibleTo(this) && p.raw.size() == 2) m_map->setMarker(QPointF(p.raw[0], p.raw[1]), best);
    showTruth(p.sample);
}

}  // namespace neurite
