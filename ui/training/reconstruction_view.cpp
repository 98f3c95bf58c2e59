#include "reconstruction_view.h"

#include <QGridLayout>
#include <QLabel>
#include <QPixmap>
#include <QVBoxLayout>

#include "display_convert.h"

namespace neurite {

namespace {
constexpr int kCell = 84;  // pixels per shown sample; images are scaled without smoothing
}

ReconstructionView::ReconstructionView(QWidget* parent) : QWidget(parent) {
    m_title = new QLabel(this);
    m_title->setWordWrap(true);
    m_grid = new QGridLayout;
    m_grid->setSpacing(6);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addLayout(m_grid);
    layout->addStretch(1);
    clear();
}

QString ReconstructionView::titleText() const { return m_title->text(); }

void ReconstructionView::clear() {
    for (QLabel* l : m_cells) delete l;
    m_cells.clear();
    m_count = 0;
    m_title->setText(tr("Reconstructions of held-out samples appear after the first epoch."));
}

void ReconstructionView::setReconstructions(int epoch, const Reconstructions& r) {
    clear();
    m_count = static_cast<int>(std::min(r.inputImages.size(), r.outputImages.size()));
    m_title->setText(tr("Held-out samples (top) and the model's reconstructions (below) after "
                        "epoch %1, each pair on the input's scale.")
                         .arg(epoch));
    auto cell = [this](const QImage& img, int row, int column) {
        auto* l = new QLabel(this);
        l->setPixmap(QPixmap::fromImage(
            img.scaled(kCell, kCell, Qt::KeepAspectRatio, Qt::FastTransformation)));
        l->setFrameShape(QFrame::StyledPanel);
        m_grid->addWidget(l, row, column);
        m_cells << l;
    };
    for (int row = 0; row < 2; ++row) {
        auto* name = new QLabel(row == 0 ? tr("input") : tr("output"), this);
        m_grid->addWidget(name, row, 0, Qt::AlignRight | Qt::AlignVCenter);
        m_cells << name;
    }
    for (int i = 0; i < m_count; ++i) {
        cell(imageOf(r.inputImages[static_cast<std::size_t>(i)]), 0, i + 1);
        cell(imageOf(r.outputImages[static_cast<std::size_t>(i)]), 1, i + 1);
    }
}

}  // namespace neurite
