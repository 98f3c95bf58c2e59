#include "variants_dialog.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

#include "background_task.h"
#include "core/error.h"
#include "deploy/run_export.h"
#include "export/variants.h"
#include "failure.h"
#include "run_model.h"
#include "run_store.h"
#include "variants.h"
#include "variants_plot.h"
#include "window_geometry.h"

namespace neurite {

namespace {

struct Row {
    storage::RunVariant run;
    VariantMeasures m;
};

}  // namespace

VariantsDialog::VariantsDialog(const QString& storePath, int64_t runId, QWidget* parent)
    : QDialog(parent), m_storePath(storePath), m_runId(runId), m_task(new BackgroundTask(this)) {
    setWindowTitle(tr("Variants of run %1").arg(runId));
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_table = new QTableWidget(0, 12, this);
    m_table->setObjectName("variantsTable");
    m_table->setHorizontalHeaderLabels({tr("Run"), tr("Variant"), tr("Model"), tr("File"), tr("Parameters"),
                                        tr("Non-zero"), tr("MFLOPs"), tr("p50 ms"), tr("p99 ms"), tr("Samples/s"),
                                        tr("Metric"), tr("Settings")});
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_plot = new plot::VariantsPlot(this);
    m_plot->setMinimumHeight(200);
    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_table);
    split->addWidget(m_plot);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    m_export = new QPushButton(tr("Export..."), this);
    m_export->setEnabled(false);
    m_export->setToolTip(tr("Export the selected variant's run (native or int8, ONNX or ONNX int8)."));
    m_stop = new QPushButton(tr("Stop"), this);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(m_export, QDialogButtonBox::ActionRole);
    buttons->addButton(m_stop, QDialogButtonBox::ActionRole);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_status);
    layout->addWidget(split, 1);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_stop, &QPushButton::clicked, m_task, &BackgroundTask::cancel);
    connect(m_export, &QPushButton::clicked, this, &VariantsDialog::exportSelected);
    connect(m_table, &QTableWidget::itemSelectionChanged, this,
            [this] { m_export->setEnabled(!busy() && !m_table->selectedItems().isEmpty()); });
    connect(m_task, &BackgroundTask::stageChanged, m_status, &QLabel::setText);
    // 1100 x 620 where the screen has room; a 1280 x 720 laptop gets what fits, title bar included.
    restoreFittingGeometry(this, {}, QSize(1100, 620));
    start();
}

VariantsDialog::~VariantsDialog() { m_task->cancel(); }

bool VariantsDialog::busy() const { return m_task->busy(); }

void VariantsDialog::start() {
    auto rows = std::make_shared<std::vector<Row>>();
    auto notes = std::make_shared<std::vector<std::string>>();
    const std::string db = m_storePath.toStdString();
    const int64_t id = m_runId;
    m_status->setText(tr("Finding the variants of run %1...").arg(id));
    m_task->start(
        [rows, notes, db, id](const StopToken& stop, const BackgroundTask::Stage& stage) {
            storage::RunStore store(db, storage::RunStore::Mode::ReadOnly);
            const std::vector<storage::RunVariant> variants = storage::runVariants(store, id);
            for (std::size_t k = 0; k < variants.size(); ++k) {
                const storage::RunVariant& v = variants[k];
                stage("Loading run " + std::to_string(v.id) + " (" + std::to_string(k + 1) + " of " +
                      std::to_string(variants.size()) + ")...");
                RunSetup setup = storage::loadRunModelFinalElseBest(store, v.id);
                const ExportSource source = exportSourceOf(setup);
                for (bool int8 : {false, true}) {
                    if (stop.stopRequested()) throw Error(ErrorKind::Cancelled, "stopped");
                    stage("Measuring run " + std::to_string(v.id) + (int8 ? " as int8" : " as float") + " (" +
                          std::to_string(k + 1) + " of " + std::to_string(variants.size()) + ")...");
                    VariantOptions o;
                    o.seed = setup.project.training.seed;
                    o.progress = [&stop](double) { return !stop.stopRequested(); };
                    try {
                        rows->push_back({v, measureVariant(source, setup.data, int8, o)});
                    } catch (const Error& e) {
                        // A model the int8 runtime cannot run (an LSTM) keeps its float row.
                        if (!int8 || (e.kind() != ErrorKind::Unsupported && e.kind() != ErrorKind::BadInput)) throw;
                        notes->push_back("run " + std::to_string(v.id) + ", int8: " + e.what());
                    }
                }
            }
        },
        [this, rows, notes](const std::optional<Failure>& failure) {
            m_stop->setEnabled(false);
            QVector<plot::VariantsPlot::Point> points;
            QString metric = QStringLiteral("accuracy");
            m_table->setRowCount(static_cast<int>(rows->size()));
            m_rowRuns.clear();
            const QLocale locale;
            for (std::size_t r = 0; r < rows->size(); ++r) {
                const Row& row = (*rows)[r];
                const VariantMeasures& m = row.m;
                metric = QString::fromStdString(m.metric);
                const QStringList cells{
                    QString::number(row.run.id),
                    QString::fromStdString(row.run.relation),
                    m.int8 ? tr("int8") : tr("float"),
                    locale.formattedDataSize(m.fileBytes),
                    locale.toString(static_cast<qlonglong>(m.parameters)),
                    locale.toString(static_cast<qlonglong>(m.nonzero)),
                    QString::number(m.flopsPerSample / 1e6, 'f', 3),
                    QString::number(m.p50Ms, 'f', 4),
                    QString::number(m.p99Ms, 'f', 4),
                    locale.toString(m.samplesPerSec, 'f', 0),
                    QStringLiteral("%1 %2").arg(QString::fromStdString(m.metric)).arg(m.value, 0, 'f', 4),
                    QString::fromStdString(row.run.settings)};
                for (int c = 0; c < cells.size(); ++c) {
                    auto* item = new QTableWidgetItem(cells[c]);
                    if (c >= 3 && c <= 10) item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
                    m_table->setItem(static_cast<int>(r), c, item);
                }
                m_rowRuns.push_back(row.run.id);
                points.push_back({tr("run %1").arg(row.run.id), m.int8, m.p50Ms, m.value});
            }
            m_plot->setPoints(points, metric);
            if (failure && failure->kind == ErrorKind::Cancelled)
                m_status->setText(tr("Stopped; %n model(s) measured.", nullptr, static_cast<int>(rows->size())));
            else if (failure)
                showFailure(*failure, m_status, this, tr("Measuring the variants failed"));
            else {
                QString text = tr("Run %1 and its variants, each as a float and an int8 model; the metric is on the "
                                  "test split (else validation). Select one to export it.")
                                   .arg(m_runId);
                for (const std::string& n : *notes) text += QLatin1Char('\n') + tr("Not measured: %1").arg(QString::fromStdString(n));
                m_status->setText(text);
            }
            emit measured();
        });
}

void VariantsDialog::exportSelected() {
    const QList<QTableWidgetItem*> items = m_table->selectedItems();
    if (items.isEmpty()) return;
    const int row = items.front()->row();
    if (row < 0 || row >= static_cast<int>(m_rowRuns.size())) return;
    exportRunModel(this, m_storePath, m_rowRuns[static_cast<std::size_t>(row)]);
}

}  // namespace neurite
