#include "experiment_results.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QMessageBox>
#include <QPushButton>
#include <QLabel>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

#include "band_plot.h"
#include "experiment/importance.h"
#include "experiment_fields.h"
#include "experiment_store.h"
#include "failure.h"
#include "importance_plot.h"
#include "parallel_coordinates_plot.h"
#include "pareto_plot.h"
#include "trial_confusions.h"
#include "trial_records.h"
#include "trial_scatter_plot.h"
#include "trials_table_model.h"

namespace neurite {

namespace {

using plot::TrialPoint;
using plot::TrialScatterPlot;

constexpr int kStatusRole = Qt::UserRole + 1;

}  // namespace

ExperimentResults::ExperimentResults(QWidget* parent) : QWidget(parent) {
    m_experiments = new QComboBox(this);
    m_experiments->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_experiments->setMinimumContentsLength(30);
    m_experiments->setPlaceholderText(tr("No experiments in the run store yet"));
    connect(m_experiments, &QComboBox::activated, this, &ExperimentResults::picked);
    m_summary = new QLabel(this);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_model = new TrialsTableModel(this);
    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(Qt::UserRole);
    m_table = new QTableView(this);
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(TrialsTableModel::Trial, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setToolTip(tr("Double-click a trial to see its runs in the Runs tab"));
    connect(m_table, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
        const TrialRow* row = m_model->rowAt(m_proxy->mapToSource(index).row());
        if (row && !row->runIds.empty()) emit runRequested(row->runIds.front());
    });

    m_history = new TrialScatterPlot(this);
    m_history->setEmptyText(tr("No trial has an objective yet"));
    m_scatter = new TrialScatterPlot(this);
    m_parameter = new QComboBox(this);
    connect(m_parameter, &QComboBox::currentIndexChanged, this, &ExperimentResults::refreshScatter);
    // A plot under a row of a label and the combo box that picks what it shows.
    const auto underChoice = [this](const QString& label, QComboBox* choice, QWidget* plot) {
        auto* box = new QWidget(this);
        auto* layout = new QVBoxLayout(box);
        layout->setContentsMargins(0, 0, 0, 0);
        auto* row = new QHBoxLayout;
        row->addWidget(new QLabel(label, box));
        row->addWidget(choice, 1);
        layout->addLayout(row);
        layout->addWidget(plot, 1);
        return box;
    };
    QWidget* scatterBox = underChoice(tr("Objective against"), m_parameter, m_scatter);
    auto* historyBox = new QWidget(this);
    auto* historyLayout = new QVBoxLayout(historyBox);
    historyLayout->setContentsMargins(0, 0, 0, 0);
    auto* historyTitle = new QLabel(tr("Optimization history"), historyBox);
    historyTitle->setMinimumHeight(m_parameter->sizeHint().height());  // level with the combo opposite
    historyLayout->addWidget(historyTitle);
    historyLayout->addWidget(m_history, 1);
    auto* plots = new QSplitter(Qt::Horizontal, this);
    plots->addWidget(historyBox);
    plots->addWidget(scatterBox);

    // The other views, one tab each: what matters (parallel coordinates, importance), what it
    // costs (the Pareto front) and how the trials learned (mean +- std over repeats and folds).
    m_parallel = new plot::ParallelCoordinatesPlot(this);
    connect(m_parallel, &plot::ParallelCoordinatesPlot::selectionChanged, this, [this](const QVector<int>& trials) {
        if (trials.size() == 1) selectTrial(trials.front());
    });
    m_importance = new plot::ImportancePlot(this);
    m_pareto = new plot::ParetoPlot(this);
    connect(m_pareto, &plot::ParetoPlot::trialClicked, this, &ExperimentResults::selectTrial);
    m_cost = new QComboBox(this);
    m_cost->addItem(tr("parameters"), QStringLiteral("parameters"));
    m_cost->addItem(tr("FLOPs per sample"), QStringLiteral("flops"));
    m_cost->addItem(tr("seconds"), QStringLiteral("seconds"));
    connect(m_cost, &QComboBox::currentIndexChanged, this, &ExperimentResults::refreshPareto);
    QWidget* paretoBox = underChoice(tr("Objective against the cost"), m_cost, m_pareto);
    m_bands = new plot::BandPlot(this);
    m_views = new QTabWidget(this);
    m_views->setDocumentMode(true);
    m_views->addTab(plots, tr("History"));
    m_views->addTab(m_parallel, tr("Parallel coordinates"));
    m_views->addTab(m_importance, tr("Importance"));
    m_views->addTab(paretoBox, tr("Trade-off"));
    m_views->addTab(m_bands, tr("Curves"));
    m_confusions = new TrialConfusions(this);
    m_views->addTab(m_confusions, tr("Confusion"));
    connect(m_views, &QTabWidget::currentChanged, this, &ExperimentResults::refreshConfusions);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &ExperimentResults::refreshConfusions);

    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_table);
    split->addWidget(m_views);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    split->setSizes({200, 300});
    m_delete = new QPushButton(tr("Delete..."), this);
    m_delete->setToolTip(tr("Delete the experiment shown, with or without its runs"));
    connect(m_delete, &QPushButton::clicked, this, &ExperimentResults::askDelete);
    auto* top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Experiment"), this));
    top->addWidget(m_experiments, 1);
    top->addWidget(m_delete);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(m_summary);
    layout->addWidget(split, 1);
    refreshPlots();
}

void ExperimentResults::setStore(storage::RunStore* store) {
    m_store = store;
    m_shown = 0;
    m_model->setDefinition(nullptr);
    reloadList();
}

QString ExperimentResults::shownStatus() const {
    const int i = m_experiments->findData(m_shown);
    return i >= 0 ? m_experiments->itemData(i, kStatusRole).toString() : QString();
}

void ExperimentResults::askDelete() {
    const qint64 id = m_shown;
    if (id <= 0) return;
    QString name;
    if (m_store) {
        try {
            if (const auto record = storage::ExperimentStore(*m_store).experiment(id)) name = QString::fromStdString(record->name);
        } catch (...) {  // the store's failure shows when the delete is tried
        }
    }
    QMessageBox box(QMessageBox::Question, tr("Delete experiment"),
                    name.isEmpty() ? tr("Delete experiment #%1?").arg(id) : tr("Delete experiment #%1, \"%2\"?").arg(id).arg(name),
                    QMessageBox::Cancel, this);
    box.setInformativeText(tr("Its trials go. Its runs can stay in the Runs tab as ordinary runs, or be "
                              "deleted with it, checkpoints included."));
    QPushButton* keep = box.addButton(tr("Delete, Keep Runs"), QMessageBox::AcceptRole);
    QPushButton* all = box.addButton(tr("Delete With Runs"), QMessageBox::DestructiveRole);
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    if (box.clickedButton() == keep) deleteExperiment(id, false);
    else if (box.clickedButton() == all) deleteExperiment(id, true);
}

bool ExperimentResults::deleteExperiment(qint64 id, bool withRuns) {
    if (!m_store) return false;
    try {
        storage::ExperimentStore(*m_store).remove(id, withRuns);
    } catch (...) {
        showFailure(currentFailure(), m_summary, this, tr("Cannot delete experiment %1").arg(id));
        return false;
    }
    if (m_shown == id) showExperiment(0);
    reloadList();
    emit experimentDeleted(id, withRuns);
    return true;
}

void ExperimentResults::reloadList() {
    std::vector<storage::ExperimentRecord> all;
    if (m_store) {
        try {
            all = storage::ExperimentStore(*m_store).list();
        } catch (...) {
            showFailure(currentFailure(), m_summary, this, tr("Could not read the experiments"));
            return;
        }
    }
    {
        const QSignalBlocker block(m_experiments);
        m_experiments->clear();
        for (auto it = all.rbegin(); it != all.rend(); ++it) {  // newest first
            m_experiments->addItem(tr("#%1 %2 (%3, %4 of %5 trials)")
                                       .arg(it->id)
                                       .arg(QString::fromStdString(it->name), QString::fromStdString(it->status))
                                       .arg(it->trialsDone)
                                       .arg(it->plannedTrials),
                                   QVariant::fromValue<qint64>(it->id));
            m_experiments->setItemData(m_experiments->count() - 1, QString::fromStdString(it->status), kStatusRole);
        }
        m_experiments->setCurrentIndex(m_experiments->findData(m_shown));
    }
    if (m_shown == 0 && !all.empty()) showExperiment(all.back().id);
    else if (m_shown != 0 && m_experiments->currentIndex() < 0) showExperiment(0);  // deleted meanwhile
    updateSummary();
    m_delete->setEnabled(m_shown > 0 && shownStatus() != QLatin1String("running"));
}

void ExperimentResults::picked() {
    const qint64 id = m_experiments->currentData().toLongLong();
    showExperiment(id);
    emit experimentPicked(id);
}

void ExperimentResults::showExperiment(qint64 id) {
    m_shown = id;
    {
        const QSignalBlocker block(m_experiments);
        m_experiments->setCurrentIndex(m_experiments->findData(id));
    }
    clearFailure(m_summary);
    std::shared_ptr<const ExperimentDefinition> def;
    std::vector<TrialRow> rows;
    if (id > 0 && m_store) {
        try {
            storage::ExperimentStore experiments(*m_store);
            const storage::ExperimentRecord record = experiments.require(id);
            def = std::make_shared<const ExperimentDefinition>(
                parseExperiment(record.definitionJson, "experiment " + std::to_string(id) + " (as stored)", ""));
            const std::vector<storage::TrialRecord> stored = experiments.trials(id);
            const std::vector<TrialResult> results = storedResults(*def, stored);
            for (std::size_t i = 0; i < stored.size(); ++i)
                rows.push_back({results[i], std::vector<qint64>(stored[i].runIds.begin(), stored[i].runIds.end()), {}});
        } catch (...) {
            def.reset();
            rows.clear();
            showFailure(currentFailure(), m_summary, this, tr("Cannot show experiment %1").arg(id));
        }
    }
    m_model->setDefinition(def);
    m_model->setTrials(std::move(rows));
    m_table->resizeColumnsToContents();
    {
        const QSignalBlocker block(m_parameter);
        const QString before = m_parameter->currentData().toString();
        m_parameter->clear();
        if (def)
            for (const SearchParam& p : def->space) {
                const QString path = QString::fromStdString(p.path);
                m_parameter->addItem(shortFieldName(path), path);
                m_parameter->setItemData(m_parameter->count() - 1, path, Qt::ToolTipRole);
            }
        m_parameter->setCurrentIndex(std::max(0, m_parameter->findData(before)));
    }
    refreshPlots();
    if (m_summary->text().isEmpty() || def) updateSummary();
    m_delete->setEnabled(m_shown > 0 && shownStatus() != QLatin1String("running"));
}

void ExperimentResults::applyEvents(const std::vector<TrialEvent>& events) {
    if (!m_model->definition()) return;
    for (const TrialEvent& e : events) m_model->apply(e);
    // Widths follow new rows and results, not every epoch's progress (the status column is last
    // and stretches).
    if (std::any_of(events.begin(), events.end(), [](const TrialEvent& e) { return e.kind != TrialEvent::Kind::Progress; }))
        m_table->resizeColumnsToContents();
    const bool finished = std::any_of(events.begin(), events.end(),
                                      [](const TrialEvent& e) { return e.kind == TrialEvent::Kind::Finished; });
    if (finished && m_store) {  // the finished trials' runs, from the store (the events do not carry them)
        try {
            for (const storage::TrialRecord& t : storage::ExperimentStore(*m_store).trials(m_shown))
                if (const TrialRow* row = m_model->rowAt(m_model->rowOf(t.number)); row && row->runIds.empty())
                    m_model->setRunIds(t.number, std::vector<qint64>(t.runIds.begin(), t.runIds.end()));
        } catch (...) {
            showFailure(currentFailure(), m_summary, this, tr("Could not read the trials' runs"));
        }
    }
    if (finished) {
        refreshPlots();
        updateSummary();
    }
}

void ExperimentResults::updateSummary() {
    const ExperimentDefinition* def = m_model->definition();
    if (!def) {
        if (m_shown == 0) m_summary->setText(m_store ? tr("Run an experiment, or pick a stored one above.")
                                                     : tr("No run store is open."));
        return;
    }
    int done = 0;
    for (const TrialResult& t : m_model->results()) done += t.status != "running" && t.status != "stopped";
    QString text = tr("%1, %2 of %3 trials done, objective %4 (%5).")
                       .arg(shownStatus().isEmpty() ? tr("running") : shownStatus())
                       .arg(done)
                       .arg(plannedTrialCount(*def))
                       .arg(QString::fromStdString(def->objective), def->maximize ? tr("maximize") : tr("minimize"));
    const int row = m_model->rowOf(m_model->bestNumber());
    if (const TrialRow* best = m_model->rowAt(row)) {
        text += tr(" Best: trial %1, %2").arg(best->result.number).arg(*best->result.objective, 0, 'g', 4);
        if (!def->space.empty())
            text += QStringLiteral(" (%1)").arg(QString::fromStdString(describeValues(*def, best->result.values)));
        text += '.';
    }
    clearFailure(m_summary);
    m_summary->setText(text);
}

void ExperimentResults::refreshPlots() {
    const ExperimentDefinition* def = m_model->definition();
    const QString objective = def ? QString::fromStdString(def->objective) : tr("objective");
    m_history->setAxisLabels(tr("trial"), objective);
    std::vector<TrialPoint> points;
    std::vector<double> bestX, bestY;
    std::optional<double> best;
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const TrialResult& t = m_model->rowAt(row)->result;  // rows are in trial order
        if (!t.objective || !std::isfinite(*t.objective)) continue;
        const bool completed = t.status == "completed";
        points.push_back({static_cast<double>(t.number), *t.objective, t.number, completed});
        if (completed && (!best || (def && def->maximize ? *t.objective > *best : *t.objective < *best)))
            best = *t.objective;
        if (best) {
            bestX.push_back(t.number);
            bestY.push_back(*best);
        }
    }
    m_history->setPoints(points);
    m_history->setBestLine(bestX, bestY);
    refreshScatter();
    refreshViews();
}

void ExperimentResults::selectTrial(int number) {
    const int row = m_model->rowOf(number);
    if (row < 0) return;
    const QModelIndex index = m_proxy->mapFromSource(m_model->index(row, 0));
    m_table->selectRow(index.row());
    m_table->scrollTo(index);
}

void ExperimentResults::refreshViews() {
    const ExperimentDefinition* def = m_model->definition();
    std::vector<const TrialResult*> scored;  // trials with a finite objective, in trial order
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const TrialResult& t = m_model->rowAt(row)->result;
        if (t.objective && std::isfinite(*t.objective) && def && t.values.size() == def->space.size())
            scored.push_back(&t);
    }
    const QString objective = def ? QString::fromStdString(def->objective) : tr("objective");

    // Parallel coordinates: one axis per parameter, then the objective.
    QVector<plot::PcAxis> axes;
    QVector<double> objectives;
    QVector<int> numbers;
    for (const TrialResult* t : scored) {
        objectives << *t->objective;
        numbers << t->number;
    }
    if (def)
        for (std::size_t i = 0; i < def->space.size(); ++i) {
            const SearchParam& p = def->space[i];
            plot::PcAxis axis;
            axis.name = shortFieldName(QString::fromStdString(p.path));
            const bool numeric = p.kind != SearchParam::Kind::Choice ||
                                 std::all_of(p.values.begin(), p.values.end(), [](const auto& v) { return v.is_number(); });
            if (!numeric)
                for (const auto& v : p.values) axis.categories << valueListText({v});
            axis.log = p.kind == SearchParam::Kind::LogUniform;
            if (p.kind == SearchParam::Kind::Choice && numeric && !p.values.empty()) {
                double lo = p.values.front().get<double>(), hi = lo;
                for (const auto& v : p.values) {
                    lo = std::min(lo, v.get<double>());
                    hi = std::max(hi, v.get<double>());
                }
                axis.log = lo > 0 && hi / lo >= 100;
            }
            for (const TrialResult* t : scored) {
                const nlohmann::json& v = t->values[i];
                if (!numeric) {
                    const auto it = std::find(p.values.begin(), p.values.end(), v);
                    axis.values << (it == p.values.end() ? std::nan("") : double(it - p.values.begin()));
                } else {
                    axis.values << (v.is_number() ? v.get<double>() : std::nan(""));
                }
            }
            axes << axis;
        }
    m_parallel->setData(axes, objectives, objective, def && def->maximize, numbers);

    // Importance over the completed trials (experiment/importance.h).
    QStringList names;
    QVector<double> shares;
    std::size_t used = 0;
    if (def)
        for (const ParamImportance& p : trialImportance(*def, m_model->results(), &used)) {
            names << shortFieldName(QString::fromStdString(p.path));
            shares << p.importance;
        }
    m_importance->setData(names, shares, tr("first-order variance share (eta²)"), static_cast<int>(used));

    refreshPareto();
    refreshConfusions();

    // Curves: the five best completed trials, mean +- std over their trainings.
    m_bands->clear();
    m_bands->setAxisLabels(tr("epoch"), objective);
    std::vector<const TrialResult*> best;
    for (const TrialResult* t : scored)
        if (t->status == "completed" && !t->curves.empty()) best.push_back(t);
    std::stable_sort(best.begin(), best.end(), [def](const TrialResult* a, const TrialResult* b) {
        return def->maximize ? *a->objective > *b->objective : *a->objective < *b->objective;
    });
    if (best.size() > 5) best.resize(5);
    for (const TrialResult* t : best) {
        QVector<QVector<double>> curves;
        for (const auto& c : t->curves) curves << QVector<double>(c.begin(), c.end());
        m_bands->addSeries(tr("trial %1").arg(t->number), curves);
    }
}

void ExperimentResults::refreshConfusions() {
    if (m_views->currentWidget() != m_confusions) return;
    const ExperimentDefinition* def = m_model->definition();
    if (!def || !m_store) {
        m_confusions->clear(tr("Pick an experiment to compare its trials' confusion matrices."));
        return;
    }
    std::vector<int> rows;  // model rows, in the table's order
    for (const QModelIndex& index : m_table->selectionModel()->selectedRows())
        rows.push_back(m_proxy->mapToSource(index).row());
    std::sort(rows.begin(), rows.end(), [this](int a, int b) {
        return m_proxy->mapFromSource(m_model->index(a, 0)).row() < m_proxy->mapFromSource(m_model->index(b, 0)).row();
    });
    const bool chosen = !rows.empty();
    if (!chosen) {  // the best three completed trials
        for (int row = 0; row < m_model->rowCount(); ++row) {
            const TrialResult& t = m_model->rowAt(row)->result;
            if (t.status == "completed" && t.objective && std::isfinite(*t.objective)) rows.push_back(row);
        }
        std::stable_sort(rows.begin(), rows.end(), [this, def](int a, int b) {
            const double x = *m_model->rowAt(a)->result.objective, y = *m_model->rowAt(b)->result.objective;
            return def->maximize ? x > y : x < y;
        });
        if (rows.size() > 3) rows.resize(3);
    }
    std::vector<TrialConfusions::Trial> trials;
    for (const int row : rows) {
        const TrialRow* r = m_model->rowAt(row);
        if (!r) continue;
        TrialConfusions::Trial t;
        t.number = r->result.number;
        t.runIds = r->runIds;
        t.caption = r->result.objective
                        ? tr("%1 %2 (%3)").arg(QString::fromStdString(def->objective))
                              .arg(*r->result.objective, 0, 'g', 4)
                              .arg(QString::fromStdString(r->result.status))
                        : tr("(%1)").arg(QString::fromStdString(r->result.status));
        trials.push_back(std::move(t));
    }
    m_confusions->showTrials(m_store, trials, def->objective.rfind("test_", 0) == 0, chosen);
}

void ExperimentResults::refreshPareto() {
    const ExperimentDefinition* def = m_model->definition();
    const QString cost = m_cost->currentData().toString();
    QVector<plot::ParetoTrial> trials;
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const TrialResult& t = m_model->rowAt(row)->result;
        if (!t.objective || !std::isfinite(*t.objective)) continue;
        const double x = cost == "parameters" ? static_cast<double>(t.parameters)
                         : cost == "flops"    ? t.flopsPerSample
                                              : t.seconds;
        if (!(x > 0)) continue;  // not measured (a trial that failed before its model existed)
        const plot::TrialMark mark = t.status == "completed"    ? plot::TrialMark::Completed
                                     : t.status == "infeasible" ? plot::TrialMark::Infeasible
                                                                : plot::TrialMark::Pruned;
        if (t.status != "completed" && t.status != "infeasible" && t.status != "pruned") continue;
        trials << plot::ParetoTrial{t.number, x, *t.objective, mark};
    }
    m_pareto->setData(trials, m_cost->currentText(), true, cost != "seconds",
                      def ? QString::fromStdString(def->objective) : tr("objective"), def && def->maximize);
}

void ExperimentResults::refreshScatter() {
    const ExperimentDefinition* def = m_model->definition();
    const int p = m_parameter->currentIndex();
    if (!def || p < 0 || static_cast<std::size_t>(p) >= def->space.size()) {
        m_scatter->setEmptyText(def && def->space.empty() ? tr("This experiment varies no parameter")
                                                           : tr("No trial has an objective yet"));
        m_scatter->setAxisLabels(tr("parameter"), def ? QString::fromStdString(def->objective) : tr("objective"));
        m_scatter->setPoints({});
        return;
    }
    const SearchParam& param = def->space[static_cast<std::size_t>(p)];
    using Scale = TrialScatterPlot::XScale;
    Scale scale = param.kind == SearchParam::Kind::LogUniform ? Scale::Log : Scale::Linear;
    QStringList categories;
    if (param.kind == SearchParam::Kind::Choice) {
        const bool numeric = std::all_of(param.values.begin(), param.values.end(),
                                         [](const nlohmann::json& v) { return v.is_number(); });
        if (numeric && !param.values.empty()) {
            double lo = param.values.front().get<double>(), hi = lo;
            for (const auto& v : param.values) {
                lo = std::min(lo, v.get<double>());
                hi = std::max(hi, v.get<double>());
            }
            if (lo > 0 && hi / lo >= 100) scale = Scale::Log;  // 1e-4, 1e-3, 1e-2 spread evenly
        } else {
            scale = Scale::Categories;
            for (const auto& v : param.values) categories << valueListText({v});
        }
    }
    std::vector<TrialPoint> points;
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const TrialResult& t = m_model->rowAt(row)->result;
        if (!t.objective || static_cast<std::size_t>(p) >= t.values.size()) continue;
        const nlohmann::json& v = t.values[static_cast<std::size_t>(p)];
        double x = 0;
        if (scale == Scale::Categories) {
            const auto it = std::find(param.values.begin(), param.values.end(), v);
            if (it == param.values.end()) continue;
            x = static_cast<double>(it - param.values.begin());
        } else if (v.is_number()) {
            x = v.get<double>();
        } else {
            continue;
        }
        points.push_back({x, *t.objective, t.number, t.status == "completed"});
    }
    m_scatter->setAxisLabels(QString::fromStdString(param.path), QString::fromStdString(def->objective));
    m_scatter->setEmptyText(tr("No trial has an objective yet"));
    m_scatter->setPoints(points, scale, categories);
}

}  // namespace neurite
