#include "data_view.h"

#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QScrollArea>
#include <QTableWidget>
#include <QVBoxLayout>

#include "curve_plot.h"

namespace neurite {

namespace {
constexpr int kPreviewColumns = 8;
constexpr int kPreviewPixels = 56;  // 28x28 Fashion-MNIST at 2x
}  // namespace

DataView::DataView(QWidget* parent) : QWidget(parent) {
    m_summary = new QLabel(this);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_classes = new QTableWidget(this);
    m_classes->setColumnCount(3);
    m_classes->setHorizontalHeaderLabels({tr("Class"), tr("Training samples"), tr("Share")});
    m_classes->verticalHeader()->hide();
    m_classes->horizontalHeader()->setStretchLastSection(true);
    m_classes->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_grid = new QWidget(this);
    m_gridLayout = new QGridLayout(m_grid);
    m_series = new plot::CurvePlot(this);
    m_series->setAxisLabels(tr("window, in time order"), tr("target"));
    m_series->setMinimumHeight(160);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(m_classes, 1);
    layout->addWidget(m_series, 2);
    // The samples scroll instead of widening the panel (the curves beside it keep their room).
    auto* scroll = new QScrollArea(this);
    scroll->setWidget(m_grid);
    scroll->setWidgetResizable(true);
    scroll->setMinimumWidth(120);
    layout->addWidget(scroll, 2);
    m_scroll = scroll;
    clear();
}

void DataView::clear() {
    m_summary->setText(tr("The data appears here once the run has loaded it."));
    m_classes->setRowCount(0);
    m_series->clear();
    m_series->hide();
    while (QLayoutItem* item = m_gridLayout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    m_previews = 0;
}

void DataView::showData(const RunPrepared& info) {
    clear();
    QString summary = tr("%1\nsamples of shape %2: %3 training, %4 validation, %5 test")
                          .arg(info.source, info.sampleShape)
                          .arg(info.trainCount)
                          .arg(info.validationCount)
                          .arg(info.testCount);
    if (info.vocabularySize > 0) {
        summary += tr("\nvocabulary: %1 ids fitted on the training split (0 padding, 1 out of vocabulary)")
                       .arg(info.vocabularySize);
        if (!info.unknownSplit.isEmpty())
            summary += tr("; %1% of the %2 split's tokens are out of vocabulary")
                           .arg(100.0 * info.unknownShare, 0, 'f', 1)
                           .arg(info.unknownSplit);
        if (!info.topTokens.isEmpty()) summary += tr("\nmost frequent: %1").arg(info.topTokens.join(QStringLiteral(" \u00b7 ")));
    }
    for (const QString& note : info.notes) {
        // the vocabulary's notes are in the lines above
        const bool shown = note.startsWith(QLatin1String("text: words")) || note.startsWith(QLatin1String("text: characters")) ||
                           (note.startsWith(QLatin1String("text: ")) && note.contains(QLatin1String("out of vocabulary")));
        if (!shown) summary += QStringLiteral("\n\u00b7 ") + note;
    }
    m_summary->setText(summary);
    // A forecast's series, each split in its colour, with the dropped windows as gaps.
    if (!info.seriesTrain.empty()) {
        const QString name = info.targetNames.isEmpty() ? tr("target") : info.targetNames.front();
        m_series->setAxisLabels(tr("window, in time order"), name);
        auto add = [this](const QString& label, const std::vector<double>& values, qint64 start) {
            if (values.empty()) return;
            std::vector<double> x(values.size());
            for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<double>(start) + static_cast<double>(i) + 1;
            m_series->appendPoints(m_series->addSeries(label), x, values);
        };
        add(tr("training"), info.seriesTrain, 0);
        add(tr("validation"), info.seriesValidation, info.seriesValidationStart);
        add(tr("test"), info.seriesTest, info.seriesTestStart);
        m_series->resetView();
        m_series->show();
    }
    qint64 total = 0;
    for (qint64 c : info.classCounts) total += c;
    m_classes->setRowCount(static_cast<int>(info.classCounts.size()));
    for (int k = 0; k < static_cast<int>(info.classCounts.size()); ++k) {
        const qint64 c = info.classCounts[static_cast<std::size_t>(k)];
        const QString name = k < info.classNames.size() ? info.classNames[k] : QString::number(k);
        m_classes->setItem(k, 0, new QTableWidgetItem(name));
        m_classes->setItem(k, 1, new QTableWidgetItem(QString::number(c)));
        m_classes->setItem(k, 2, new QTableWidgetItem(
                                     QStringLiteral("%1%").arg(total > 0 ? 100.0 * static_cast<double>(c) / static_cast<double>(total) : 0.0, 0, 'f', 1)));
    }
    m_classes->resizeColumnsToContents();
    m_classes->setVisible(!info.classCounts.empty());
    for (int i = 0; i < info.previews.size(); ++i) {
        auto* cell = new QLabel(m_grid);
        cell->setPixmap(QPixmap::fromImage(info.previews[i].scaled(kPreviewPixels, kPreviewPixels, Qt::KeepAspectRatio,
                                                                  Qt::FastTransformation)));
        cell->setToolTip(info.previewLabels.value(i));
        auto* caption = new QLabel(info.previewLabels.value(i), m_grid);
        caption->setAlignment(Qt::AlignHCenter);
        m_gridLayout->addWidget(cell, (i / kPreviewColumns) * 2, i % kPreviewColumns, Qt::AlignHCenter);
        m_gridLayout->addWidget(caption, (i / kPreviewColumns) * 2 + 1, i % kPreviewColumns);
        ++m_previews;
    }
    // Text data: the first training texts, each under its class.
    for (int i = 0; i < info.sampleTexts.size(); ++i) {
        QString text = info.sampleTexts[i].simplified();
        if (text.size() > 160) text = text.left(157) + QStringLiteral("...");
        auto* cell = new QLabel(QStringLiteral("<b>%1</b> %2").arg(info.sampleTextLabels.value(i).toHtmlEscaped(),
                                                                   text.toHtmlEscaped()),
                                m_grid);
        cell->setWordWrap(true);
        cell->setTextFormat(Qt::RichText);
        cell->setToolTip(info.sampleTexts[i]);
        m_gridLayout->addWidget(cell, i, 0, 1, kPreviewColumns);
        ++m_previews;
    }
    m_scroll->setVisible(m_previews > 0 || info.seriesTrain.empty());
}

QString DataView::summaryText() const { return m_summary->text(); }

}  // namespace neurite
