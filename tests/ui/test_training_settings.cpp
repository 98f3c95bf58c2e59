// Every editable field of the Training tab's settings and of the designer's inspector takes what
// a user types with real key events (select all, type, Tab) and the project then holds exactly
// that value: integers, decimals below 1, scientific notation (1e-3), text, choices and check
// boxes. Catches the decimal fields that turned "0.05" into 0 (issue 16, defect 1) and the
// inspector's four-decimal fields that rounded 1e-5 to 0. Also: the wheel over a field that
// does not have the focus leaves it alone (defect 2), the column fits its pane (defect 3), every
// setting has a tooltip with its range, and the fields are disabled with a hint during a run.
#include <QAbstractSpinBox>
#include <QCheckBox>
#include <QComboBox>
#include <QGroupBox>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSlider>
#include <QSpinBox>
#include <QUndoStack>
#include <QVBoxLayout>
#include <QtTest>

#include <cmath>

#include "designer/graph_model.h"
#include "designer/inspector.h"
#include "number_field.h"
#include "support/test_env.h"
#include "training/training_panel.h"
#include "training/point_edit_bar.h"
#include "decision_plot.h"
#include <QSignalSpy>
#include <qcustomplot.h>
#include "training/training_settings.h"
#include "training/synthetic_editor.h"
#include "training/training_workspace.h"
#include "wheel_guard.h"

using namespace neurite;

namespace {

// The value at a dotted path ("training.optimizer.lr") of the project as it would be saved.
QJsonValue savedValue(const GraphModel& model, const QString& path) {
    const QJsonDocument json = QJsonDocument::fromJson(QByteArray::fromStdString(projectToJson(model.document())));
    QJsonValue v = json.object();
    for (const QString& key : path.split(QLatin1Char('.'))) v = v.toObject().value(key);
    return v;
}

// The fields a user edits: spin boxes, combo boxes, check boxes and line edits (not the line
// edit inside a spin box). The synthetic data controls edit parts of data.source: they have
// their own test.
QList<QWidget*> editableFields(QWidget* root) {
    QList<QWidget*> out;
    for (QWidget* w : root->findChildren<QWidget*>()) {
        bool synthetic = false;
        for (QWidget* p = w; p && !synthetic; p = p->parentWidget()) synthetic = qobject_cast<SyntheticEditor*>(p);
        if (synthetic) continue;
        const bool field = qobject_cast<QAbstractSpinBox*>(w) || qobject_cast<QComboBox*>(w) ||
                           qobject_cast<QCheckBox*>(w) ||
                           (qobject_cast<QLineEdit*>(w) && !qobject_cast<QAbstractSpinBox*>(w->parentWidget()) &&
                            !qobject_cast<QComboBox*>(w->parentWidget()));
        if (field) out << w;
    }
    return out;
}

// Select all, type `text`, Tab: what a user does.
void typeInto(QWidget* field, const QString& text) {
    field->setFocus(Qt::TabFocusReason);
    QTRY_VERIFY_WITH_TIMEOUT(field->hasFocus(), test::kSlowWaitMs);
    QTest::keyClick(field, Qt::Key_A, Qt::ControlModifier);
    QTest::keyClicks(field, text);
    QTest::keyClick(field, Qt::Key_Tab);
}

// Integers inside the field's range, none of them the current value.
QStringList integersFor(const QSpinBox* box) {
    const qint64 lo = box->minimum(), hi = box->maximum();
    QStringList out;
    for (qint64 v : {lo + 3, lo + 7, lo + 2})
        if (v <= hi && v != box->value() && out.size() < 2) out << QString::number(v);
    return out;
}

// What a typed decimal means: a comma is a decimal point too ("0,375" in a German locale).
double typedValue(const QString& text) {
    return QString(text).replace(QLatin1Char(','), QLatin1Char('.')).toDouble();
}

// Decimals below 1, with a decimal comma and in scientific notation, as typed.
QStringList decimalsFor(const QDoubleSpinBox* box) {
    QStringList out;
    for (const char* text : {"0.05", "1e-3", "0,375", "2.5E-4"}) {
        const double v = typedValue(QString::fromLatin1(text));
        if (v >= box->minimum() && v <= box->maximum()) out << QString::fromLatin1(text);
    }
    return out;
}

// Moves a closed combo box to another item with the arrow keys (it emits activated, as a pick does).
void stepCombo(QComboBox* combo) {
    combo->setFocus(Qt::TabFocusReason);
    QTRY_VERIFY_WITH_TIMEOUT(combo->hasFocus(), test::kSlowWaitMs);
    QTest::keyClick(combo, combo->currentIndex() + 1 < combo->count() ? Qt::Key_Down : Qt::Key_Up);
}

ProjectDocument everyLayer() {
    ProjectDocument doc;
    doc.data.source = "synthetic:spiral?samples=300";
    int k = 0;
    for (const LayerType& t : layerTypes()) doc.nodes.push_back(makeNode(QStringLiteral("n%1").arg(k++).toStdString(), t.name));
    return doc;
}

// The Training tab on a project with one layer of every type, at 1280x720, active.
struct Studio {
    GraphModel model;
    QUndoStack undo;
    TrainingWorkspace workspace{&model, &undo};
    Studio() {
        model.setDocument(everyLayer());
        workspace.resize(1280, 720);
        workspace.show();
        workspace.activateWindow();
    }
};

}  // namespace

class TestTrainingSettings : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { WheelGuard::install(); }

    // Every settings field, every kind of value: the saved project holds exactly what was typed.
    void typedValuesReachTheProject() {
        Studio studio;
        GraphModel& model = studio.model;
        TrainingWorkspace& workspace = studio.workspace;
        QVERIFY(QTest::qWaitForWindowActive(&workspace));
        TrainingSettings* settings = workspace.settings();

        // The reported case first: 0.02 in the learning rate, then 0.05 typed over it.
        typeInto(settings->lrEditor(), "0.02");
        typeInto(settings->lrEditor(), "0.05");
        QCOMPARE(savedValue(model, "training.optimizer.lr").toDouble(), 0.05);
        QCOMPARE(settings->lrEditor()->text(), QString("0.05"));

        const QList<QWidget*> fields = editableFields(settings);
        QVERIFY(fields.size() >= 37);
        int checked = 0;
        for (QWidget* w : fields) {
            const QString key = w->objectName();
            QVERIFY2(key.startsWith("data.") || key.startsWith("training."),
                     qPrintable(QString("a settings field without its project key: %1").arg(w->metaObject()->className())));
            if (auto* d = qobject_cast<QDoubleSpinBox*>(w)) {
                const QStringList values = decimalsFor(d);
                QVERIFY2(values.size() >= 2, qPrintable(key));
                for (const QString& text : values) {
                    typeInto(d, text);
                    QVERIFY2(savedValue(model, key).toDouble() == typedValue(text),
                             qPrintable(QString("%1: typed %2, project holds %3, field shows %4")
                                            .arg(key, text, savedValue(model, key).toVariant().toString(), d->text())));
                }
            } else if (auto* i = qobject_cast<QSpinBox*>(w)) {
                for (const QString& text : integersFor(i)) {
                    typeInto(i, text);
                    QVERIFY2(savedValue(model, key).toInteger() == text.toLongLong(),
                             qPrintable(QString("%1: typed %2, project holds %3").arg(key, text).arg(savedValue(model, key).toInteger())));
                }
            } else if (auto* c = qobject_cast<QComboBox*>(w)) {
                const int before = c->currentIndex();
                stepCombo(c);
                QVERIFY2(c->currentIndex() != before, qPrintable(key));
                QCOMPARE(savedValue(model, key).toString(), c->currentData().toString());
            } else if (auto* b = qobject_cast<QCheckBox*>(w)) {
                b->setFocus(Qt::TabFocusReason);
                QTest::keyClick(b, Qt::Key_Space);
                QVERIFY2(b->isChecked(), qPrintable(key));
                QVERIFY2(savedValue(model, key).toBool(), qPrintable(key));
            } else if (auto* e = qobject_cast<QLineEdit*>(w)) {
                const QString text = key == "data.source" ? "synthetic:moons?samples=400" : "label";
                typeInto(e, text);
                QCOMPARE(savedValue(model, key).toString(), text);
            }
            ++checked;
        }
        QCOMPARE(checked, fields.size());
    }

    // The inspector of every registered layer type: numbers (after leaving "auto"), lists,
    // choices, check boxes and the layer's name.
    void inspectorHoldsWhatWasTyped() {
        GraphModel model;
        QUndoStack undo;
        model.setDocument(everyLayer());
        // In the studio the inspector is a dock among other widgets: Tab always leaves a field.
        QWidget window;
        auto* layout = new QVBoxLayout(&window);
        auto& inspector = *new Inspector(&model, &undo, &window);
        layout->addWidget(&inspector);
        layout->addWidget(new QLineEdit(&window));
        window.resize(360, 900);
        window.show();
        window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        int numbers = 0, decimals = 0;
        for (const Node& node : std::vector<Node>(model.document().nodes)) {
            const QString id = QString::fromStdString(node.id);
            inspector.showNodes({id});
            QCoreApplication::processEvents();  // the new rows are laid out before they are clicked
            const LayerType* type = findLayerType(node.op);
            QVERIFY(type);
            for (const ParamSchema& s : type->params) {
                const QString name = QString::fromStdString(s.name);
                QWidget* editor = inspector.editor(name);
                QVERIFY2(editor, qPrintable(id + "." + name));
                const std::size_t eq = s.appliesWhen.find('=');
                if (!editor->isEnabled() && !s.appliesWhen.empty() && eq == std::string::npos) {
                    // its Bool was switched off above: on again
                    auto* guard = qobject_cast<QCheckBox*>(inspector.editor(QString::fromStdString(s.appliesWhen)));
                    QVERIFY2(guard && !guard->isChecked(), qPrintable(id + "." + name));
                    guard->setFocus(Qt::TabFocusReason);
                    QTest::keyClick(guard, Qt::Key_Space);
                    editor = inspector.editor(name);
                } else if (!editor->isEnabled() && eq != std::string::npos) {
                    // its Choice has another value (padding=explicit): choose that one with keys
                    auto* guard = qobject_cast<QComboBox*>(inspector.editor(QString::fromStdString(s.appliesWhen.substr(0, eq))));
                    const QString wanted = QString::fromStdString(s.appliesWhen.substr(eq + 1));
                    QVERIFY2(guard && guard->findText(wanted) >= 0, qPrintable(id + "." + name));
                    guard->setFocus(Qt::TabFocusReason);
                    QTRY_VERIFY_WITH_TIMEOUT(guard->hasFocus(), test::kSlowWaitMs);
                    while (guard->currentText() != wanted)
                        QTest::keyClick(guard, guard->currentIndex() < guard->findText(wanted) ? Qt::Key_Down : Qt::Key_Up);
                    editor = inspector.editor(name);
                    QVERIFY2(editor->isEnabled(), qPrintable(id + "." + name));
                }
                if (!editor->isEnabled()) {  // "auto": leave it with a click, as a user does
                    auto* autoBox = editor->parentWidget()->findChild<QCheckBox*>();
                    QVERIFY2(autoBox && autoBox->isChecked(), qPrintable(id + "." + name));
                    QTest::mouseClick(autoBox, Qt::LeftButton);
                    editor = inspector.editor(name);
                    QVERIFY2(editor->isEnabled(), qPrintable(id + "." + name));
                }
                const auto held = [&] {
                    const auto& params = model.node(id)->params;
                    const auto it = params.find(s.name);
                    return it != params.end() ? it->second : s.defaultValue;
                };
                if (auto* d = qobject_cast<QDoubleSpinBox*>(editor)) {
                    for (const QString& text : decimalsFor(d)) {
                        typeInto(d, text);
                        QVERIFY2(held() == ParamValue(typedValue(text)),
                                 qPrintable(QString("%1.%2: typed %3, holds %4").arg(id, name, text,
                                                                                      QString::fromStdString(toString(held())))));
                        ++decimals;
                    }
                } else if (auto* i = qobject_cast<QSpinBox*>(editor)) {
                    for (const QString& text : integersFor(i)) {
                        typeInto(i, text);
                        QVERIFY2(held() == ParamValue(int64_t{text.toLongLong()}), qPrintable(id + "." + name));
                        ++numbers;
                    }
                } else if (auto* c = qobject_cast<QComboBox*>(editor)) {
                    stepCombo(c);
                    QCOMPARE(held(), ParamValue(c->currentText().toStdString()));
                } else if (auto* b = qobject_cast<QCheckBox*>(editor)) {
                    const bool was = b->isChecked();
                    b->setFocus(Qt::TabFocusReason);
                    QTest::keyClick(b, Qt::Key_Space);
                    QCOMPARE(held(), ParamValue(!was));
                } else if (auto* e = qobject_cast<QLineEdit*>(editor)) {  // a list of integers
                    const int n = std::max(s.listLength, 1);
                    std::vector<int64_t> want(static_cast<std::size_t>(n), std::isfinite(s.min) ? int64_t(s.min) + 4 : 4);
                    QStringList parts;
                    for (int64_t v : want) parts << QString::number(v);
                    typeInto(e, parts.join(", "));
                    QCOMPARE(held(), ParamValue(want));
                }
            }
            auto* nameEdit = inspector.findChild<QLineEdit*>("layerName");
            QVERIFY(nameEdit);
            typeInto(nameEdit, id + "_renamed");
            QVERIFY2(model.node(id + "_renamed"), qPrintable(id + " -> " + nameEdit->text() + ", shown " + inspector.nodeId()));
        }
        QVERIFY(numbers > 0);
        QVERIFY(decimals >= 4);  // BatchNorm's epsilon and momentum, Dropout's rate, alphas
    }

    // A wheel turn over a field without the focus leaves its value alone and goes on to what
    // holds it (the settings column scrolls); with the focus, the field takes it.
    void wheelOnlyChangesFocusedFields() {
        Studio studio;
        GraphModel& model = studio.model;
        TrainingWorkspace& workspace = studio.workspace;
        QVERIFY(QTest::qWaitForWindowActive(&workspace));
        const std::string before = projectToJson(model.document());
        int turned = 0;
        for (QWidget* w : workspace.settings()->findChildren<QWidget*>()) {
            if (!qobject_cast<QAbstractSpinBox*>(w) && !qobject_cast<QComboBox*>(w)) continue;
            QVERIFY2(w->focusPolicy() != Qt::WheelFocus, qPrintable(w->objectName()));
            if (QWidget* focused = QApplication::focusWidget()) focused->clearFocus();
            QVERIFY(!w->hasFocus());
            const QPointF at(w->width() / 2.0, w->height() / 2.0);
            QWheelEvent wheel(at, w->mapToGlobal(at), QPoint(), QPoint(0, 120), Qt::NoButton, Qt::NoModifier,
                              Qt::NoScrollPhase, false);
            QApplication::sendEvent(w, &wheel);
            QVERIFY2(!wheel.isAccepted(), qPrintable(w->objectName()));  // left to the scroll area
            ++turned;
        }
        QCOMPARE(projectToJson(model.document()), before);
        QVERIFY(turned >= 30);

        // With the focus the field takes the wheel: one step up.
        QSpinBox* epochs = workspace.settings()->epochsEditor();
        const int value = epochs->value();
        epochs->setFocus();
        QTRY_VERIFY_WITH_TIMEOUT(epochs->hasFocus(), test::kSlowWaitMs);
        QWheelEvent wheel(QPointF(5, 5), epochs->mapToGlobal(QPointF(5, 5)), QPoint(), QPoint(0, 120), Qt::NoButton,
                          Qt::NoModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(epochs, &wheel);
        QCOMPARE(epochs->value(), value + 1);
        QCOMPARE(model.document().training.epochs, value + 1);
    }

    // The inspector's fields take the wheel only when focused, too (one guard for the application).
    void inspectorIgnoresStrayWheel() {
        GraphModel model;
        QUndoStack undo;
        model.setDocument(everyLayer());
        Inspector inspector(&model, &undo);
        inspector.show();
        int turned = 0;
        for (const Node& node : model.document().nodes) {
            inspector.showNodes({QString::fromStdString(node.id)});
            for (QWidget* w : inspector.findChildren<QWidget*>()) {
                if (!qobject_cast<QAbstractSpinBox*>(w) && !qobject_cast<QComboBox*>(w)) continue;
                const QPointF at(w->width() / 2.0, w->height() / 2.0);
                QWheelEvent wheel(at, w->mapToGlobal(at), QPoint(), QPoint(0, -120), Qt::NoButton, Qt::NoModifier,
                                  Qt::NoScrollPhase, false);
                QApplication::sendEvent(w, &wheel);
                QVERIFY(!wheel.isAccepted());
                ++turned;
            }
        }
        QVERIFY(turned > 5);
        QVERIFY(!undo.canUndo());  // no parameter changed
    }

    // At 1280x720 the settings column shows every field whole: no sideways scrolling, every
    // field inside the viewport's width, and the pane cannot be made narrower than that.
    void columnFitsItsPane() {
        Studio studio;
        TrainingWorkspace& workspace = studio.workspace;
        QVERIFY(QTest::qWaitForWindowExposed(&workspace));
        QScrollArea* area = workspace.settingsArea();
        for (const QList<int>& sizes : {QList<int>{0, 1280}, QList<int>{380, 900}, QList<int>{2000, 800}}) {
            workspace.setSizes(sizes);
            QCoreApplication::processEvents();
            const int viewport = area->viewport()->width();
            QVERIFY2(workspace.settings()->width() <= viewport,
                     qPrintable(QString("settings %1 wide in a %2 px viewport").arg(workspace.settings()->width()).arg(viewport)));
            QCOMPARE(area->horizontalScrollBar()->maximum(), 0);
            for (QWidget* w : editableFields(workspace.settings())) {
                const QRect r(w->mapTo(workspace.settings(), QPoint(0, 0)), w->size());
                QVERIFY2(r.left() >= 0 && r.right() < viewport,
                         qPrintable(QString("%1 spans %2..%3 of %4").arg(w->objectName()).arg(r.left()).arg(r.right()).arg(viewport)));
            }
        }
    }

    // What a field does and its range, for every setting.
    void everySettingExplainsItself() {
        GraphModel model;
        QUndoStack undo;
        TrainingSettings settings(&model, &undo);
        for (QWidget* w : editableFields(&settings)) {
            QVERIFY2(w->toolTip().size() > 20, qPrintable(w->objectName()));
            if (qobject_cast<QAbstractSpinBox*>(w))
                QVERIFY2(w->toolTip().contains("Range: "), qPrintable(w->objectName() + ": " + w->toolTip()));
        }
        QVERIFY(settings.lrEditor()->toolTip().contains("Range: 0 to 10"));
    }

    // Playground's data controls on a synthetic source: each one rewrites its part of the spec
    // (other parameters kept), one undo step each, and the box hides for other sources.
    void syntheticDataControls() {
        GraphModel model;
        QUndoStack undo;
        TrainingSettings settings(&model, &undo);
        ProjectDocument doc;
        doc.data.source = "synthetic:circles?samples=400&factor=0.3&seed=3";
        model.setDocument(doc);
        settings.resize(420, 900);
        settings.show();
        QVERIFY(QTest::qWaitForWindowExposed(&settings));
        SyntheticEditor* e = settings.syntheticEditor();
        QVERIFY(settings.syntheticBox()->isVisible());
        QCOMPARE(e->setEditor()->currentData().toString(), QString("circles"));
        QCOMPARE(e->samplesEditor()->value(), 400);
        QCOMPARE(e->noiseEditor()->value(), 17);  // circles' default 0.05 of 0.3

        e->ratioEditor()->setValue(20);
        QCOMPARE(savedValue(model, "data.source").toString(), QString("synthetic:circles?samples=400&factor=0.3&seed=3&ratio=0.2"));
        e->noiseEditor()->setValue(50);
        QCOMPARE(savedValue(model, "data.source").toString(),
                 QString("synthetic:circles?samples=400&factor=0.3&seed=3&ratio=0.2&noise=0.15"));
        QTest::mouseClick(e->regenerateButton(), Qt::LeftButton);
        QVERIFY(savedValue(model, "data.source").toString().contains("seed=4"));
        typeInto(e->samplesEditor(), "250");
        QVERIFY(savedValue(model, "data.source").toString().contains("samples=250"));
        // Another set: its own noise and no factor; samples, seed and the ratio carry over.
        e->setEditor()->setFocus();
        e->setEditor()->setCurrentIndex(e->setEditor()->findData("xor"));
        emit e->setEditor()->activated(e->setEditor()->currentIndex());
        QCOMPARE(savedValue(model, "data.source").toString(), QString("synthetic:xor?samples=250&seed=4&ratio=0.2"));
        QCOMPARE(e->noiseEditor()->value(), 20);  // XOR's default 0.1 of 0.5
        // The spiral has three classes: no class-1 share, and none carried over.
        e->setEditor()->setCurrentIndex(e->setEditor()->findData("spiral"));
        emit e->setEditor()->activated(e->setEditor()->currentIndex());
        QCOMPARE(savedValue(model, "data.source").toString(), QString("synthetic:spiral?samples=250&seed=4"));
        QVERIFY(!e->ratioEditor()->isEnabled());
        // One undo step per control (two picks of the set in a row are one): back to the circles.
        undo.undo();
        QCOMPARE(savedValue(model, "data.source").toString(),
                 QString("synthetic:circles?samples=250&factor=0.3&seed=4&ratio=0.2&noise=0.15"));
        QCOMPARE(e->setEditor()->currentData().toString(), QString("circles"));
        undo.undo();
        QVERIFY(savedValue(model, "data.source").toString().contains("samples=400"));
        // Every control explains itself, and the box hides for data that is not a synthetic 2-D set.
        for (QWidget* w : e->findChildren<QWidget*>())
            if (qobject_cast<QSlider*>(w) || qobject_cast<QComboBox*>(w) || qobject_cast<QSpinBox*>(w))
                QVERIFY2(w->toolTip().size() > 20, w->metaObject()->className());
        typeInto(settings.sourceEditor(), "builtin:iris");
        QVERIFY(!settings.syntheticBox()->isVisible());
        typeInto(settings.sourceEditor(), "synthetic:blobs?classes=4");
        QVERIFY(!settings.syntheticBox()->isVisible());
        QCOMPARE(SyntheticSpec::parse("csv:x.csv").name, QString());
        QCOMPARE(SyntheticSpec::parse("synthetic:moons").text(), QString("synthetic:moons"));
    }

    // Scientific notation and the shortest exact text, for both precisions.
    void numberText_data() {
        QTest::addColumn<double>("value");
        QTest::addColumn<bool>("single");
        QTest::addColumn<QString>("text");
        QTest::newRow("lr float") << double(0.05f) << true << "0.05";
        QTest::newRow("1e-3 float") << double(1e-3f) << true << "0.001";
        QTest::newRow("1e-7 float") << double(1e-7f) << true << "1e-07";
        QTest::newRow("epsilon") << 1e-5 << false << "1e-05";
        QTest::newRow("split") << 0.1 << false << "0.1";
        QTest::newRow("stepped split") << 0.1 + 0.05 << false << "0.15";
        QTest::newRow("whole") << 180.0 << true << "180";
        QTest::newRow("mixed") << 12.5 << true << "12.5";
        QTest::newRow("zero") << 0.0 << true << "0";
        QTest::newRow("negative") << -0.25 << false << "-0.25";
        QTest::newRow("large") << 1e9 << false << "1e+09";
    }
    void numberText() {
        QFETCH(double, value);
        QFETCH(bool, single);
        QFETCH(QString, text);
        QCOMPARE(NumberField::shortest(value, single ? NumberField::Storage::Float : NumberField::Storage::Double), text);
    }

    // During a run the settings are disabled with a hint; they come back when it ends.
    void settingsWaitForTheRun() {
        GraphModel model;
        QUndoStack undo;
        ProjectDocument doc = loadProject(test::sourceDir() + "/resources/examples/spiral.neurite.json", nullptr);
        doc.training.epochs = 200;
        doc.training.threads = 1;
        model.setDocument(doc);
        TrainingWorkspace workspace(&model, &undo);
        workspace.panel()->setProjectSource([&model](QString*) { return std::optional<ProjectDocument>(model.document()); });
        workspace.show();
        workspace.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&workspace));
        QLabel* hint = workspace.runHint();
        QVERIFY(hint && !hint->isVisible());
        QVERIFY(workspace.settings()->lrEditor()->isEnabled());
        workspace.panel()->startTraining();
        QVERIFY(workspace.panel()->controller().running());
        QVERIFY(!workspace.settings()->lrEditor()->isEnabled());
        QVERIFY(hint->isVisible());
        // Paused: the learning rate (and batch size, L2) may change for the next steps; the rest
        // waits for the next run. The run applies the typed value and says so.
        workspace.panel()->pauseAction()->trigger();
        QVERIFY(workspace.panel()->controller().paused());
        QVERIFY(workspace.settings()->lrEditor()->isEnabled());
        QVERIFY(!workspace.settings()->epochsEditor()->isEnabled());
        QVERIFY(!workspace.settings()->sourceEditor()->isEnabled());
        QVERIFY(hint->text().contains("paused"));
        typeInto(workspace.settings()->lrEditor(), "0.05");
        QCOMPARE(savedValue(model, "training.optimizer.lr").toDouble(), 0.05);
        QTRY_VERIFY_WITH_TIMEOUT(workspace.panel()->statusText().contains("learning rate 0.01 → 0.05"), 10000);
        workspace.panel()->pauseAction()->trigger();  // resume: everything locked again
        QVERIFY(!workspace.settings()->lrEditor()->isEnabled());
        workspace.panel()->stopAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(!workspace.panel()->controller().running(), 60000);
        QVERIFY(workspace.settings()->lrEditor()->isEnabled());
        QVERIFY(workspace.settings()->epochsEditor()->isEnabled());  // unlocked after the pause
        QVERIFY(!hint->isVisible());
    }

    // Playground's "click to add data": a click on the decision map adds a point of the chosen
    // class to the project (one undo step), Shift+click on a training point removes it, Clear
    // drops all; nothing is edited while a run trains or when a lesson locks the points.
    void clicksOnTheMapEditPoints() {
        GraphModel model;
        QUndoStack undo;
        ProjectDocument doc = loadProject(test::sourceDir() + "/resources/examples/spiral.neurite.json", nullptr);
        doc.data.source = "synthetic:xor?samples=200&seed=3";
        doc.training.epochs = 1;
        doc.training.threads = 1;
        model.setDocument(doc);
        TrainingWorkspace workspace(&model, &undo);
        workspace.panel()->setProjectSource([&model](QString*) { return std::optional<ProjectDocument>(model.document()); });
        workspace.resize(1280, 720);
        workspace.show();
        QVERIFY(QTest::qWaitForWindowExposed(&workspace));
        QSignalSpy finished(workspace.panel(), &TrainingPanel::runFinished);
        workspace.panel()->startTraining();
        QVERIFY(finished.wait(test::kSlowWaitMs));
        QTRY_VERIFY_WITH_TIMEOUT(!workspace.panel()->controller().running(), test::kSlowWaitMs);
        plot::DecisionPlot* map = workspace.panel()->decisionPlot();
        QVERIFY(map->isVisible() && map->pointCount() > 0);
        PointEditBar* bar = workspace.panel()->pointEditBar();
        QVERIFY(bar->isVisible());
        QCOMPARE(bar->classChooser()->count(), 2);
        bar->classChooser()->setCurrentIndex(1);
        QCustomPlot* plot = map->customPlot();
        const QPoint centre = plot->axisRect()->rect().center();
        QTest::mouseClick(plot, Qt::LeftButton, {}, centre);
        const PointEdits& points = model.document().data.points;
        QCOMPARE(points.add.size(), std::size_t(1));
        QCOMPARE(points.add[0].label, 1);
        QCOMPARE(points.add[0].x, plot->xAxis->pixelToCoord(centre.x()));
        QCOMPARE(bar->countText(), QString("1 added, 0 removed"));
        QVERIFY(workspace.panel()->statusText().contains("Point added"));
        QCOMPARE(undo.undoText(), QString("Change add a point"));
        // Shift+click on a training point leaves it out of the next run's training split.
        const double px = map->points().x[0], py = map->points().y[0];
        const QPoint at(static_cast<int>(std::lround(plot->xAxis->coordToPixel(px))),
                        static_cast<int>(std::lround(plot->yAxis->coordToPixel(py))));
        QTest::mouseClick(plot, Qt::LeftButton, Qt::ShiftModifier, at);
        QCOMPARE(points.remove.size(), std::size_t(1));
        QCOMPARE(static_cast<float>(points.remove[0].x), static_cast<float>(px));
        QCOMPARE(bar->countText(), QString("1 added, 1 removed"));
        undo.undo();
        QCOMPARE(model.document().data.points.remove.size(), std::size_t(0));
        QCOMPARE(bar->countText(), QString("1 added, 0 removed"));
        QTest::mouseClick(bar->clearButton(), Qt::LeftButton);
        QVERIFY(model.document().data.points.empty());
        QVERIFY(!bar->clearButton()->isEnabled());
        // A lesson that locks the points: clicks say so and change nothing.
        workspace.settings()->setLockedKeys({QStringLiteral("data.points")});
        QTest::mouseClick(plot, Qt::LeftButton, {}, centre);
        QVERIFY(model.document().data.points.empty());
        QVERIFY(workspace.panel()->statusText().contains("lesson"));
        workspace.settings()->setLockedKeys({});
        // While a run trains, clicks wait for it.
        ProjectDocument longer = model.document();
        longer.training.epochs = 100000;  // far longer than the test: still running when clicked
        workspace.panel()->setProjectSource([longer](QString*) { return std::optional<ProjectDocument>(longer); });
        workspace.panel()->startTraining();
        QTRY_VERIFY_WITH_TIMEOUT(workspace.panel()->controller().running() && map->isVisible(), 10000);
        QTest::mouseClick(plot, Qt::LeftButton, {}, centre);
        QVERIFY(model.document().data.points.empty());
        QVERIFY(workspace.panel()->statusText().contains("stop this run first"));
        workspace.panel()->stopAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(!workspace.panel()->controller().running(), test::kSlowWaitMs);
    }
};

QTEST_MAIN(TestTrainingSettings)
#include "test_training_settings.moc"
