// neurite-cli experiment as users script it: the bundled grid with 3-fold cross-validation runs,
// records every fold under its trial, and its fold scores equal `train --folds` run one by one;
// JSON events carry the trial and its parameters; bad definitions exit 2 naming the file and
// the entry; an experiment killed with SIGKILL resumes without re-running finished trials, the
// store passes PRAGMA integrity_check, and the final table equals an uninterrupted run's.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <fstream>
#include <set>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "experiment_store.h"
#include "run_store.h"
#include "support/test_env.h"

using namespace neurite;

namespace {

struct Result {
    int code = -1;
    QByteArray out, err;
};

Result runCli(const QStringList& args) {
    QProcess p;
    p.start(qEnvironmentVariable("NEURITE_CLI"), args);
    p.waitForFinished(300000);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
            p.readAllStandardError()};
}

std::vector<QJsonObject> events(const QByteArray& out, const QString& kind) {
    std::vector<QJsonObject> found;
    for (const QByteArray& line : out.split('\n')) {
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        if (o["event"].toString() == kind) found.push_back(o);
    }
    return found;
}

QString examples() { return QString::fromStdString(test::sourceDir()) + "/resources/examples/"; }

// A sweep over the spiral's learning rate, slow enough to be killed in the middle.
QString writeSpiralSweep(const QString& dir) {
    std::ifstream in((examples() + "spiral.neurite.json").toStdString());
    nlohmann::json project = nlohmann::json::parse(in);
    project["training"]["epochs"] = 25;
    const nlohmann::json def{
        {"format", "neurite-experiment"},
        {"version", 1},
        {"name", "spiral sweep"},
        {"project", project},
        {"parameters", nlohmann::json::array({{{"path", "training.optimizer.lr"},
                                               {"values", {0.002, 0.004, 0.006, 0.008, 0.01, 0.012, 0.014, 0.016}}}})},
        {"objective", {{"metric", "val_accuracy"}}}};
    const QString path = dir + "/spiral.experiment.json";
    std::ofstream(path.toStdString()) << def.dump(2);
    return path;
}

QJsonArray trialsOf(const QString& db, int id) {
    const Result r = runCli({"experiment", "show", QString::number(id), "--json", "--db", db});
    if (r.code != 0) qWarning("%s", r.err.constData());
    return QJsonDocument::fromJson(r.out).object()["trials"].toArray();
}

}  // namespace

class TestExperimentsCli : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private slots:
    void initTestCase() { QVERIFY(!qEnvironmentVariable("NEURITE_CLI").isEmpty()); }

    void gridWithFoldsEqualsTrainingsOneByOne() {
        const QString db = m_dir.filePath("grid.db");
        const Result r = runCli({"experiment", "run", examples() + "wine_lr_batch.experiment.json", "--json",
                                 "--threads", "1", "--db", db});
        QVERIFY2(r.code == 0, r.err.constData());
        QCOMPARE(events(r.out, "trial_started").size(), std::size_t{9});
        const auto finished = events(r.out, "finished");
        QCOMPARE(finished.size(), std::size_t{27});
        for (const QJsonObject& f : finished) {
            QCOMPARE(f["experiment_id"].toInt(), 1);
            QVERIFY(f["trial"].toInt() >= 1 && f["fold"].toInt() >= 1 && f["run_id"].toInt() >= 1);
            QVERIFY(f["params"].toObject().contains("training.batch_size"));
        }
        const auto done = events(r.out, "experiment_finished");
        QCOMPARE(done.size(), std::size_t{1});
        QCOMPARE(done[0]["status"].toString(), QString("completed"));
        const QJsonArray trials = trialsOf(db, 1);
        QCOMPARE(trials.size(), 9);
        // The best is the lowest mean validation loss.
        double lowest = 1e9;
        int lowestTrial = 0;
        for (const QJsonValue& t : trials)
            if (t["objective"].toDouble() < lowest) {
                lowest = t["objective"].toDouble();
                lowestTrial = t["trial"].toInt();
            }
        QCOMPARE(done[0]["best_trial"].toInt(), lowestTrial);
        // Its folds, and one other trial's, equal train --folds 3 with the same settings.
        for (int index : {lowestTrial - 1, 0}) {
            const QJsonObject t = trials[index].toObject();
            const QJsonObject params = t["params"].toObject();
            const Result one = runCli({"train", examples() + "wine.neurite.json", "--folds", "3", "--json",
                                       "--threads", "1", "--no-db", "--lr",
                                       QString::number(params["training.optimizer.lr"].toDouble(), 'g', 17),
                                       "--batch-size", QString::number(params["training.batch_size"].toInt())});
            QVERIFY2(one.code == 0, one.err.constData());
            const auto folds = events(one.out, "finished");
            QCOMPARE(folds.size(), std::size_t{3});
            const QJsonArray trainings = t["trainings"].toArray();
            for (int f = 0; f < 3; ++f) QCOMPARE(trainings[f].toDouble(), folds[std::size_t(f)]["val_loss"].toDouble());
        }
        // Every fold is a stored run of its experiment.
        const Result runs = runCli({"runs", "list", "--experiment", "1", "--json", "--db", db});
        QCOMPARE(runs.code, 0);
        QCOMPARE(QJsonDocument::fromJson(runs.out).array().size(), 27);
        const Result none = runCli({"runs", "list", "--experiment", "7", "--db", db});
        QCOMPARE(none.code, 2);
        QVERIFY(none.err.contains("no experiment 7"));
    }

    // train --folds is recorded: each fold a run of an experiment whose one trial holds the
    // folds' mean, and the printed fold scores are the stored ones.
    void trainFoldsAreRecorded() {
        const QString db = m_dir.filePath("folds.db");
        const Result r = runCli({"train", examples() + "wine.neurite.json", "--folds", "3", "--epochs", "4",
                                 "--threads", "1", "--db", db});
        QVERIFY2(r.code == 0, r.err.constData());
        const QJsonObject shown =
            QJsonDocument::fromJson(runCli({"experiment", "show", "1", "--json", "--db", db}).out).object();
        QCOMPARE(shown["name"].toString(), QString("Wine (3-fold cross-validation)"));
        const QJsonArray trials = shown["trials"].toArray();
        QCOMPARE(trials.size(), 1);
        QCOMPARE(trials[0]["run_ids"].toArray().size(), 3);
        const QJsonArray folds = trials[0]["trainings"].toArray();
        double mean = 0;
        for (int f = 0; f < 3; ++f) {
            const QString line = QString("fold %1/3: val_loss %2").arg(f + 1).arg(folds[f].toDouble(), 0, 'f', 4);
            QVERIFY2(r.out.contains(line.toUtf8()), qPrintable(line + "\n" + r.out));
            mean += folds[f].toDouble() / 3;
        }
        QCOMPARE(trials[0]["objective"].toDouble(), mean);

        // experiment delete: without --runs the runs stay as ordinary runs; with it they go.
        QCOMPARE(runCli({"train", examples() + "wine.neurite.json", "--folds", "2", "--epochs", "2",
                         "--threads", "1", "--db", db}).code, 0);
        auto runCount = [&] { return QJsonDocument::fromJson(runCli({"runs", "list", "--json", "--db", db}).out).array().size(); };
        QCOMPARE(runCount(), 5);
        const Result kept = runCli({"experiment", "delete", "1", "--db", db});
        QVERIFY2(kept.code == 0, kept.err.constData());
        QVERIFY(kept.err.contains("its runs stay"));
        QCOMPARE(runCount(), 5);
        QCOMPARE(runCli({"runs", "list", "--experiment", "1", "--db", db}).code, 2);
        const Result gone = runCli({"experiment", "delete", "2", "--runs", "--db", db});
        QVERIFY2(gone.code == 0, gone.err.constData());
        QVERIFY2(gone.err.contains("deleted with 2 run(s)"), gone.err.constData());
        QCOMPARE(runCount(), 3);
        const Result again = runCli({"experiment", "delete", "2", "--db", db});
        QCOMPARE(again.code, 2);
        QVERIFY2(again.err.startsWith("error: ") && again.err.contains("no experiment 2"), again.err.constData());
        {  // a running experiment (this process's) is refused, and stays
            storage::RunStore store(db.toStdString());
            storage::ExperimentStore experiments(store);
            const int64_t live = experiments.create("live", "{}", "live.experiment.json", 1);
            QVERIFY_THROWS_EXCEPTION(Error, experiments.remove(live));
            QVERIFY(experiments.experiment(live));
        }

        const Result none = runCli({"train", examples() + "wine.neurite.json", "--folds", "2", "--epochs", "1",
                                    "--no-db"});
        QCOMPARE(none.code, 0);
        QVERIFY(!none.err.contains("recording"));
    }

    void badDefinitionsExitTwoNamingFileAndEntry() {
        const QString path = m_dir.filePath("bad.experiment.json");
        const nlohmann::json bad{
            {"project", (examples() + "wine.neurite.json").toStdString()},
            {"parameters", nlohmann::json::array({{{"path", "training.optimizer.lr"}, {"values", {0.01}}},
                                                  {{"path", "model.nodes[fc1].params.unitz"}, {"values", {3}}}})}};
        std::ofstream(path.toStdString()) << bad.dump(2);
        const Result r = runCli({"experiment", "run", path, "--db", m_dir.filePath("bad.db")});
        QCOMPARE(r.code, 2);
        const QStringList lines = QString(r.err).trimmed().split('\n');
        QCOMPARE(lines.size(), 1);
        QVERIFY2(lines[0].startsWith("error: " + path + ": $.parameters[1]"), qPrintable(lines[0]));
        QVERIFY2(lines[0].contains("unitz"), qPrintable(lines[0]));
        QVERIFY(!QFile::exists(m_dir.filePath("bad.db")));  // a bad definition costs no database
        const Result missing = runCli({"experiment", "resume", "3", "--db", m_dir.filePath("grid.db")});
        QCOMPARE(missing.code, 2);
        QVERIFY(missing.err.contains("no experiment 3"));
    }

    void killedExperimentResumesWithoutRerunningFinishedTrials() {
        const QString sweep = writeSpiralSweep(m_dir.path());
        const QString db = m_dir.filePath("killed.db");
        QProcess p;
        p.start(qEnvironmentVariable("NEURITE_CLI"),
                {"experiment", "run", sweep, "--json", "--threads", "1", "--db", db});
        QVERIFY(p.waitForStarted());
        QByteArray out;
        // Killed once two trials are recorded (the trial event follows the store's commit).
        QElapsedTimer clock;
        clock.start();
        while (out.count("\"event\":\"trial\"") < 2 && clock.elapsed() < 120000) {
            p.waitForReadyRead(100);
            out += p.readAllStandardOutput();
        }
        QVERIFY(out.count("\"event\":\"trial\"") >= 2);
        ::kill(static_cast<pid_t>(p.processId()), SIGKILL);
        p.waitForFinished();
        out += p.readAllStandardOutput();
        const auto before = events(out, "trial");
        QVERIFY2(before.size() < 8, "the experiment ended before it was killed");

        const Result shown = runCli({"experiment", "show", "1", "--json", "--db", db});
        QCOMPARE(QJsonDocument::fromJson(shown.out).object()["status"].toString(), QString("interrupted"));

        const Result resumed = runCli({"experiment", "resume", "1", "--json", "--threads", "1", "--db", db});
        QVERIFY2(resumed.code == 0, resumed.err.constData());
        std::set<int> rerun;
        for (const QJsonObject& t : events(resumed.out, "trial_started")) rerun.insert(t["trial"].toInt());
        for (const QJsonObject& t : before) QVERIFY2(!rerun.count(t["trial"].toInt()), "a finished trial ran again");
        QCOMPARE(rerun.size() + before.size(), std::size_t{8});

        // One run per trial (the killed trial's partial run is gone), and an intact store.
        const Result runs = runCli({"runs", "list", "--experiment", "1", "--json", "--db", db});
        QCOMPARE(QJsonDocument::fromJson(runs.out).array().size(), 8);
        {
            storage::RunStore store(db.toStdString(), storage::RunStore::Mode::ReadOnly);
            storage::Statement q(store.db(), "PRAGMA integrity_check");
            QVERIFY(q.step());
            QCOMPARE(q.text(0), std::string("ok"));
        }
        // The same table as an experiment that was never interrupted.
        const QString clean = m_dir.filePath("clean.db");
        QCOMPARE(runCli({"experiment", "run", sweep, "--threads", "1", "--db", clean}).code, 0);
        const QJsonArray a = trialsOf(db, 1), b = trialsOf(clean, 1);
        QCOMPARE(a.size(), 8);
        QCOMPARE(b.size(), 8);
        for (int i = 0; i < 8; ++i) {
            QCOMPARE(a[i]["status"].toString(), b[i]["status"].toString());
            QCOMPARE(a[i]["objective"].toDouble(), b[i]["objective"].toDouble());
            QCOMPARE(a[i]["params"].toObject(), b[i]["params"].toObject());
        }
        const Result again = runCli({"experiment", "resume", "1", "--db", db});
        QCOMPARE(again.code, 2);
        QVERIFY(again.err.contains("has completed"));
    }

    // Ctrl+C: every running training stops after its step, the experiment is "stopped" (exit
    // 130), the stopped trial is not recorded as finished, and resume completes it.
    void interruptStopsCleanlyAndResumes() {
        const QString sweep = writeSpiralSweep(m_dir.path());
        const QString db = m_dir.filePath("stopped.db");
        QProcess p;
        p.start(qEnvironmentVariable("NEURITE_CLI"),
                {"experiment", "run", sweep, "--json", "--parallel", "2", "--threads", "2", "--db", db});
        QVERIFY(p.waitForStarted());
        QByteArray out;
        QElapsedTimer clock;
        clock.start();
        while (!out.contains("\"event\":\"trial\"") && clock.elapsed() < 120000) {
            p.waitForReadyRead(100);
            out += p.readAllStandardOutput();
        }
        ::kill(static_cast<pid_t>(p.processId()), SIGINT);
        QVERIFY(p.waitForFinished(60000));
        out += p.readAllStandardOutput();
        QCOMPARE(p.exitCode(), 130);
        const auto done = events(out, "experiment_finished");
        QCOMPARE(done.size(), std::size_t{1});
        QCOMPARE(done[0]["status"].toString(), QString("stopped"));
        const std::size_t finished = events(out, "trial").size();
        QVERIFY(finished >= 1 && finished < 8);
        // the trials cut short (if one was running when the signal came) say so, none is left
        // "running", and they count as not done
        const QJsonArray stored = trialsOf(db, 1);
        int stopped = 0;
        for (const QJsonValue& t : stored) {
            QVERIFY(t["status"].toString() != "running");
            stopped += t["status"].toString() == "stopped";
        }
        QCOMPARE(static_cast<std::size_t>(stored.size() - stopped), finished);
        const Result resumed = runCli({"experiment", "resume", "1", "--json", "--threads", "2", "--db", db});
        QVERIFY2(resumed.code == 0, resumed.err.constData());
        QCOMPARE(events(resumed.out, "trial").size() + finished, std::size_t{8});
        const QJsonArray all = trialsOf(db, 1);
        QCOMPARE(all.size(), 8);
        for (const QJsonValue& t : all) QCOMPARE(t["status"].toString(), QString("completed"));
    }
};

QTEST_GUILESS_MAIN(TestExperimentsCli)
#include "test_experiments_cli.moc"
