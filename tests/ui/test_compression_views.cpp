// The studio's compression views as a user meets them. The Training tab's Pruning group keeps
// its schedule valid while it is edited with real key events (a begin step past the end moves
// the end, an initial sparsity above the final one raises it) and every edit undoes; the
// Summary tab's Pruned column shows the last run's sparsity per layer and empties when another
// project opens; Compare variants measures a stored run and its pruned branch on a worker, fills
// the table and the plot (the branch compacted: its parameters after removal), and Export opens
// for the selected row.
#include <QCheckBox>
#include <QDialog>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>

#include "designer/graph_model.h"
#include "designer/summary_model.h"
#include "number_field.h"
#include "runs/variants_dialog.h"
#include "support/cli_runner.h"
#include "support/test_env.h"
#include "training/training_settings.h"
#include "variants_plot.h"

using namespace neurite;
using neurite::test::Result;
using neurite::test::runCli;
using neurite::test::writeFile;

namespace {

void typeInto(QWidget* field, const QString& text) {
    field->setFocus(Qt::TabFocusReason);
    QTRY_VERIFY_WITH_TIMEOUT(field->hasFocus(), test::kSlowWaitMs);
    QTest::keyClick(field, Qt::Key_A, Qt::ControlModifier);
    QTest::keyClicks(field, text);
    QTest::keyClick(field, Qt::Key_Tab);
}

template <class W> W* field(QWidget& root, const char* key) {
    W* w = root.findChild<W*>(QLatin1String(key));
    if (!w) qFatal("no field %s", key);
    return w;
}

const QByteArray kProject = R"({"format": "neurite-project", "version": 1, "name": "p",
    "data": {"source": "synthetic:spiral?samples=600&classes=3&noise=0.1&seed=3",
             "validation_split": 0.2, "test_split": 0.2},
    "model": {"nodes": [
        {"id": "input", "op": "Input"},
        {"id": "fc1", "op": "Dense", "params": {"units": 32}, "inputs": ["input"]},
        {"id": "act1", "op": "ReLU", "inputs": ["fc1"]},
        {"id": "out", "op": "Dense", "params": {"units": "auto"}, "inputs": ["act1"]}]},
    "training": {"epochs": 20, "batch_size": 32, "seed": 5, "threads": 1,
                 "optimizer": {"type": "adam", "lr": 0.01}%1}})";

}  // namespace

class TestCompressionViews : public QObject {
    Q_OBJECT

private slots:
    void pruningScheduleStaysValidAndUndoes() {
        GraphModel model;
        QUndoStack undo;
        model.setDocument(parseProject(QString(kProject).arg("").toStdString(), "p.neurite.json", nullptr));
        TrainingSettings settings(&model, &undo);
        settings.resize(420, 900);
        settings.show();
        QVERIFY(QTest::qWaitForWindowExposed(&settings));
        auto* prune = field<QCheckBox>(settings, "training.pruning.enabled");
        prune->setFocus();
        QTest::keyClick(prune, Qt::Key_Space);
        QVERIFY(model.document().training.pruning.enabled);
        typeInto(field<QSpinBox>(settings, "training.pruning.end_step"), "500");
        typeInto(field<QSpinBox>(settings, "training.pruning.begin_step"), "800");
        QCOMPARE(model.document().training.pruning.beginStep, int64_t{800});
        QCOMPARE(model.document().training.pruning.endStep, int64_t{800});  // moved along
        QCOMPARE(field<QSpinBox>(settings, "training.pruning.end_step")->value(), 800);
        typeInto(field<NumberField>(settings, "training.pruning.initial_sparsity"), "0.7");
        QCOMPARE(model.document().training.pruning.initialSparsity, 0.7f);
        QCOMPARE(model.document().training.pruning.finalSparsity, 0.7f);  // raised to it
        auto* qat = field<QCheckBox>(settings, "training.quantization_aware.enabled");
        qat->setFocus();
        QTest::keyClick(qat, Qt::Key_Space);
        QVERIFY(model.document().training.quantAware.enabled);
        // The saved project reads back with the same settings.
        const ProjectDocument back = parseProject(projectToJson(model.document()), "p.neurite.json", nullptr);
        QVERIFY(back.training.pruning == model.document().training.pruning);
        QVERIFY(back.training.quantAware == model.document().training.quantAware);
        while (undo.canUndo()) undo.undo();
        QVERIFY(model.document().training.pruning == PruningConfig{});
        QVERIFY(!model.document().training.quantAware.enabled);
        QVERIFY(!prune->isChecked());
    }

    void theSummaryShowsTheLastRunsSparsity() {
        GraphModel model;
        model.setDocument(parseProject(QString(kProject).arg("").toStdString(), "p.neurite.json", nullptr));
        SummaryModel summary(&model);
        const auto row = [&](const QString& id) {
            for (int r = 0; r < summary.rowCount(); ++r)
                if (summary.nodeAt(r) == id) return r;
            return -1;
        };
        QCOMPARE(summary.headerData(SummaryModel::Sparsity, Qt::Horizontal, Qt::DisplayRole).toString(), QString("Pruned"));
        QCOMPARE(summary.index(row("fc1"), SummaryModel::Sparsity).data().toString(), QString());
        model.setSparsity({{"fc1", 64, 32, 32, 16}, {"out", 99, 10, 3, 0}});
        QCOMPARE(summary.index(row("fc1"), SummaryModel::Sparsity).data().toString(),
                 QLocale().toString(50.0, 'f', 1) + "%, 16 of 32 units");
        QCOMPARE(summary.index(row("out"), SummaryModel::Sparsity).data().toString(), QLocale().toString(10.1, 'f', 1) + "%");
        QCOMPARE(summary.index(row("act1"), SummaryModel::Sparsity).data().toString(), QString());
        model.setDocument(parseProject(QString(kProject).arg("").toStdString(), "p.neurite.json", nullptr));
        QVERIFY(model.sparsity().empty());
        QCOMPARE(summary.index(row("fc1"), SummaryModel::Sparsity).data().toString(), QString());
    }

    void compareVariantsMeasuresTheRunAndItsBranch() {
        QTemporaryDir dir;
        const QString db = dir.filePath("runs.db");
        Result base = runCli({"train", writeFile(dir, "base.neurite.json", QString(kProject).arg("").toUtf8()), "--db", db});
        QVERIFY2(base.code == 0, base.err.constData());
        const QByteArray pruned = QString(kProject).arg(R"(, "pruning": {"structure": "structured", "final_sparsity": 0.5})").toUtf8();
        Result branch = runCli({"train", writeFile(dir, "pruned.neurite.json", pruned), "--branch", "1:20", "--epochs", "25", "--db", db});
        QVERIFY2(branch.code == 0, branch.err.constData());

        VariantsDialog dialog(db, 1);
        QSignalSpy measured(&dialog, &VariantsDialog::measured);
        dialog.show();
        QVERIFY(measured.wait(120000));
        QTableWidget* table = dialog.table();
        QCOMPARE(table->rowCount(), 4);
        QCOMPARE(table->item(0, 1)->text(), QString("the run"));
        QCOMPARE(table->item(0, 2)->text(), QString("float"));
        QCOMPARE(table->item(1, 2)->text(), QString("int8"));
        QCOMPARE(table->item(2, 1)->text(), QString("branched after epoch 20"));
        // fc1 32 -> 16 units: 2*16 + 16 + 16*3 + 3 parameters.
        QCOMPARE(table->item(2, 4)->text(), QLocale().toString(99));
        QVERIFY(table->item(2, 11)->text().contains("pruned structured 50%"));
        QVERIFY(table->item(0, 10)->text().startsWith("accuracy 0."));
        QCOMPARE(dialog.plot()->points().size(), 4);
        QVERIFY(!dialog.busy());
        auto* exportButton = [&] {
            for (QPushButton* b : dialog.findChildren<QPushButton*>())
                if (b->text().startsWith("Export")) return b;
            return static_cast<QPushButton*>(nullptr);
        }();
        QVERIFY(exportButton && !exportButton->isEnabled());
        table->selectRow(2);
        QVERIFY(exportButton->isEnabled());
        // An unknown run says so in the dialog instead of failing silently.
        VariantsDialog missing(db, 99);
        QSignalSpy failed(&missing, &VariantsDialog::measured);
        QVERIFY(failed.wait(60000));
        QCOMPARE(missing.table()->rowCount(), 0);
    }
};

QTEST_MAIN(TestCompressionViews)
#include "test_compression_views.moc"
