// The palette reads the layer registry; categories appear in the order users meet them.
#include "layer_palette.h"

#include <QFontMetrics>
#include <QHeaderView>
#include <QLineEdit>
#include <QMimeData>
#include <QStyle>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <algorithm>

#include "graph_view.h"
#include "layers/registry.h"

namespace neurite {

namespace {

// A tree whose leaves drag out as layer names the canvas understands.
class PaletteTree : public QTreeWidget {
public:
    using QTreeWidget::QTreeWidget;

protected:
    QStringList mimeTypes() const override { return {GraphView::kLayerMime}; }
    QMimeData* mimeData(const QList<QTreeWidgetItem*>& items) const override {
        if (items.isEmpty() || items.front()->childCount() > 0) return nullptr;
        auto* mime = new QMimeData;
        const QString op = items.front()->data(0, Qt::UserRole).toString();
        mime->setData(GraphView::kLayerMime, op.toUtf8());
        mime->setText(op);
        return mime;
    }
};

}  // namespace

LayerPalette::LayerPalette(QWidget* parent) : QWidget(parent) {
    m_search = new QLineEdit(this);
    m_search->setPlaceholderText(tr("Search layers"));
    m_search->setClearButtonEnabled(true);
    m_tree = new PaletteTree(this);
    m_tree->setHeaderHidden(true);
    m_tree->setDragEnabled(true);
    m_tree->setDragDropMode(QAbstractItemView::DragOnly);
    m_tree->setRootIsDecorated(true);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_search);
    layout->addWidget(m_tree);

    for (const LayerCategory& c : layerCategories()) {
        const std::string category = c.name;
        auto* group = new QTreeWidgetItem(m_tree, {tr(c.name)});
        group->setFlags(Qt::ItemIsEnabled);
        QFont bold = group->font(0);
        bold.setBold(true);
        group->setFont(0, bold);
        for (const LayerType& t : layerTypes()) {
            if (t.category != category) continue;
            auto* item = new QTreeWidgetItem(group, {QString::fromStdString(t.name)});
            item->setData(0, Qt::UserRole, QString::fromStdString(t.name));
            item->setToolTip(0, QString::fromStdString(t.help));
            item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsDragEnabled);
        }
        if (group->childCount() == 0) delete group;
    }
    m_tree->expandAll();
    // Never narrower than its longest layer name ("Den", "Flatt" help nobody): the dock keeps it.
    int widest = 0;
    for (QTreeWidgetItemIterator it(m_tree); *it; ++it)
        widest = std::max(widest, QFontMetrics((*it)->font(0)).horizontalAdvance((*it)->text(0)) +
                                      ((*it)->parent() ? 2 : 1) * m_tree->indentation());
    const int chrome = 2 * m_tree->frameWidth() + m_tree->style()->pixelMetric(QStyle::PM_ScrollBarExtent) +
                       4 * m_tree->style()->pixelMetric(QStyle::PM_FocusFrameHMargin);
    m_tree->setMinimumWidth(widest + chrome);
    connect(m_search, &QLineEdit::textChanged, this, &LayerPalette::filter);
    connect(m_tree, &QTreeWidget::itemDoubleClicked, this, [this](QTreeWidgetItem* item) {
        if (item->childCount() == 0) emit layerActivated(item->data(0, Qt::UserRole).toString());
    });
    // Enter in the search field inserts the first match: keyboard-only building.
    connect(m_search, &QLineEdit::returnPressed, this, [this] {
        for (int g = 0; g < m_tree->topLevelItemCount(); ++g)
            for (int i = 0; i < m_tree->topLevelItem(g)->childCount(); ++i)
                if (QTreeWidgetItem* item = m_tree->topLevelItem(g)->child(i); !item->isHidden()) {
                    emit layerActivated(item->data(0, Qt::UserRole).toString());
                    return;
                }
    });
}

void LayerPalette::filter(const QString& text) {
    for (int g = 0; g < m_tree->topLevelItemCount(); ++g) {
        QTreeWidgetItem* group = m_tree->topLevelItem(g);
        bool any = false;
        for (int i = 0; i < group->childCount(); ++i) {
            QTreeWidgetItem* item = group->child(i);
            const bool match = text.isEmpty() || item->text(0).contains(text, Qt::CaseInsensitive) ||
                               item->toolTip(0).contains(text, Qt::CaseInsensitive);
            item->setHidden(!match);
            any = any || match;
        }
        group->setHidden(!any);
    }
}

}  // namespace neurite
