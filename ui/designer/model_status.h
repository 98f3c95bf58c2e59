// ModelStatus: the status-bar summary of the open model: layers, trainable parameters, forward
// FLOPs per sample and the training-memory estimate at the project's batch size.
#pragma once

#include <QLabel>

namespace neurite {

class GraphModel;

class ModelStatus : public QLabel {
    Q_OBJECT
public:
    explicit ModelStatus(GraphModel* model, QWidget* parent = nullptr);
    void refresh();

    // "1.2 M", "640 k": compact counts for a status bar.
    static QString compact(double value);
    static QString bytes(double value);

private:
    GraphModel* m_model;
};

}  // namespace neurite
