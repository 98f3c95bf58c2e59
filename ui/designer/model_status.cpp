// Status-bar text from the model's cost estimate.
#include "model_status.h"

#include <QLocale>

#include "graph_model.h"

namespace neurite {

ModelStatus::ModelStatus(GraphModel* model, QWidget* parent) : QLabel(parent), m_model(model) {
    connect(model, &GraphModel::analysisChanged, this, &ModelStatus::refresh);
    refresh();
}

QString ModelStatus::compact(double value) {
    const char* units[] = {" ", " k", " M", " G", " T"};
    int u = 0;
    while (value >= 1000 && u < 4) {
        value /= 1000;
        ++u;
    }
    return QLocale().toString(value, 'f', u == 0 || value >= 100 ? 0 : 1) + units[u];
}

QString ModelStatus::bytes(double value) {
    const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    int u = 0;
    while (value >= 1024 && u < 4) {
        value /= 1024;
        ++u;
    }
    return QLocale().toString(value, 'f', u == 0 || value >= 100 ? 0 : 1) + ' ' + units[u];
}

void ModelStatus::refresh() {
    const auto& cost = m_model->cost();
    const int layers = static_cast<int>(m_model->nodes().size());
    QString text = tr("%n layer(s)", nullptr, layers);
    if (layers > 0) {
        text += tr(" · %1 parameters · %2FLOPs per sample")
                    .arg(QLocale().toString(static_cast<qlonglong>(cost.totalParams)),
                         compact(cost.flopsPerSample));
        text += tr(" · ~%1 to train at batch %2")
                    .arg(bytes(static_cast<double>(m_model->trainingBytes())))
                    .arg(m_model->document().training.batchSize);
        if (!cost.complete) text += tr(" (so far: the graph has errors)");
    }
    setText(text);
    setToolTip(tr("Training memory counts parameters, gradients, optimizer state and every "
                  "layer's activations and their gradients; backend workspaces come on top."));
}

}  // namespace neurite
