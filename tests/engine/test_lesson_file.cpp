// Lesson files (config/lesson_config.h, io/project_lesson.cpp): a lesson section reads and
// writes back as it was; a broken one is refused with a message naming the field; every lesson
// of the gallery (resources/examples/lessons) opens, has a title and steps, and trains.
#include <QDir>
#include <QtTest>

#include "core/error.h"
#include "core/paths.h"
#include "io/project.h"
#include "run/run_setup.h"
#include "support/test_env.h"
#include "train/trainer.h"

using namespace neurite;

namespace {

std::string project(const std::string& lesson) {
    return R"({"format": "neurite-project", "version": 1, "name": "l",
        "data": {"source": "synthetic:xor?samples=200"},
        "model": {"nodes": [{"id": "input", "op": "Input"},
                            {"id": "out", "op": "Dense", "params": {"units": "auto"}, "inputs": ["input"]}]},
        "lesson": )" + lesson + "}";
}

QString refusal(const std::string& lesson) {
    try {
        parseProject(project(lesson), "lesson.neurite.json", nullptr);
    } catch (const Error& e) {
        return e.kind() == ErrorKind::BadInput ? QString(e.what()) : "wrong kind: " + QString(e.what());
    }
    return "no error";
}

}  // namespace

class TestLessonFile : public QObject {
    Q_OBJECT
private slots:
    void roundTrip() {
        const ProjectDocument doc = parseProject(project(R"({"title": "XOR", "hide": ["runs", "palette"],
            "lock": ["network", "training.optimizer.lr"],
            "steps": [{"title": "One neuron", "text": "Press **Step**."}, {"text": "Now add a layer."}]})"),
                                                 "x", nullptr);
        QVERIFY(doc.lesson);
        QCOMPARE(doc.lesson->title, std::string("XOR"));
        QCOMPARE(doc.lesson->hide, (std::vector<std::string>{"runs", "palette"}));
        QCOMPARE(doc.lesson->lock, (std::vector<std::string>{"network", "training.optimizer.lr"}));
        QCOMPARE(doc.lesson->steps.size(), std::size_t(2));
        QCOMPARE(doc.lesson->steps[0].title, std::string("One neuron"));
        QCOMPARE(doc.lesson->steps[1].text, std::string("Now add a layer."));
        const ProjectDocument again = parseProject(projectToJson(doc), "y", nullptr);
        QVERIFY(again.lesson);
        QCOMPARE(again.lesson->hide, doc.lesson->hide);
        QCOMPARE(again.lesson->steps[0].text, doc.lesson->steps[0].text);
        QCOMPARE(projectToJson(again), projectToJson(doc));
        // No section, no lesson; an empty one is a lesson with nothing hidden.
        const ProjectDocument plain = parseProject(project("{}"), "z", nullptr);
        QVERIFY(plain.lesson && plain.lesson->hide.empty());
    }

    void brokenLessonsNameTheField_data() {
        QTest::addColumn<QString>("lesson");
        QTest::addColumn<QString>("expected");
        QTest::newRow("not an object") << "[1]" << "$.lesson: expected an object, got a list";
        QTest::newRow("unknown panel") << R"({"hide": ["runs", "runz"]})"
                                       << "$.lesson.hide[1]: unknown panel \"runz\" (did you mean \"runs\"?)";
        QTest::newRow("hide not a list") << R"({"hide": "runs"})" << "$.lesson.hide: must be a list of panel names";
        QTest::newRow("panel twice") << R"({"hide": ["json", "json"]})" << "$.lesson.hide[1]: \"json\" is listed twice";
        QTest::newRow("unknown lock") << R"({"lock": ["training.lr"]})" << "$.lesson.lock[0]: unknown lockable setting";
        QTest::newRow("lock a number") << R"({"lock": [3]})" << "$.lesson.lock[0]: must be a lockable setting name";
        QTest::newRow("step without text") << R"({"steps": [{"title": "a"}]})" << "$.lesson.steps[0].text: missing";
        QTest::newRow("empty text") << R"({"steps": [{"text": "ok"}, {"text": ""}]})" << "$.lesson.steps[1].text: missing";
        QTest::newRow("step not an object") << R"({"steps": ["hello"]})" << "$.lesson.steps[0]: expected an object";
        QTest::newRow("steps not a list") << R"({"steps": {"text": "a"}})" << "$.lesson.steps: must be a list";
        QTest::newRow("title a number") << R"({"title": 5})" << "$.lesson.title";
        QStringList many;
        for (int i = 0; i < 101; ++i) many << R"({"text": "x"})";
        QTest::newRow("too many steps") << R"({"steps": [)" + many.join(",") + "]}" << "$.lesson.steps: has 101 steps";
    }
    void brokenLessonsNameTheField() {
        QFETCH(QString, lesson);
        QFETCH(QString, expected);
        const QString error = refusal(lesson.toStdString());
        QVERIFY2(error.contains(expected), qPrintable(error));
        QVERIFY2(error.startsWith("lesson.neurite.json: "), qPrintable(error));
    }

    // The gallery: each lesson opens, says what it is, and trains (one epoch each here).
    void galleryLessonsOpenAndTrain() {
        const QDir dir(QString::fromStdString(test::sourceDir()) + "/resources/examples/lessons");
        const QStringList files = dir.entryList({"*.neurite.json"}, QDir::Files, QDir::Name);
        QVERIFY2(files.size() >= 7, qPrintable(files.join(", ")));
        for (const QString& f : files) {
            std::vector<std::string> warnings;
            ProjectDocument doc = loadProject(dir.filePath(f).toStdString(), &warnings);
            QVERIFY2(warnings.empty(), qPrintable(f + ": " + (warnings.empty() ? QString() : QString::fromStdString(warnings.front()))));
            QVERIFY2(doc.lesson && !doc.lesson->title.empty() && doc.lesson->steps.size() >= 2, qPrintable(f));
            QVERIFY2(doc.data.source.rfind("synthetic:", 0) == 0 || doc.data.source.rfind("builtin:", 0) == 0, qPrintable(f));
            if (doc.data.source.rfind("builtin:fashion-mnist", 0) == 0 && !QDir("/usr/share/datasets/fashion-mnist").exists())
                continue;
            doc.training.epochs = 1;
            doc.training.maxSteps = 5;
            doc.training.threads = 1;
            RunSetup s = prepareRun(doc);
            Trainer trainer(*s.model, s.data, s.project.training);
            struct Quiet : TrainObserver {} quiet;
            StopToken stop;
            const FinishedEvent fin = trainer.run(quiet, stop);
            QVERIFY2(fin.epochs == 1, qPrintable(f));
        }
    }
};

QTEST_GUILESS_MAIN(TestLessonFile)
#include "test_lesson_file.moc"
