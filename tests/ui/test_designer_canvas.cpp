// The canvas driven like a user: connecting by dragging from an output port (and being refused
// with the reason in a tooltip that stays on screen; an image into a Dense connects as from the
// palette, with the Flatten fix offered either way), moving blocks (one undo step, snapped to the
// grid), rubber-band selection, delete, copy/paste, insertion from the palette and dropping a
// layer on the canvas.
#include <QAction>
#include <QApplication>
#include <QMimeData>
#include <QScreen>
#include <QTreeWidget>
#include <QUndoStack>
#include <QtTest>

#include "support/test_env.h"
#include "designer/designer_widget.h"
#include "designer/edge_item.h"
#include "designer/graph_commands.h"
#include "designer/graph_edits.h"
#include "designer/graph_model.h"
#include "designer/graph_scene.h"
#include "designer/graph_view.h"
#include "designer/layer_palette.h"
#include "designer/node_item.h"
#include "designer/quick_fix.h"
#include "designer/unit_map_image.h"

using namespace neurite;

namespace {

QWidget* visibleTooltip() {
    for (QWidget* w : QApplication::topLevelWidgets())
        if (w->inherits("QTipLabel") && w->isVisible()) return w;
    return nullptr;
}

ProjectDocument threeLayers() {
    ProjectDocument doc;
    doc.data.source = "synthetic:spiral";
    doc.nodes = {makeNode("in", "Input", {}, {{"shape", std::vector<int64_t>{4}}}),
                 makeNode("fc", "Dense", {}, {{"units", int64_t(3)}}),
                 makeNode("img", "Reshape", {"in"}, {{"shape", std::vector<int64_t>{1, 2, 2}}})};
    doc.nodes[1].y = 200;
    doc.nodes[2].x = 300;
    doc.nodes[2].y = 100;
    return doc;
}

struct Fixture {
    GraphModel model;
    QUndoStack undo;
    DesignerWidget designer{&model, &undo};

    Fixture() {
        model.setDocument(threeLayers());
        designer.resize(900, 700);
        designer.show();
        designer.view()->resetTransform();
        designer.view()->centerOn(150, 150);
    }
    QPoint at(QPointF scenePos) const { return designer.view()->mapFromScene(scenePos); }
    QWidget* viewport() const { return designer.view()->viewport(); }
    NodeItem* item(const char* id) const { return designer.scene()->nodeItem(id); }
    void drag(QPoint from, QPoint to) const {
        QTest::mousePress(viewport(), Qt::LeftButton, {}, from);
        for (int k = 1; k <= 4; ++k) QTest::mouseMove(viewport(), from + (to - from) * k / 4);
        QTest::mouseRelease(viewport(), Qt::LeftButton, {}, to);
    }
};

}  // namespace

class TestDesignerCanvas : public QObject {
    Q_OBJECT
private slots:
    void connectByDraggingBetweenPorts() {
        Fixture f;
        QVERIFY(QTest::qWaitForWindowExposed(&f.designer));
        f.drag(f.at(f.item("in")->outputPort()), f.at(f.item("fc")->inputPort()));
        QCOMPARE(f.model.node("fc")->inputs, std::vector<std::string>{"in"});
        QCOMPARE(f.undo.count(), 1);
        QCOMPARE(f.designer.scene()->edgeItems().size(), 2);
        QCOMPARE(f.model.shapeOf("fc"), QString("[N,3]"));
        f.undo.undo();
        QVERIFY(f.model.node("fc")->inputs.empty());
        QCOMPARE(f.designer.scene()->edgeItems().size(), 1);
    }

    // An image into a Dense is connected as the palette connects it, and the fix is offered
    // (insert a Flatten), whichever way the user made the connection.
    void imageIntoDenseIsConnectedWithTheFlattenFix_data() {
        QTest::addColumn<bool>("fromPalette");
        QTest::newRow("dragged") << false;
        QTest::newRow("inserted from the palette") << true;
    }

    void imageIntoDenseIsConnectedWithTheFlattenFix() {
        QFETCH(bool, fromPalette);
        Fixture f;
        QVERIFY(QTest::qWaitForWindowExposed(&f.designer));
        QSignalSpy refused(f.designer.scene(), &GraphScene::connectionRefused);
        QSignalSpy needsFix(f.designer.scene(), &GraphScene::connectionNeedsFix);
        QString dense = "fc";
        if (fromPalette) {
            f.model.setDataInfo({Shape{4}, 3});  // the inserted Dense's "auto" units: 3 classes
            LayerPalette palette;
            QObject::connect(&palette, &LayerPalette::layerActivated, &f.designer, &DesignerWidget::addLayer);
            f.designer.scene()->selectIds({"img"});
            QTreeWidgetItem* item = palette.tree()->findItems("Dense", Qt::MatchRecursive).front();
            emit palette.tree()->itemDoubleClicked(item, 0);
            dense = "dense";
        } else {
            // A [N,1,2,2] image into a Dense: the shape rule says no, the engine names the fix.
            f.drag(f.at(f.item("img")->outputPort()), f.at(f.item("fc")->pos() + QPointF(0, 30)));
            QCOMPARE(needsFix.count(), 1);
            QCOMPARE(needsFix.front().front().toString(), QString("Insert a Flatten before fc"));
        }
        QCOMPARE(refused.count(), 0);
        QCOMPARE(f.model.node(dense)->inputs, std::vector<std::string>{"img"});
        QCOMPARE(f.undo.count(), 1);
        std::optional<QuickFix> fix;
        for (const Problem& p : f.model.problemsOf(dense))
            if (!fix) fix = quickFixFor(p, stateOf(f.model));
        QVERIFY(fix);
        QCOMPARE(fix->label, "Insert a Flatten before " + dense);
    }

    // A connection nothing repairs is refused, with the reason in a tooltip that stays on the
    // screen however long the reason is (here a cycle through a dozen layers).
    void refusedConnectionExplainsOnScreen() {
        Fixture f;
        QVERIFY(QTest::qWaitForWindowExposed(&f.designer));
        GraphState chain = stateOf(f.model);
        chain.nodes.push_back(makeNode("merge", "Add", {"in"}));
        chain.nodes.back().x = -250;
        chain.nodes.back().y = -150;
        std::string last = "merge";
        for (int k = 1; k <= 12; ++k) {
            const std::string id = "activation_number_" + std::to_string(k);
            chain.nodes.push_back(makeNode(id, "ReLU", {last}));
            chain.nodes.back().x = 450;
            chain.nodes.back().y = -180 + 55 * k;
            last = id;
        }
        f.undo.push(new EditGraphCommand(&f.model, "setup", stateOf(f.model), chain));
        QSignalSpy refused(f.designer.scene(), &GraphScene::connectionRefused);
        const QPoint from = f.at(f.designer.scene()->nodeItem(QString::fromStdString(last))->outputPort());
        const QPoint to = f.at(f.designer.scene()->nodeItem("merge")->pos() + QPointF(0, 30));
        QTest::mousePress(f.viewport(), Qt::LeftButton, {}, from);
        for (int k = 1; k <= 4; ++k) QTest::mouseMove(f.viewport(), from + (to - from) * k / 4);
        QWidget* tip = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((tip = visibleTooltip()) != nullptr, neurite::test::kSlowWaitMs);
        const QRect screen = tip->screen()->geometry();
        // On the screen, and wrapped to a readable width rather than one line across it.
        QVERIFY2(screen.contains(tip->geometry()) && tip->width() <= screen.width() * 2 / 3,
                 qPrintable(QString("tooltip %1,%2 %3x%4 on a %5x%6 screen").arg(tip->x()).arg(tip->y())
                                .arg(tip->width()).arg(tip->height()).arg(screen.width()).arg(screen.height())));
        QTest::mouseRelease(f.viewport(), Qt::LeftButton, {}, to);
        QCOMPARE(refused.count(), 1);
        QVERIFY2(refused.front().front().toString().contains("it would form a cycle merge -> "),
                 qPrintable(refused.front().front().toString()));
        QCOMPARE(f.model.node("merge")->inputs, std::vector<std::string>{"in"});
        QCOMPARE(f.undo.count(), 1);
    }

    void moveIsOneSnappedUndoStep() {
        Fixture f;
        QVERIFY(QTest::qWaitForWindowExposed(&f.designer));
        const QPointF grab = f.item("fc")->pos() + QPointF(-40, 30);
        f.drag(f.at(grab), f.at(grab + QPointF(83, 47)));
        const Node* fc = f.model.node("fc");
        QCOMPARE(QPointF(fc->x, fc->y), QPointF(80, 250));  // 83, 247 snapped to the 10 px grid
        QCOMPARE(f.undo.count(), 1);
        f.undo.undo();
        QCOMPARE(QPointF(f.model.node("fc")->x, f.model.node("fc")->y), QPointF(0, 200));
        QCOMPARE(f.item("fc")->pos(), QPointF(0, 200));
    }

    void rubberBandSelectsThenDeleteRemoves() {
        Fixture f;
        QVERIFY(QTest::qWaitForWindowExposed(&f.designer));
        // From empty canvas left of "in" down across "fc" only (img stays to the right).
        f.drag(f.at(QPointF(-150, -30)), f.at(QPointF(150, 300)));
        QCOMPARE(f.designer.selectedIds(), QStringList({"in", "fc"}));
        f.designer.actions().remove->trigger();
        QCOMPARE(f.model.nodes().size(), std::size_t(1));
        QVERIFY(f.model.node("img")->inputs.empty());  // its producer went with the selection
        f.undo.undo();
        QCOMPARE(f.model.nodes().size(), std::size_t(3));
        QVERIFY(f.item("in") && f.item("fc"));
    }

    void deleteSelectedConnection() {
        Fixture f;
        EdgeItem* edge = f.designer.scene()->edgeItems().front();
        edge->setSelected(true);
        f.designer.actions().remove->trigger();
        QVERIFY(f.model.node("img")->inputs.empty());
        QVERIFY(f.model.node("in"));
    }

    void copyPasteAndDuplicate() {
        Fixture f;
        f.designer.scene()->selectIds({"in", "img"});
        f.designer.actions().copy->trigger();
        QVERIFY(f.designer.actions().paste->isEnabled());
        f.designer.actions().paste->trigger();
        QCOMPARE(f.designer.selectedIds(), QStringList({"in2", "img2"}));
        QCOMPARE(f.model.node("img2")->inputs, std::vector<std::string>{"in2"});
        QCOMPARE(f.model.node("in2")->x, 40.0);
        f.designer.actions().duplicate->trigger();
        QCOMPARE(f.model.nodes().size(), std::size_t(7));
        QCOMPARE(f.undo.count(), 2);
        f.designer.scene()->selectIds({"fc"});
        f.designer.actions().cut->trigger();
        QVERIFY(!f.model.node("fc"));
        f.designer.actions().paste->trigger();
        QVERIFY(f.model.node("fc"));  // the id was free again
    }

    void paletteInsertsAfterSelection() {
        Fixture f;
        LayerPalette palette;
        QObject::connect(&palette, &LayerPalette::layerActivated, &f.designer, &DesignerWidget::addLayer);
        palette.filter("flat");
        QTreeWidgetItem* flatten = nullptr;
        for (QTreeWidgetItem* item : palette.tree()->findItems("Flatten", Qt::MatchRecursive))
            flatten = item;
        QVERIFY(flatten && !flatten->isHidden());
        QVERIFY(palette.tree()->findItems("Dense", Qt::MatchRecursive).front()->isHidden());
        f.designer.scene()->selectIds({"img"});
        emit palette.tree()->itemDoubleClicked(flatten, 0);
        QCOMPARE(f.model.node("flatten")->inputs, std::vector<std::string>{"img"});
        QCOMPARE(f.designer.selectedIds(), QStringList({"flatten"}));
        QCOMPARE(f.model.shapeOf("flatten"), QString("[N,4]"));
        QVERIFY(f.model.canConnect("flatten", "fc").isEmpty());
    }

    // A run's unit maps inside the blocks: as many as the node has units, eight at most, none
    // for a node the maps lack; the tooltip names each unit's range; any edit clears them.
    void unitMapsAreDrawnInTheBlocksUntilAnEdit() {
        Fixture f;
        auto maps = std::make_shared<UnitMaps>();
        maps->side = 4;
        UnitMap fc;
        fc.node = "fc";
        fc.units = 3;
        fc.values.assign(3 * 16, 0.5f);
        fc.values[0] = -2.f;
        fc.maxAbs = 2.f;
        UnitMap img = fc;
        img.node = "img";
        img.units = 12;
        img.values.assign(12 * 16, 1.f);
        maps->nodes = {fc, img};
        f.designer.scene()->setUnitMaps(maps);
        QCOMPARE(f.item("fc")->shownMaps(), 3);
        QCOMPARE(f.item("img")->shownMaps(), NodeItem::kMaxMaps);
        QCOMPARE(f.item("in")->shownMaps(), 0);
        QVERIFY2(f.item("fc")->toolTip().contains("fc unit 0: -2 .. 0.5"), qPrintable(f.item("fc")->toolTip()));
        QVERIFY(f.item("img")->toolTip().contains("and 4 more units"));
        // The block shows the map: blue where the unit is positive, orange at the negative cell
        // (row 0 of the map is the plane's bottom, the image's last row).
        const QImage block = f.designer.view()->grab().toImage();
        QVERIFY(!block.isNull());
        const QImage unit0 = unitMapImage(fc, 4, 0);
        QCOMPARE(unit0.pixelColor(0, 3), unitValueColor(-2.f, 2.f));
        QCOMPARE(unit0.pixelColor(3, 0), unitValueColor(0.5f, 2.f));
        QVERIFY(unitValueColor(-2.f, 2.f).red() > unitValueColor(-2.f, 2.f).blue());
        QVERIFY(unitValueColor(2.f, 2.f).blue() > unitValueColor(2.f, 2.f).red());
        QCOMPARE(unitValueColor(0.f, 2.f), QColor(Qt::white));
        // A block added after the run shows nothing; an edit to the graph clears every block.
        f.designer.scene()->selectIds({"fc"});
        f.designer.actions().duplicate->trigger();
        QCOMPARE(f.item("fc")->shownMaps(), 0);
        QVERIFY(!f.designer.scene()->unitMaps());
        QVERIFY(!f.item("fc")->toolTip().contains("unit 0"));
    }

    // An image network's outputs for one sample in the blocks: a map per channel (eight at most),
    // a flat output as one grid, the input in grey; they leave unit maps alone and an edit clears them.
    void outputMapsAreDrawnInTheBlocks() {
        Fixture f;
        auto maps = std::make_shared<ActivationMaps>();
        ActivationMap img;
        img.node = "img";
        img.op = "Conv2D";
        img.channels = 12;
        img.height = img.width = 3;
        img.values.assign(12 * 9, 0.25f);
        img.values[0] = -1.f;
        img.maxAbs = 1.f;
        ActivationMap fc;
        fc.node = "fc";
        fc.op = "Dense";
        fc.channels = 5;
        fc.height = fc.width = 1;
        fc.values = {1.f, -1.f, 0.f, 0.5f, -0.5f};
        fc.maxAbs = 1.f;
        maps->nodes = {img, fc};
        f.designer.scene()->setOutputMaps(maps);
        QCOMPARE(f.item("img")->shownMaps(), NodeItem::kMaxMaps);
        QCOMPARE(f.item("fc")->shownMaps(), 1);
        QCOMPARE(f.item("in")->shownMaps(), 0);
        QVERIFY2(f.item("img")->toolTip().contains("12 channels of 3x3"), qPrintable(f.item("img")->toolTip()));
        QVERIFY(f.item("fc")->toolTip().contains("5 values"));
        const std::vector<QImage> grid = outputPreviewImages(fc, NodeItem::kMaxMaps);
        QCOMPARE(grid.size(), std::size_t(1));
        QCOMPARE(grid[0].size(), QSize(3, 3));  // 5 values in a 3x3 grid, row by row
        QCOMPARE(grid[0].pixelColor(1, 0), unitValueColor(-1.f, 1.f));
        QCOMPARE(grid[0].pixelColor(2, 2), QColor(0x9e, 0x9e, 0x9e));  // past the end
        QCOMPARE(outputPreviewImages(img, 3).size(), std::size_t(3));
        QCOMPARE(outputPreviewImages(img, 3)[0].pixelColor(0, 0), unitValueColor(-1.f, 1.f));
        // Clearing the unit maps (none here) keeps the outputs; an edit clears them.
        f.designer.scene()->setUnitMaps(nullptr);
        QCOMPARE(f.item("img")->shownMaps(), NodeItem::kMaxMaps);
        f.designer.scene()->selectIds({"fc"});
        f.designer.actions().duplicate->trigger();
        QVERIFY(!f.designer.scene()->outputMaps());
        QCOMPARE(f.item("img")->shownMaps(), 0);
        QVERIFY(!f.item("img")->toolTip().contains("channels of"));
    }

    void arrangingTwiceIsOneStep() {
        Fixture f;
        f.designer.actions().layout->trigger();
        QCOMPARE(f.undo.count(), 1);
        f.designer.actions().layout->trigger();  // already arranged: nothing to undo
        QCOMPARE(f.undo.count(), 1);
        QVERIFY(f.model.node("img")->y > f.model.node("in")->y);
    }

    void dropFromPaletteAddsAtPosition() {
        Fixture f;
        QVERIFY(QTest::qWaitForWindowExposed(&f.designer));
        QMimeData mime;
        mime.setData(GraphView::kLayerMime, "ReLU");
        const QPoint pos = f.at(QPointF(203, 398));
        QDropEvent drop(pos, Qt::CopyAction, &mime, Qt::LeftButton, {});
        QDragEnterEvent enter(pos, Qt::CopyAction, &mime, Qt::LeftButton, {});
        QApplication::sendEvent(f.viewport(), &enter);
        QVERIFY(enter.isAccepted());
        QApplication::sendEvent(f.viewport(), &drop);
        QVERIFY(drop.isAccepted());
        const Node* relu = f.model.node("relu");
        QVERIFY(relu);
        QCOMPARE(QPointF(relu->x, relu->y), QPointF(200, 400));
    }

    void ctrlWheelZooms() {
        Fixture f;
        QVERIFY(QTest::qWaitForWindowExposed(&f.designer));
        const double before = f.designer.view()->zoom();
        QWheelEvent wheel(QPointF(100, 100), f.viewport()->mapToGlobal(QPointF(100, 100)), {}, {0, 120},
                          Qt::NoButton, Qt::ControlModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(f.viewport(), &wheel);
        QVERIFY(f.designer.view()->zoom() > before);
        f.designer.view()->zoomToFit();
        QVERIFY(f.designer.view()->zoom() <= 1.25);
    }
};

QTEST_MAIN(TestDesignerCanvas)
#include "test_designer_canvas.moc"
