#include "point_edit_bar.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSignalBlocker>

#include "decision_plot.h"

namespace neurite {

PointEditBar::PointEditBar(plot::DecisionPlot* map, QWidget* parent) : QWidget(parent), m_map(map) {
    m_class = new QComboBox(this);
    m_class->setToolTip(tr("The class of the points a click adds"));
    m_counts = new QLabel(this);
    m_clear = new QPushButton(tr("Clear edits"), this);
    m_clear->setToolTip(tr("Drop every point added or removed by hand (one undo step)"));
    auto* hint = new QLabel(tr("Click adds a point of"), this);
    auto* rest = new QLabel(tr("· Shift+click removes one"), this);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 2, 4, 2);
    layout->addWidget(hint);
    layout->addWidget(m_class);
    layout->addWidget(rest);
    layout->addStretch(1);
    layout->addWidget(m_counts);
    layout->addWidget(m_clear);
    setEditCounts(0, 0);
    connect(m_clear, &QPushButton::clicked, this, [this] {
        if (m_editable) emit clearRequested();
        else emit message(m_why);
    });
    connect(map, &plot::DecisionPlot::planeClickedAt, this, &PointEditBar::clicked);
    connect(m_class, &QComboBox::currentIndexChanged, this, [this](int index) { m_chosen = index; });
}

void PointEditBar::setClassNames(const QStringList& names) {
    QSignalBlocker quiet(m_class);  // the user's choice survives a new run's (or no) names
    m_class->clear();
    m_class->addItems(names);
    if (m_chosen >= 0 && m_chosen < names.size()) m_class->setCurrentIndex(m_chosen);
}

void PointEditBar::setEditable(bool editable, const QString& why) {
    m_editable = editable;
    m_why = why;
}

void PointEditBar::setEditCounts(int added, int removed) {
    m_counts->setText(added == 0 && removed == 0 ? QString() : tr("%1 added, %2 removed").arg(added).arg(removed));
    m_clear->setEnabled(added > 0 || removed > 0);
}

QString PointEditBar::countText() const { return m_counts->text(); }

void PointEditBar::clicked(double x, double y, Qt::KeyboardModifiers modifiers, QPoint pos) {
    if (!isVisible()) return;
    if (!m_editable) {
        emit message(m_why);
        return;
    }
    if (modifiers & Qt::ShiftModifier) {
        const int i = m_map->pointNear(pos, 8);
        if (i < 0) {
            emit message(tr("Shift+click on a training point to remove it."));
            return;
        }
        const auto at = static_cast<std::size_t>(i);
        emit removeRequested(m_map->points().x[at], m_map->points().y[at]);
        return;
    }
    if (m_class->count() == 0) return;
    emit addRequested(x, y, m_class->currentIndex());
}

}  // namespace neurite
