// DesignerWidget: the canvas with its editing actions (delete, cut, copy, paste, duplicate,
// select all, layout, zoom, grid snapping, and transfer learning's freeze and replace head). Each action computes the next GraphState with
// graph_edits and pushes one command; the main window only puts the actions in its menus.
#pragma once

#include <QPointF>
#include <QStringList>
#include <QWidget>
#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>

class QAction;
class QUndoStack;

namespace neurite {

class GraphModel;
class GraphScene;
class GraphView;
struct GraphState;

class DesignerWidget : public QWidget {
    Q_OBJECT
public:
    struct Actions {
        QAction* remove;
        QAction* cut;
        QAction* copy;
        QAction* paste;
        QAction* duplicate;
        QAction* selectAll;
        QAction* layout;
        QAction* zoomIn;
        QAction* zoomOut;
        QAction* zoomFit;
        QAction* snap;
        QAction* freeze;       // freezes the selected layers, or unfreezes them when all are frozen
        QAction* replaceHead;  // the selected layer and all after it become a new Dense head
    };
    // What Replace Head asks: the new head's outputs (0: the data's classes) and whether the
    // layers kept are frozen; nullopt = cancelled.
    struct HeadChoice {
        int64_t units = 0;
        bool freeze = true;
    };
    using HeadPrompt = std::function<std::optional<HeadChoice>(const QString& cut)>;

    DesignerWidget(GraphModel* model, QUndoStack* undo, QWidget* parent = nullptr);
    GraphScene* scene() const { return m_scene; }
    // A lesson locks the network: the editing actions are gone (their shortcuts too), no layer
    // can be added, dropped or connected. Moving and arranging blocks still works.
    void setReadOnly(bool on);
    bool readOnly() const { return m_readOnly; }
    GraphView* view() const { return m_view; }
    const Actions& actions() const { return m_actions; }
    QStringList selectedIds() const;

    // Inserts a layer after the selected one and wires it in (or, with nothing selected, after
    // the output layer, or alone when the graph is empty); selects it.
    void addLayer(const QString& op);
    void addLayerAt(const QString& op, QPointF scenePos);
    void selectNode(const QString& id);  // selects and scrolls to it
    // Pushes `after` as one undoable edit named `text` and selects `select`.
    void pushEdit(const QString& text, const GraphState& after, const QStringList& select = {});

    void deleteSelection();
    void copySelection();
    void cutSelection();
    void paste();
    void duplicateSelection();
    void layoutGraph();
    void toggleFreeze();
    void replaceHead();
    void setHeadPrompt(HeadPrompt prompt) { m_headPrompt = std::move(prompt); }

signals:
    void selectionChanged(const QStringList& ids);

private:
    void createActions();
    void updateActions();
    void pasteNodes(const std::vector<struct Node>& nodes, QPointF offset, const QString& text);

    GraphModel* m_model;
    QUndoStack* m_undo;
    GraphScene* m_scene;
    GraphView* m_view;
    Actions m_actions{};
    HeadPrompt m_headPrompt;
    bool m_readOnly = false;
};

}  // namespace neurite
