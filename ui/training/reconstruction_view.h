// ReconstructionView: for an image autoencoder, the first held-out samples (top row) and the
// model's reconstructions of them after the newest epoch (bottom row), on the same scale.
#pragma once

#include <QWidget>

#include "train/reconstruction.h"

class QGridLayout;
class QLabel;

namespace neurite {

class ReconstructionView : public QWidget {
    Q_OBJECT
public:
    explicit ReconstructionView(QWidget* parent = nullptr);
    // The engine's reconstructions after `epoch`, shown as they are.
    void setReconstructions(int epoch, const Reconstructions& r);
    void clear();
    int count() const { return m_count; }  // pairs shown
    QString titleText() const;

private:
    QLabel* m_title;
    QGridLayout* m_grid;
    QList<QLabel*> m_cells;
    int m_count = 0;
};

}  // namespace neurite
