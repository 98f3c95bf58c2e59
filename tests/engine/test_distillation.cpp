// Knowledge distillation (train/distillation.h, export/teacher.h): the soft-target term's
// gradient matches central finite differences of its value; equal teacher and student give zero;
// at T = 1, alpha = 0 it is the plain KL divergence (hand-computed); a run with alpha = 1 is bit
// for bit a run without distillation; a distilled run trains; a teacher of other classes or
// sample shape is refused naming both; bad settings are refused.
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "core/error.h"
#include "core/random.h"
#include "export/export_source.h"
#include "export/teacher.h"
#include "io/project.h"
#include "run/run_setup.h"
#include "train/distillation.h"
#include "train/trainer.h"

using namespace neurite;

namespace {

ProjectDocument project(const std::string& source, const std::string& training, int units = 16) {
    const std::string json = R"({"format": "neurite-project", "version": 1, "name": "d",
        "data": {"source": ")" + source + R"(", "validation_split": 0.2, "test_split": 0.2},
        "model": {"nodes": [
            {"id": "input", "op": "Input"},
            {"id": "fc", "op": "Dense", "params": {"units": )" + std::to_string(units) + R"(}, "inputs": ["input"]},
            {"id": "act", "op": "ReLU", "inputs": ["fc"]},
            {"id": "out", "op": "Dense", "params": {"units": "auto"}, "inputs": ["act"]}]},
        "training": {"epochs": 5, "batch_size": 32, "seed": 7, "threads": 2,
                     "optimizer": {"type": "adam", "lr": 0.01})" +
                             (training.empty() ? "" : ", " + training) + "}}";
    return parseProject(json, "d.neurite.json", nullptr);
}

const std::string kSpiral = "synthetic:spiral?samples=600&classes=3&noise=0.1&seed=3";

std::string badInput(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.kind() == ErrorKind::BadInput ? e.what() : std::string("wrong kind: ") + e.what();
    }
    return "no error";
}

}  // namespace

class TestDistillation : public QObject {
    Q_OBJECT

private slots:
    void gradientMatchesFiniteDifferences() {
        const int64_t n = 3, c = 4;
        Rng rng(9);
        std::vector<float> z(static_cast<std::size_t>(n * c)), teacher(static_cast<std::size_t>(5 * c));
        for (float& v : z) v = static_cast<float>(2 * rng.normal());
        for (float& v : teacher) v = static_cast<float>(3 * rng.normal());
        const std::vector<int32_t> samples{4, 0, 2};
        const double alpha = 0.3, t = 2.5;
        std::vector<float> grad, scratch;
        distillationTerm(z, teacher, samples, c, alpha, t, grad);
        for (std::size_t k = 0; k < z.size(); ++k) {
            const float h = 1e-2f;
            std::vector<float> up = z, down = z;
            up[k] += h;
            down[k] -= h;
            const double numeric = (distillationTerm(up, teacher, samples, c, alpha, t, scratch) -
                                    distillationTerm(down, teacher, samples, c, alpha, t, scratch)) /
                                   (2.0 * h);
            QVERIFY2(std::fabs(numeric - grad[k]) < 1e-4 * std::max(1.0, std::fabs(numeric)),
                     qPrintable(QString("%1: %2 vs %3").arg(k).arg(numeric).arg(grad[k])));
        }
    }

    void handComputedValues() {
        // Equal distributions: nothing to learn.
        const std::vector<float> same{1.f, -2.f, 0.5f};
        std::vector<float> grad;
        QCOMPARE(distillationTerm(same, same, std::vector<int32_t>{0}, 3, 0.2, 3.0, grad), 0.0);
        for (float g : grad) QVERIFY(std::fabs(g) < 1e-7f);
        // T = 1, alpha = 0: KL(q || p) for q = softmax(0, ln 3) = (1/4, 3/4), p = (1/2, 1/2):
        // 1/4 ln(1/2) + 3/4 ln(3/2) = 0.130812...
        const std::vector<float> student{0.f, 0.f}, teacher{0.f, static_cast<float>(std::log(3.0))};
        const double kl = distillationTerm(student, teacher, std::vector<int32_t>{0}, 2, 0.0, 1.0, grad);
        QVERIFY(std::fabs(kl - (0.25 * std::log(0.5) + 0.75 * std::log(1.5))) < 1e-6);
        QVERIFY(std::fabs(grad[0] - 0.25f) < 1e-6f);  // p - q
        QVERIFY(std::fabs(grad[1] + 0.25f) < 1e-6f);
        // The T^2 scale: at T = 2 the term of logits 2z against 2v is 4 times the T = 1 term.
        const std::vector<float> s2{0.f, 0.f}, t2{0.f, static_cast<float>(2 * std::log(3.0))};
        QVERIFY(std::fabs(distillationTerm(s2, t2, std::vector<int32_t>{0}, 2, 0.0, 2.0, grad) - 4 * kl) < 1e-6);
    }

    void alphaOneIsPlainTrainingAndDistillationTrains() {
        // The teacher: a wider network trained on the same data.
        const ProjectDocument teacherDoc = project(kSpiral, R"("epochs": 30)", 64);
        RunSetup t = prepareRun(teacherDoc);
        {
            Trainer trainer(*t.model, t.data, teacherDoc.training);
            TrainObserver quiet;
            StopToken stop;
            QVERIFY(*trainer.run(quiet, stop).testAccuracy > 0.9);
        }
        const ExportSource teacher = exportSourceOf(t);
        // The soft-target term against the teacher on the training split, for a trained student.
        std::vector<float> teacherOut;
        const auto train = [&](const std::string& training, std::vector<float>* weights, double* softLoss) {
            const ProjectDocument doc = project(kSpiral, R"("epochs": 20, )" + training);
            RunSetup s = prepareRun(doc);
            Trainer trainer(*s.model, s.data, doc.training);
            teacherOut = teacherLogits(teacher, s.data, "teacher");
            // Row i is training sample i: the teacher's argmax agrees with its labels.
            int64_t agree = 0;
            for (int64_t i = 0; i < s.data.train.count; ++i) {
                const float* v = teacherOut.data() + i * 3;
                agree += std::max_element(v, v + 3) - v == s.data.train.labels[static_cast<std::size_t>(i)];
            }
            if (!(agree > 0.9 * static_cast<double>(s.data.train.count))) qFatal("teacher rows misaligned: %lld", static_cast<long long>(agree));
            if (doc.training.distillation.enabled()) trainer.setTeacher(teacherOut);
            TrainObserver quiet;
            StopToken stop;
            const FinishedEvent fin = trainer.run(quiet, stop);
            *weights = s.model->snapshot();
            const std::vector<float> mine = teacherLogits(exportSourceOf(s), s.data, "student");
            std::vector<int32_t> all(static_cast<std::size_t>(s.data.train.count));
            for (std::size_t i = 0; i < all.size(); ++i) all[i] = static_cast<int32_t>(i);
            std::vector<float> grad;
            *softLoss = distillationTerm(mine, teacherOut, all, 3, 0.0, 3.0, grad);
            return fin;
        };
        std::vector<float> plain, hard, soft;
        double plainSoft = 0, hardSoft = 0, distilledSoft = 0;
        const FinishedEvent alone = train(R"("seed": 7)", &plain, &plainSoft);
        train(R"("distillation": {"teacher": "x.nmodel", "alpha": 1})", &hard, &hardSoft);
        QVERIFY(std::memcmp(plain.data(), hard.data(), plain.size() * sizeof(float)) == 0);
        const FinishedEvent fin =
            train(R"("distillation": {"teacher": "x.nmodel", "alpha": 0.2, "temperature": 3})", &soft, &distilledSoft);
        QVERIFY(std::memcmp(plain.data(), soft.data(), plain.size() * sizeof(float)) != 0);
        // The distilled student matches the teacher's softened outputs more closely, and learns.
        QVERIFY2(distilledSoft < 0.8 * plainSoft, qPrintable(QString("%1 vs %2").arg(distilledSoft).arg(plainSoft)));
        QVERIFY2(*fin.testAccuracy > 0.6, QByteArray::number(*fin.testAccuracy));
        QVERIFY(*alone.testAccuracy > 0.5);
    }

    void mismatchedTeachersAndSettingsAreRefused() {
        const ProjectDocument teacherDoc = project("synthetic:spiral?samples=300&classes=4&noise=0.1&seed=3", "");
        RunSetup t = prepareRun(teacherDoc);
        const ProjectDocument doc = project(kSpiral, "");
        RunSetup s = prepareRun(doc);
        const std::string classes = badInput([&] { teacherLogits(exportSourceOf(t), s.data, "run 4"); });
        QVERIFY2(classes.find("the teacher run 4's classes (0, 1, 2, 3) differ from the student's (0, 1, 2)") !=
                     std::string::npos,
                 classes.c_str());
        RunSetup blobs = prepareRun(project("synthetic:blobs?samples=300&classes=3&features=3&seed=2", ""));
        const std::string shape = badInput([&] { teacherLogits(exportSourceOf(blobs), s.data, "b.nmodel"); });
        QVERIFY2(shape.find("the teacher b.nmodel takes samples of shape [3] but the student's data gives [2]") !=
                     std::string::npos,
                 shape.c_str());
        // Without the teacher's outputs, or outputs of the wrong size.
        const ProjectDocument distilled = project(kSpiral, R"("distillation": {"teacher": "run:1"})");
        RunSetup d = prepareRun(distilled);
        Trainer trainer(*d.model, d.data, distilled.training);
        QVERIFY(badInput([&] { trainer.setTeacher(std::vector<float>(5)); }).find("the training split needs") !=
                std::string::npos);
        TrainObserver quiet;
        StopToken stop;
        QVERIFY(badInput([&] { trainer.run(quiet, stop); }).find("were not computed") != std::string::npos);
        // Settings.
        const auto parse = [](const std::string& fields) {
            return badInput([&] { project(kSpiral, R"("distillation": {)" + fields + "}"); });
        };
        QVERIFY(parse(R"("alpha": 0.5)").find("needs a teacher") != std::string::npos);
        QVERIFY(parse(R"("teacher": "run:1", "alpha": 1.5)").find("alpha") != std::string::npos);
        QVERIFY(parse(R"("teacher": "run:1", "temperature": 0)").find("temperature") != std::string::npos);
        const std::string mse = badInput([] {
            const ProjectDocument doc = project(kSpiral, R"("loss": {"type": "focal"}, "distillation": {"teacher": "run:1"})");
            RunSetup r = prepareRun(doc);
            Trainer tr(*r.model, r.data, doc.training);
        });
        QVERIFY2(mse.find("cross_entropy") != std::string::npos, mse.c_str());
        const ProjectDocument back = parseProject(projectToJson(distilled), "d.neurite.json", nullptr);
        QVERIFY(back.training.distillation == distilled.training.distillation);
    }
};

QTEST_GUILESS_MAIN(TestDistillation)
#include "test_distillation.moc"
