// ForecastView: for a time-series forecast, the validation windows' actual values and the model's
// forecasts after the newest epoch, as two curves over the windows in time order (the first
// step ahead of the first target; the step and the target can be chosen), with the RMSE.
#pragma once

#include <QWidget>

#include "train/forecast.h"

class QComboBox;
class QLabel;

namespace neurite {
namespace plot {
class CurvePlot;
}

class ForecastView : public QWidget {
    Q_OBJECT
public:
    explicit ForecastView(QWidget* parent = nullptr);
    // One name per forecast column ("SUNACTIVITY t+1"); empty: numbered.
    void setTargets(const QStringList& columns);
    // restored: the forecast of the best epoch's weights, which the run restored at its end.
    void setForecast(int epoch, const Forecast& forecast, bool restored = false);
    void clear();
    QString titleText() const;
    int points() const;  // windows drawn
    const plot::CurvePlot* plot() const { return m_plot; }

private:
    void redraw();

    QLabel* m_title;
    QComboBox* m_column;
    plot::CurvePlot* m_plot;
    Forecast m_forecast;
    int m_epoch = 0;
    bool m_restored = false;
};

}  // namespace neurite
