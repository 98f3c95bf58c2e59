#include "runs_view.h"
#include "failure.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSlider>
#include <QTableWidget>
#include <QTabWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

#include "confusion_plot.h"
#include "core/error.h"
#include "curve_plot.h"
#include "decision_plot.h"
#include "background_task.h"
#include "display_convert.h"
#include "evaluation_plots.h"
#include "roc_plot.h"
#include "run_model.h"

namespace neurite {

namespace {

// Index of the best value (lowest loss, highest accuracy), skipping NaN (no validation).
int bestIndex(const std::vector<double>& v, bool higherIsBetter) {
    int best = -1;
    for (int i = 0; i < static_cast<int>(v.size()); ++i) {
        const double x = v[static_cast<std::size_t>(i)];
        if (std::isnan(x)) continue;
        if (best < 0 || (higherIsBetter ? x > v[static_cast<std::size_t>(best)] : x < v[static_cast<std::size_t>(best)]))
            best = i;
    }
    return best;
}

QTableWidgetItem* cell(const QString& text) {
    auto* item = new QTableWidgetItem(text);
    item->setFlags(item->flags() & ~Qt::ItemIsEditable);
    return item;
}

}  // namespace

RunsView::RunsView(QWidget* parent) : QWidget(parent), m_mapTask(new BackgroundTask(this)) {
    m_baseline = new QComboBox(this);
    m_baseline->setToolTip(tr("The run the others are compared with; drawn thicker"));
    connect(m_baseline, &QComboBox::activated, this, &RunsView::setBaseline);
    auto* exportCsv = new QPushButton(tr("Export curves CSV..."), this);
    connect(exportCsv, &QPushButton::clicked, this, &RunsView::exportCsvWithDialog);
    auto* exportImg = new QPushButton(tr("Export images..."), this);
    connect(exportImg, &QPushButton::clicked, this, &RunsView::exportImagesWithDialog);
    m_note = new QLabel(this);
    m_note->setWordWrap(true);
    m_note->hide();
    auto* top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Baseline"), this));
    top->addWidget(m_baseline, 1);
    top->addWidget(exportCsv);
    top->addWidget(exportImg);

    m_loss = new plot::CurvePlot(this);
    m_loss->setAxisLabels(tr("epoch"), tr("loss"));
    m_loss->setLogScaleAvailable(true);
    m_accuracy = new plot::CurvePlot(this);
    m_accuracy->setAxisLabels(tr("epoch"), tr("accuracy"));
    auto* smoothing = new QSlider(Qt::Horizontal, this);
    smoothing->setRange(0, 99);
    smoothing->setValue(60);
    connect(smoothing, &QSlider::valueChanged, this, [this](int v) { m_loss->setSmoothing(v / 100.0); });
    m_loss->setSmoothing(smoothing->value() / 100.0);  // the first runs shown, too
    auto* curves = new QWidget(this);
    auto* curvesLayout = new QVBoxLayout(curves);
    auto* smoothRow = new QHBoxLayout;
    smoothRow->addWidget(new QLabel(tr("Smoothing"), curves));
    smoothRow->addWidget(smoothing, 1);
    curvesLayout->addWidget(m_loss, 3);
    curvesLayout->addLayout(smoothRow);
    curvesLayout->addWidget(m_accuracy, 2);

    m_evalStrip = new QWidget(this);
    m_evalLayout = new QHBoxLayout(m_evalStrip);
    auto* evalScroll = new QScrollArea(this);
    evalScroll->setWidgetResizable(true);
    evalScroll->setWidget(m_evalStrip);
    m_evalTab = evalScroll;

    m_metrics = new QTableWidget(this);
    m_metrics->setSortingEnabled(false);
    m_settings = new QTableWidget(this);
    m_diffOnly = new QCheckBox(tr("Differences only"), this);
    m_diffOnly->setChecked(true);
    connect(m_diffOnly, &QCheckBox::toggled, this, &RunsView::rebuildTables);
    auto* settings = new QWidget(this);
    auto* settingsLayout = new QVBoxLayout(settings);
    settingsLayout->addWidget(m_diffOnly);
    settingsLayout->addWidget(m_settings, 1);
    m_network = new QPlainTextEdit(this);
    m_network->setReadOnly(true);

    m_tabs = new QTabWidget(this);
    m_tabs->addTab(curves, tr("Curves"));
    m_tabs->addTab(evalScroll, tr("Evaluation"));
    m_tabs->addTab(m_metrics, tr("Metrics"));
    m_tabs->addTab(settings, tr("Settings"));
    m_tabs->addTab(m_network, tr("Network"));
    connect(m_tabs, &QTabWidget::currentChanged, this, [this] {
        if (m_evalStale && m_tabs->currentWidget() == m_evalTab) buildEvaluationStrip();
    });
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_note);
    layout->addLayout(top);
    layout->addWidget(m_tabs, 1);
}

void RunsView::setNote(const QString& note) {
    m_note->setText(note);
    m_note->setVisible(!note.isEmpty());
}

QString RunsView::note() const { return m_note->text(); }

int RunsView::evaluationCount() const {
    return static_cast<int>(std::count_if(m_runs.begin(), m_runs.end(), [](const Shown& s) { return s.evaluation.has_value(); }));
}

int RunsView::evaluationPlotCount() const {
    return static_cast<int>(m_evalStrip->findChildren<plot::PlotFrame*>().size());
}

std::vector<int64_t> RunsView::shownRuns() const {
    std::vector<int64_t> ids;
    for (const Shown& s : m_runs) ids.push_back(s.details.id);
    return ids;
}

void RunsView::showRuns(storage::RunStore& store, const std::vector<int64_t>& ids) {
    if (store.path() != m_storePath) {  // another store: its run ids name other runs
        m_maps.clear();
        m_mapQueue.clear();
        m_mapSlots.clear();
        m_mapTask->cancel();
    }
    m_storePath = store.path();
    m_runs.clear();
    for (int64_t id : ids) {
        std::optional<storage::RunDetails> d = store.run(id);
        if (!d) continue;  // deleted meanwhile
        Shown s;
        s.details = *d;
        // A damaged run is shown with what could be read and says what could not; the others
        // are not held back by it.
        try {
            s.series = makeSeries(store, *d);
            s.settings = storage::settingsOf(*d, store);
            s.data = storage::parseDataSummary(d->dataJson, storage::storedWhere(store, d->id, "data description"));
        } catch (...) {
            s.series.id = d->id;
            s.series.label = s.series.legend = runLabel(*d);
            s.problem = currentFailure().message;
        }
        loadNew(store, s.series);
        s.live = d->status == "running";
        loadEvaluation(store, s);
        m_runs.push_back(std::move(s));
    }
    nameByDifferences();
    m_baseline->clear();
    for (const Shown& s : m_runs) m_baseline->addItem(s.series.legend);
    rebuildCurves();
    evaluationsChanged();
    rebuildTables();
}

void RunsView::refresh(storage::RunStore& store) {
    bool changed = false;
    for (Shown& s : m_runs) {
        if (!s.live) continue;
        const std::size_t steps = s.series.stepX.size(), epochs = s.series.epochX.size();
        bool runChanged = false;
        if (loadNew(store, s.series) > 0) {
            appendPoints(s, steps, epochs);
            runChanged = true;
        }
        std::optional<storage::RunDetails> d = store.run(s.details.id);
        if (d && d->status != "running") {
            s.live = false;
            s.details = *d;
            runChanged = true;
        }
        if (runChanged) loadEvaluation(store, s);
        changed = changed || runChanged;
    }
    if (changed) {
        evaluationsChanged();
        rebuildTables();
    }
}

void RunsView::followNames(storage::RunStore&, const std::vector<storage::RunSummary>& runs) {
    bool renamed = false;
    for (Shown& s : m_runs) {
        const auto it = std::find_if(runs.begin(), runs.end(), [&](const auto& r) { return r.id == s.details.id; });
        if (it == runs.end() || it->name == s.details.name) continue;
        s.details.name = it->name;
        s.series.label = runLabel(s.details);
        renamed = true;
    }
    if (!renamed) return;
    nameByDifferences();
    for (std::size_t i = 0; i < m_runs.size(); ++i) m_baseline->setItemText(static_cast<int>(i), m_runs[i].series.legend);
    rebuildCurves();
    evaluationsChanged();
    rebuildTables();
}

// Legends say what sets each run apart ("#6 Spiral (lr 0.1)"), not only its number.
void RunsView::nameByDifferences() {
    std::vector<storage::RunSettings> settings;
    for (const Shown& s : m_runs) settings.push_back(s.settings);
    const std::vector<std::string> notes = storage::distinguishingSettings(settings);
    for (std::size_t i = 0; i < m_runs.size(); ++i) {
        const QString note = QString::fromStdString(notes[i]);
        m_runs[i].series.legend = note.isEmpty() ? m_runs[i].series.label
                                                 : QStringLiteral("%1 (%2)").arg(m_runs[i].series.label, note);
    }
}

void RunsView::rebuildCurves() {
    m_loss->clear();
    m_accuracy->clear();
    const bool single = m_runs.size() == 1;
    for (std::size_t i = 0; i < m_runs.size(); ++i) {
        Shown& s = m_runs[i];
        // Several runs: a colour per run, validation dashed. One run: validation gets a colour of
        // its own, so it does not hide under the training curve.
        const QColor color = plot::seriesColor(static_cast<int>(i));
        const QColor valColor = single ? plot::seriesColor(1) : color;
        const QString prefix = single ? QString() : s.series.legend + QStringLiteral(" ");
        s.lossSeries = m_loss->addSeries(prefix + tr("train loss"), {color, false, false}, true);
        s.valLossSeries = m_loss->addSeries(prefix + tr("validation loss"), {valColor, true, true});
        s.accSeries = single ? m_accuracy->addSeries(tr("train accuracy"), {color, false, true}) : -1;
        s.valAccSeries = m_accuracy->addSeries(prefix + tr("validation accuracy"), {valColor, true, true});
        appendPoints(s, 0, 0);
    }
    styleBaseline(m_runs.size() > 1 ? m_baseline->currentIndex() : -1);
    m_loss->resetView();
    m_accuracy->resetView();
}

void RunsView::appendPoints(Shown& s, std::size_t stepFrom, std::size_t epochFrom) {
    const RunSeries& r = s.series;
    auto tail = [](const std::vector<double>& v, std::size_t from) {
        return std::span<const double>(v).subspan(std::min(from, v.size()));
    };
    m_loss->appendPoints(s.lossSeries, tail(r.stepX, stepFrom), tail(r.stepLoss, stepFrom));
    // Epochs without validation carry NaN: leave them out of the validation series.
    for (std::size_t e = epochFrom; e < r.epochX.size(); ++e) {
        if (!std::isnan(r.valLoss[e])) m_loss->appendPoint(s.valLossSeries, r.epochX[e], r.valLoss[e]);
        if (!std::isnan(r.valAcc[e])) m_accuracy->appendPoint(s.valAccSeries, r.epochX[e], r.valAcc[e]);
        if (s.accSeries >= 0) m_accuracy->appendPoint(s.accSeries, r.epochX[e], r.trainAcc[e]);
    }
}

void RunsView::setBaseline(int index) {
    styleBaseline(index);
    rebuildTables();  // the network differences are against the baseline
}

void RunsView::styleBaseline(int index) {
    const bool valid = index >= 0 && index < static_cast<int>(m_runs.size());
    m_loss->setBaseline(valid ? m_runs[static_cast<std::size_t>(index)].lossSeries : -1);
    m_accuracy->setBaseline(valid ? m_runs[static_cast<std::size_t>(index)].valAccSeries : -1);
}

void RunsView::loadEvaluation(storage::RunStore& store, Shown& s) {
    s.evaluation.reset();
    s.evaluationProblem.clear();
    try {
        s.evaluation = storage::finalEvaluation(store, s.details.id);
    } catch (...) {
        s.evaluationProblem = currentFailure().message;
    }
}

void RunsView::evaluationsChanged() {
    m_evalStale = true;
    if (m_tabs->currentWidget() == m_evalTab) buildEvaluationStrip();
}

namespace {

// A stored map stays valid while the run's models stay: a running run's best model moves on.
QString mapKeyOf(const storage::RunDetails& run) {
    return QStringLiteral("%1|%2").arg(QString::fromStdString(run.status)).arg(run.epochsDone);
}

}  // namespace

// The map's place in the strip: the stored map, why there is none, or a note while it is drawn.
void RunsView::addDecisionMap(const Shown& shown, QWidget* column, QVBoxLayout* layout) {
    // Runs whose data description says two features with classes: the ones with a decision map.
    if (!shown.data || !shown.data->planar()) return;
    const storage::RunDetails& run = shown.details;
    const auto it = m_maps.find(run.id);
    if (it == m_maps.end() || it->second.key != mapKeyOf(run)) {
        m_maps[run.id] = StoredMap{mapKeyOf(run), false, nullptr, QString()};
        m_mapQueue.push_back(run.id);
    }
    const StoredMap& stored = m_maps[run.id];
    if (stored.map) {
        auto* map = new plot::DecisionPlot(column);
        map->setClassNames(namesOf(stored.map->data.classNames));
        map->setPoints(pointsOf(stored.map->data));
        map->setGrid(gridOf(stored.map->map));
        map->setToolTip(tr("The %1 model's decision over the plane, with the training points")
                            .arg(stored.map->kind == storage::CheckpointKind::Final ? tr("final") : tr("best")));
        map->setMinimumSize(320, 260);
        layout->addWidget(map, 1);
        return;
    }
    auto* note = new QLabel(stored.ready ? tr("No decision map: %1").arg(stored.error)
                                         : tr("Drawing the decision map from the stored model..."),
                            column);
    note->setWordWrap(true);
    layout->addWidget(note);
    if (!stored.ready) m_mapSlots[run.id] = MapSlot{layout, note};
    startNextMap();
}

// One stored run's map at a time, on a worker: the run's data is prepared again for it.
void RunsView::startNextMap() {
    while (!m_mapTask->busy() && !m_mapQueue.empty()) {
        const int64_t id = m_mapQueue.front();
        m_mapQueue.erase(m_mapQueue.begin());
        const auto it = m_maps.find(id);
        if (it == m_maps.end() || it->second.ready) continue;
        const QString key = it->second.key;
        auto result = std::make_shared<storage::RunDecisionMap>();
        const std::string db = m_storePath;
        m_mapTask->start(
            [db, id, result](const StopToken& stop, const BackgroundTask::Stage& stage) {
                storage::RunStore store(db, storage::RunStore::Mode::ReadOnly);
                *result = storage::runDecisionMap(store, id, &stop, stage);
            },
            [this, id, key, result](const std::optional<Failure>& failure) {
                if (!failure) mapArrived(id, key, result, QString());
                else if (!failure->cancelled()) mapArrived(id, key, nullptr, failureText(*failure));
                startNextMap();
            });
    }
}

void RunsView::mapArrived(int64_t id, const QString& key, std::shared_ptr<const storage::RunDecisionMap> map,
                          const QString& error) {
    const auto it = m_maps.find(id);
    if (it == m_maps.end() || it->second.key != key) return;  // the run moved on meanwhile
    it->second = StoredMap{key, true, std::move(map), error};
    const auto slot = m_mapSlots.find(id);
    if (slot == m_mapSlots.end()) return;
    const MapSlot place = slot->second;
    m_mapSlots.erase(slot);
    if (!place.note) return;  // the strip was rebuilt: it shows the map when built again
    const auto shown = std::find_if(m_runs.begin(), m_runs.end(), [id](const Shown& s) { return s.details.id == id; });
    QWidget* column = place.note->parentWidget();
    delete place.note;
    if (shown != m_runs.end()) addDecisionMap(*shown, column, place.layout);
}

void RunsView::buildEvaluationStrip() {
    m_evalStale = false;
    m_mapSlots.clear();
    while (QLayoutItem* item = m_evalLayout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    for (const Shown& s : m_runs) {
        const std::optional<storage::StoredEvaluation>& ev = s.evaluation;
        auto* column = new QWidget(m_evalStrip);
        column->setObjectName(QStringLiteral("run-%1").arg(s.details.id));
        auto* layout = new QVBoxLayout(column);
        const QString split = ev ? QString::fromStdString(ev->title) : tr("no evaluation stored yet");
        layout->addWidget(new QLabel(QStringLiteral("<b>%1</b> (%2)").arg(s.series.label.toHtmlEscaped(), split), column));
        if (ev)
            for (const EvaluationPlot& e : evaluationPlots()) {
                if (e.classification && !ev->report.classification) continue;
                plot::PlotFrame* p = e.create(column);
                e.show(p, ev->report);
                p->setToolTip(tr("%1 of %2, %3").arg(e.titleText(), s.series.label, split));
                p->setMinimumSize(320, 240);
                layout->addWidget(p, 1);
            }
        const QString problems = QStringList{s.problem, s.evaluationProblem}.join(QLatin1Char('\n')).trimmed();
        if (!problems.isEmpty()) {
            auto* problem = new QLabel(tr("Part of this run cannot be read: %1").arg(problems), column);
            problem->setWordWrap(true);
            layout->addWidget(problem);
        }
        addDecisionMap(s, column, layout);
        m_evalLayout->addWidget(column);
    }
}

void RunsView::rebuildTables() {
    // Metrics: one row per run and metric, with best (and its epoch), last, min and max.
    struct Metric {
        QString name;
        std::vector<double> RunSeries::*values;
        bool higherIsBetter;
    };
    const Metric metrics[] = {{tr("train loss"), &RunSeries::trainLoss, false},
                              {tr("validation loss"), &RunSeries::valLoss, false},
                              {tr("train accuracy"), &RunSeries::trainAcc, true},
                              {tr("validation accuracy"), &RunSeries::valAcc, true}};
    m_metrics->clear();
    m_metrics->setColumnCount(7);
    m_metrics->setHorizontalHeaderLabels({tr("Run"), tr("Metric"), tr("Best"), tr("Best epoch"), tr("Last"), tr("Min"), tr("Max")});
    m_metrics->setRowCount(0);
    for (const Shown& s : m_runs) {
        for (const Metric& m : metrics) {
            const std::vector<double>& v = s.series.*(m.values);
            const int best = bestIndex(v, m.higherIsBetter);
            if (best < 0) continue;
            double lo = v[static_cast<std::size_t>(best)], hi = lo, last = lo;
            for (double x : v)
                if (!std::isnan(x)) {
                    lo = std::min(lo, x);
                    hi = std::max(hi, x);
                    last = x;
                }
            const int row = m_metrics->rowCount();
            m_metrics->insertRow(row);
            const QStringList cells{s.series.label, m.name, QString::number(v[static_cast<std::size_t>(best)], 'f', 4),
                                    QString::number(s.series.epochX[static_cast<std::size_t>(best)]),
                                    QString::number(last, 'f', 4), QString::number(lo, 'f', 4), QString::number(hi, 'f', 4)};
            for (int c = 0; c < cells.size(); ++c) m_metrics->setItem(row, c, cell(cells[c]));
        }
    }
    m_metrics->resizeColumnsToContents();

    // Settings: key, then one column per run; with "differences only", keys where runs agree go.
    std::vector<storage::RunSettings> settings;
    for (const Shown& s : m_runs) settings.push_back(s.settings);
    m_settings->clear();
    m_settings->setColumnCount(static_cast<int>(m_runs.size()) + 1);
    QStringList header{tr("Setting")};
    for (const Shown& s : m_runs) header << s.series.label;
    m_settings->setHorizontalHeaderLabels(header);
    m_settings->setRowCount(0);
    for (const storage::SettingRow& setting : storage::settingRows(settings, m_diffOnly->isChecked() && m_runs.size() > 1)) {
        const int row = m_settings->rowCount();
        m_settings->insertRow(row);
        m_settings->setItem(row, 0, cell(QString::fromStdString(setting.key)));
        for (std::size_t i = 0; i < setting.values.size(); ++i)
            m_settings->setItem(row, static_cast<int>(i) + 1,
                                cell(setting.values[i] ? QString::fromStdString(setting.values[i]->text) : tr("(absent)")));
    }
    m_settings->resizeColumnsToContents();

    // Network: each run against the baseline.
    QString text;
    const int b = std::max(m_baseline->currentIndex(), 0);
    for (std::size_t i = 0; i < m_runs.size(); ++i) {
        if (static_cast<int>(i) == b || m_runs.empty()) continue;
        const Shown& base = m_runs[static_cast<std::size_t>(b)];
        text += tr("%1 against %2:\n").arg(m_runs[i].series.label, base.series.label);
        try {
            const std::vector<std::string> diff = storage::networkDiff(
                base.details.projectJson, m_runs[i].details.projectJson, m_storePath + ": runs " +
                std::to_string(base.details.id) + " and " + std::to_string(m_runs[i].details.id) + " projects");
            if (diff.empty()) text += tr("  the same network\n");
            for (const std::string& line : diff) text += QStringLiteral("  %1\n").arg(QString::fromStdString(line));
        } catch (...) {
            text += tr("  cannot compare: %1\n").arg(currentFailure().message);
        }
    }
    if (m_runs.size() == 1) text = tr("Select two or more runs to compare their networks.");
    m_network->setPlainText(text);
}

QString RunsView::networkText() const { return m_network->toPlainText(); }

QString RunsView::curvesCsv() const {
    QString out = QStringLiteral("run,metric,epoch,value\n");
    auto put = [&out](const QString& run, const char* metric, const std::vector<double>& x, const std::vector<double>& y) {
        for (std::size_t i = 0; i < x.size() && i < y.size(); ++i)
            if (!std::isnan(y[i]))
                out += plot::csvField(run) + QLatin1Char(',') + QLatin1String(metric) + QLatin1Char(',') +
                       QString::number(x[i], 'g', 10) + QLatin1Char(',') + QString::number(y[i], 'g', 10) + QLatin1Char('\n');
    };
    for (const Shown& s : m_runs) {
        const RunSeries& r = s.series;
        put(r.label, "step_loss", r.stepX, r.stepLoss);
        put(r.label, "learning_rate", r.stepX, r.stepLr);
        put(r.label, "train_loss", r.epochX, r.trainLoss);
        put(r.label, "val_loss", r.epochX, r.valLoss);
        put(r.label, "train_accuracy", r.epochX, r.trainAcc);
        put(r.label, "val_accuracy", r.epochX, r.valAcc);
    }
    return out;
}

QStringList RunsView::exportImages(const QString& dir, QString* error) {
    QStringList written;
    auto save = [&](plot::PlotFrame* p, const QString& name) {
        const QString path = QDir(dir).filePath(name);
        if (p->exportPng(path, error, 1000, 650)) written << path;
    };
    save(m_loss, QStringLiteral("loss.png"));
    save(m_accuracy, QStringLiteral("accuracy.png"));
    if (m_evalStale) buildEvaluationStrip();
    // run-12-roc.png, run-12-confusion.png, run-12-evaluation-map.png, ...
    for (plot::PlotFrame* p : m_evalStrip->findChildren<plot::PlotFrame*>()) {
        const QString run = p->parentWidget() ? p->parentWidget()->objectName() : QString();
        QString name = p->objectName();
        if (name.startsWith(QLatin1String("evaluation-"))) name = name.mid(11);
        if (name.isEmpty()) name = QStringLiteral("decision-map");
        save(p, QStringLiteral("%1-%2.png").arg(run, name));
    }
    return written;
}

void RunsView::exportCsvWithDialog() {
    const QString path = QFileDialog::getSaveFileName(this, tr("Export curves"), QStringLiteral("runs.csv"), tr("CSV files (*.csv)"));
    if (path.isEmpty()) return;
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(curvesCsv().toUtf8()) < 0)
        QMessageBox::warning(this, tr("Export failed"), tr("Could not write %1: %2").arg(path, f.errorString()));
}

void RunsView::exportImagesWithDialog() {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Export images into"));
    if (dir.isEmpty()) return;
    QString error;
    const QStringList files = exportImages(dir, &error);
    if (!error.isEmpty()) QMessageBox::warning(this, tr("Export failed"), error);
    else QMessageBox::information(this, tr("Exported"), tr("%n image(s) written to %1", nullptr, static_cast<int>(files.size())).arg(dir));
}

}  // namespace neurite
