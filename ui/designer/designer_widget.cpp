// The designer's editing actions.
#include "designer_widget.h"

#include <QAction>
#include <QCheckBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QSpinBox>
#include <QApplication>
#include <QClipboard>
#include <QMimeData>
#include <QUndoStack>
#include <QVBoxLayout>
#include <algorithm>
#include <map>

#include "edge_item.h"
#include "graph_commands.h"
#include "graph_edits.h"
#include "graph_model.h"
#include "graph_scene.h"
#include "graph_view.h"
#include "io/project.h"
#include "node_item.h"

namespace neurite {

namespace {

// Replace Head's question: the new head's outputs and whether to freeze the layers kept.
std::optional<DesignerWidget::HeadChoice> askHead(QWidget* parent, const QString& cut) {
    QDialog dialog(parent);
    dialog.setWindowTitle(QObject::tr("Replace Head"));
    auto* form = new QFormLayout(&dialog);
    form->addRow(new QLabel(QObject::tr("%1 and every layer after it are removed; a new Dense layer ends the model.")
                                .arg(cut)));
    auto* units = new QSpinBox(&dialog);
    units->setRange(0, 1000000);
    units->setSpecialValueText(QObject::tr("auto (the data's classes)"));
    form->addRow(QObject::tr("Outputs"), units);
    auto* freeze = new QCheckBox(QObject::tr("freeze the layers kept (train the head only)"), &dialog);
    freeze->setChecked(true);
    form->addRow(QString(), freeze);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    QObject::connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    QObject::connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    form->addRow(buttons);
    if (dialog.exec() != QDialog::Accepted) return std::nullopt;
    return DesignerWidget::HeadChoice{units->value(), freeze->isChecked()};
}


constexpr const char* kNodesMime = "application/x-neurite-nodes";

std::set<std::string> toSet(const QStringList& ids) {
    std::set<std::string> out;
    for (const QString& id : ids) out.insert(id.toStdString());
    return out;
}

}  // namespace

DesignerWidget::DesignerWidget(GraphModel* model, QUndoStack* undo, QWidget* parent)
    : QWidget(parent), m_model(model), m_undo(undo) {
    m_scene = new GraphScene(model, undo, this);
    m_view = new GraphView(m_scene, this);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view);
    createActions();
    connect(m_scene, &QGraphicsScene::selectionChanged, this, [this] {
        updateActions();
        emit selectionChanged(selectedIds());
    });
    connect(m_view, &GraphView::layerDropped, this, &DesignerWidget::addLayerAt);
    connect(QApplication::clipboard(), &QClipboard::dataChanged, this, &DesignerWidget::updateActions);
    updateActions();
}

void DesignerWidget::createActions() {
    auto make = [this](const QString& text, const QKeySequence& key, void (DesignerWidget::*slot)()) {
        auto* a = new QAction(text, this);
        a->setShortcut(key);
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        connect(a, &QAction::triggered, this, slot);
        addAction(a);
        return a;
    };
    m_actions.remove = make(tr("&Delete"), QKeySequence::Delete, &DesignerWidget::deleteSelection);
    m_actions.cut = make(tr("Cu&t"), QKeySequence::Cut, &DesignerWidget::cutSelection);
    m_actions.copy = make(tr("&Copy"), QKeySequence::Copy, &DesignerWidget::copySelection);
    m_actions.paste = make(tr("&Paste"), QKeySequence::Paste, &DesignerWidget::paste);
    m_actions.duplicate =
        make(tr("D&uplicate"), QKeySequence(Qt::CTRL | Qt::Key_D), &DesignerWidget::duplicateSelection);
    m_actions.selectAll = new QAction(tr("Select &All"), this);
    m_actions.selectAll->setShortcut(QKeySequence::SelectAll);
    m_actions.selectAll->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addAction(m_actions.selectAll);
    connect(m_actions.selectAll, &QAction::triggered, this, [this] {
        for (QGraphicsItem* item : m_scene->items()) item->setSelected(true);
    });
    m_actions.layout =
        make(tr("Arrange &Layers"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L), &DesignerWidget::layoutGraph);
    m_actions.zoomIn = new QAction(tr("Zoom &In"), this);
    m_actions.zoomIn->setShortcut(QKeySequence::ZoomIn);
    connect(m_actions.zoomIn, &QAction::triggered, this, [this] { m_view->zoomBy(1.25); });
    m_actions.zoomOut = new QAction(tr("Zoom &Out"), this);
    m_actions.zoomOut->setShortcut(QKeySequence::ZoomOut);
    connect(m_actions.zoomOut, &QAction::triggered, this, [this] { m_view->zoomBy(0.8); });
    m_actions.zoomFit = new QAction(tr("Zoom to &Fit"), this);
    m_actions.zoomFit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
    connect(m_actions.zoomFit, &QAction::triggered, m_view, &GraphView::zoomToFit);
    m_actions.freeze = make(tr("&Freeze Layers"), QKeySequence(), &DesignerWidget::toggleFreeze);
    m_actions.freeze->setStatusTip(tr("Transfer learning: the selected layers keep their weights while the others train"));
    m_actions.replaceHead = make(tr("&Replace Head from Here..."), QKeySequence(), &DesignerWidget::replaceHead);
    m_actions.replaceHead->setStatusTip(
        tr("Transfer learning: remove the selected layer and all after it, and end the model in a new Dense head"));
    m_actions.snap = new QAction(tr("&Snap to Grid"), this);
    m_actions.snap->setCheckable(true);
    m_actions.snap->setChecked(m_scene->snapToGrid());
    connect(m_actions.snap, &QAction::toggled, this, [this](bool on) {
        m_scene->setSnapToGrid(on);
        m_scene->update();
    });
}

void DesignerWidget::updateActions() {
    const bool any = !m_scene->selectedItems().isEmpty();
    const bool nodes = !selectedIds().isEmpty();
    m_actions.remove->setEnabled(any);
    m_actions.cut->setEnabled(nodes);
    m_actions.copy->setEnabled(nodes);
    m_actions.duplicate->setEnabled(nodes);
    const QStringList ids = selectedIds();
    bool allFrozen = !ids.isEmpty(), anyWeights = false;
    for (const QString& id : ids)
        if (const Node* n = m_model->node(id); n && edits::hasParameters(*n)) {
            allFrozen = allFrozen && !n->trainable;
            anyWeights = true;
        }
    m_actions.freeze->setEnabled(anyWeights);
    m_actions.freeze->setText(allFrozen ? tr("Un&freeze Layers") : tr("&Freeze Layers"));
    const Node* one = ids.size() == 1 ? m_model->node(ids.front()) : nullptr;
    m_actions.replaceHead->setEnabled(one && !one->inputs.empty());
    const QMimeData* mime = QApplication::clipboard()->mimeData();
    m_actions.paste->setEnabled(mime && mime->hasFormat(kNodesMime));
}

void DesignerWidget::toggleFreeze() {
    const QStringList ids = selectedIds();
    if (ids.isEmpty()) return;
    bool allFrozen = true;
    for (const QString& id : ids)
        if (const Node* n = m_model->node(id); n && edits::hasParameters(*n)) allFrozen = allFrozen && !n->trainable;
    GraphState after = stateOf(*m_model);
    for (Node& n : after.nodes)  // layers without weights have nothing to freeze
        if (ids.contains(QString::fromStdString(n.id)) && edits::hasParameters(n)) n.trainable = allFrozen;
    pushEdit(allFrozen ? tr("Unfreeze %n layer(s)", nullptr, int(ids.size())) : tr("Freeze %n layer(s)", nullptr, int(ids.size())),
             after, ids);
    updateActions();
}

void DesignerWidget::replaceHead() {
    const QStringList ids = selectedIds();
    const Node* cut = ids.size() == 1 ? m_model->node(ids.front()) : nullptr;
    if (!cut || cut->inputs.empty()) return;
    const std::optional<HeadChoice> choice = m_headPrompt ? m_headPrompt(ids.front()) : askHead(this, ids.front());
    if (!choice) return;
    const std::string cutId = cut->id;
    const Shape in = m_model->shapeValue(QString::fromStdString(cut->inputs.front()));
    std::string head;
    const GraphState after = edits::withHeadReplaced(stateOf(*m_model), cutId, choice->units, in.rank() > 2,
                                                     choice->freeze, &head);
    pushEdit(tr("Replace head from %1").arg(ids.front()), after, {QString::fromStdString(head)});
}

QStringList DesignerWidget::selectedIds() const {
    return m_scene->selectedIds();
}

void DesignerWidget::pushEdit(const QString& text, const GraphState& after, const QStringList& select) {
    GraphState before = stateOf(*m_model);
    // An edit that changes nothing (arranging an arranged graph) must not mark the project dirty.
    if (!(before == after)) m_undo->push(new EditGraphCommand(m_model, text, std::move(before), after));
    if (!select.isEmpty()) m_scene->selectIds(select);
}

void DesignerWidget::setReadOnly(bool on) {
    m_readOnly = on;
    m_scene->setReadOnly(on);
    for (QAction* a : {m_actions.remove, m_actions.cut, m_actions.paste, m_actions.duplicate, m_actions.freeze,
                       m_actions.replaceHead})
        a->setVisible(!on);  // an invisible action's shortcut is off too
}

void DesignerWidget::addLayer(const QString& op) {
    if (m_readOnly) return;
    const GraphState state = stateOf(*m_model);
    const QStringList selected = selectedIds();
    std::string after;
    if (!selected.isEmpty())
        after = selected.back().toStdString();
    else if (m_model->resolved().output >= 0)
        after = state.nodes[static_cast<std::size_t>(m_model->resolved().output)].id;
    Node node = makeNode(edits::idBase(op.toStdString()), op.toStdString());
    const GraphState next = edits::withNodeInserted(state, node, after);
    const QString id = QString::fromStdString(next.nodes.back().id);
    pushEdit(tr("Add %1").arg(id), next, {id});
    selectNode(id);
}

void DesignerWidget::addLayerAt(const QString& op, QPointF scenePos) {
    if (m_readOnly) return;
    Node node = makeNode(edits::idBase(op.toStdString()), op.toStdString());
    const double g = GraphScene::kGrid;
    node.x = m_scene->snapToGrid() ? std::round(scenePos.x() / g) * g : scenePos.x();
    node.y = m_scene->snapToGrid() ? std::round(scenePos.y() / g) * g : scenePos.y();
    const GraphState next = edits::withNodeInserted(stateOf(*m_model), node, {});
    const QString id = QString::fromStdString(next.nodes.back().id);
    pushEdit(tr("Add %1").arg(id), next, {id});
}

void DesignerWidget::selectNode(const QString& id) {
    NodeItem* item = m_scene->nodeItem(id);
    if (!item) return;
    m_scene->selectIds({id});
    m_view->ensureVisible(item, 60, 60);
}

void DesignerWidget::deleteSelection() {
    GraphState next = stateOf(*m_model);
    // Selected connections first, highest slot first so earlier slots keep their numbers.
    std::vector<std::pair<std::string, int>> edges;
    for (QGraphicsItem* item : m_scene->selectedItems())
        if (auto* e = dynamic_cast<EdgeItem*>(item)) edges.push_back({e->to()->id().toStdString(), e->slot()});
    std::sort(edges.begin(), edges.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    for (const auto& [to, slot] : edges) next = edits::withoutConnection(next, to, slot);
    const QStringList ids = selectedIds();
    next = edits::withoutNodes(next, toSet(ids));
    if (edges.empty() && ids.isEmpty()) return;
    const QString text = ids.size() == 1 && edges.empty() ? tr("Delete %1").arg(ids.front())
                         : ids.isEmpty()                  ? tr("Delete %n connection(s)", nullptr, int(edges.size()))
                                                          : tr("Delete %n layer(s)", nullptr, int(ids.size()));
    pushEdit(text, next);
}

void DesignerWidget::copySelection() {
    const std::set<std::string> ids = toSet(selectedIds());
    if (ids.empty()) return;
    ProjectDocument clip;
    clip.data.source = "clipboard";  // a document needs a source; paste reads only the nodes
    for (const Node& n : m_model->nodes())
        if (ids.count(n.id)) clip.nodes.push_back(n);
    const QByteArray json = QByteArray::fromStdString(projectToJson(clip));
    auto* mime = new QMimeData;
    mime->setData(kNodesMime, json);
    mime->setText(QString::fromUtf8(json));
    QApplication::clipboard()->setMimeData(mime);
    updateActions();
}

void DesignerWidget::cutSelection() {
    const QStringList ids = selectedIds();
    if (ids.isEmpty()) return;
    copySelection();
    pushEdit(tr("Cut %n layer(s)", nullptr, int(ids.size())),
             edits::withoutNodes(stateOf(*m_model), toSet(ids)));
}

void DesignerWidget::paste() {
    const QMimeData* mime = QApplication::clipboard()->mimeData();
    if (!mime || !mime->hasFormat(kNodesMime)) return;
    try {
        const ProjectDocument clip =
            parseProject(mime->data(kNodesMime).toStdString(), "clipboard", nullptr);
        pasteNodes(clip.nodes, QPointF(40, 40), tr("Paste"));
    } catch (const std::exception&) {
        // Not ours after all (another program's data under our type): nothing to paste.
    }
}

void DesignerWidget::duplicateSelection() {
    const std::set<std::string> ids = toSet(selectedIds());
    std::vector<Node> nodes;
    for (const Node& n : m_model->nodes())
        if (ids.count(n.id)) nodes.push_back(n);
    if (!nodes.empty()) pasteNodes(nodes, QPointF(40, 40), tr("Duplicate"));
}

void DesignerWidget::pasteNodes(const std::vector<Node>& nodes, QPointF offset, const QString& text) {
    QStringList ids;
    const GraphState next = edits::withPasted(stateOf(*m_model), nodes, offset, &ids);
    pushEdit(tr("%1 %n layer(s)", nullptr, int(ids.size())).arg(text), next, ids);
}

void DesignerWidget::layoutGraph() {
    if (m_model->nodes().empty()) return;
    pushEdit(tr("Arrange layers"), edits::laidOut(stateOf(*m_model)));
    m_view->zoomToFit();
}

}  // namespace neurite
