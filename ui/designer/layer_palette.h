// LayerPalette: every layer type of the registry, grouped by category and searchable by name
// or help text. Drag an entry onto the canvas, or double-click it to insert it after the
// selected layer.
#pragma once

#include <QWidget>

class QLineEdit;
class QTreeWidget;

namespace neurite {

class LayerPalette : public QWidget {
    Q_OBJECT
public:
    explicit LayerPalette(QWidget* parent = nullptr);
    QLineEdit* searchField() const { return m_search; }
    QTreeWidget* tree() const { return m_tree; }
    // Shows only entries whose name or help contains `text` (case-insensitive).
    void filter(const QString& text);

signals:
    void layerActivated(const QString& op);

private:
    QLineEdit* m_search;
    QTreeWidget* m_tree;
};

}  // namespace neurite
