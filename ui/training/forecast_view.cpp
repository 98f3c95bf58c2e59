#include "forecast_view.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

#include <cmath>

#include "curve_plot.h"

namespace neurite {

ForecastView::ForecastView(QWidget* parent) : QWidget(parent) {
    m_title = new QLabel(this);
    m_title->setWordWrap(true);
    m_column = new QComboBox(this);
    m_column->setToolTip(tr("Which forecast to draw: the step ahead and, for several targets, the target"));
    m_plot = new plot::CurvePlot(this);
    m_plot->setAxisLabels(tr("window of the validation span, in time order"), tr("value"));
    auto* top = new QHBoxLayout;
    top->addWidget(m_title, 1);
    top->addWidget(m_column);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_plot, 1);
    connect(m_column, &QComboBox::currentIndexChanged, this, [this] { redraw(); });
    clear();
}

QString ForecastView::titleText() const { return m_title->text(); }
int ForecastView::points() const { return m_plot->seriesCount() > 0 ? m_plot->pointCount(0) : 0; }

void ForecastView::setTargets(const QStringList& columns) {
    const QSignalBlocker block(m_column);
    m_column->clear();
    m_column->addItems(columns);
    m_column->setVisible(m_column->count() > 1);
}

void ForecastView::clear() {
    m_forecast = {};
    m_epoch = 0;
    m_restored = false;
    m_plot->clear();
    m_title->setText(tr("The model's forecasts of the validation span appear after the first epoch."));
}

void ForecastView::setForecast(int epoch, const Forecast& forecast, bool restored) {
    m_forecast = forecast;
    m_epoch = epoch;
    m_restored = restored;
    redraw();
}

void ForecastView::redraw() {
    m_plot->clear();
    const Forecast& f = m_forecast;
    if (f.count == 0 || f.columns == 0) return;
    if (m_column->count() != f.columns) {  // unnamed columns: numbered
        QStringList names;
        for (int64_t c = 0; c < f.columns; ++c) names << tr("target %1").arg(c + 1);
        setTargets(names);
    }
    const int64_t column = std::clamp<int64_t>(m_column->currentIndex(), 0, f.columns - 1);
    std::vector<double> x, actual, predicted;
    double se = 0;
    for (int64_t i = 0; i < f.count; ++i) {
        const auto at = static_cast<std::size_t>(i * f.columns + column);
        x.push_back(static_cast<double>(i + 1));
        actual.push_back(f.actual[at]);
        predicted.push_back(f.predicted[at]);
        se += (actual.back() - predicted.back()) * (actual.back() - predicted.back());
    }
    const int a = m_plot->addSeries(tr("actual"), {QColor(), false, false});
    const int p = m_plot->addSeries(tr("forecast"), {QColor(), true, false});
    m_plot->appendPoints(a, x, actual);
    m_plot->appendPoints(p, x, predicted);
    m_plot->resetView();
    const QString when = m_restored ? tr("with the final model (epoch %1's weights, restored as the best)").arg(m_epoch)
                                    : tr("after epoch %1").arg(m_epoch);
    m_title->setText(tr("The %1 span %2: %3 windows, RMSE %4 (the target's units)")
                         .arg(QString::fromStdString(f.split), when)
                         .arg(f.count)
                         .arg(std::sqrt(se / static_cast<double>(f.count)), 0, 'g', 4));
}

}  // namespace neurite
