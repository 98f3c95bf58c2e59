// A steady-state training step allocates nothing: this executable counts every C++ heap
// allocation (global operator new) and trains a model with every kind of layer; between two
// later steps of the same epoch the count must not move. Plans that no layer uses yet (layer
// norm) are run directly. oneDNN's own execute call builds a
// small argument map per primitive run (inside libdnnl, out of our reach): allocations whose
// caller lives in libdnnl are counted apart and only reported.
#include <QtTest>

#include <dlfcn.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <new>

#include "backend/cpu/cpu_backend.h"
#include "io/project.h"
#include "run/run_setup.h"
#include "train/trainer.h"

namespace {
std::atomic<long> g_allocations{0}, g_onednnAllocations{0};

bool calledFromOneDnn(void* returnAddress) {
    Dl_info info;
    return dladdr(returnAddress, &info) && info.dli_fname && std::strstr(info.dli_fname, "libdnnl");
}
}  // namespace

void* operator new(std::size_t n) {
    if (calledFromOneDnn(__builtin_return_address(0))) ++g_onednnAllocations;
    else ++g_allocations;
    if (void* p = std::malloc(n ? n : 1)) return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

using namespace neurite;

class TestAllocations : public QObject {
    Q_OBJECT
private slots:
    void steadyStateStepDoesNotAllocate() {
        const std::string json = R"({"format": "neurite-project", "version": 1,
            "data": {"source": "synthetic:spiral?samples=2000&classes=3&seed=3", "validation_split": 0.1},
            "model": {"nodes": [
                {"id": "input", "op": "Input"},
                {"id": "fc1", "op": "Dense", "params": {"units": 64}, "inputs": ["input"]},
                {"id": "r", "op": "Reshape", "params": {"shape": [4, 4, 4]}, "inputs": ["fc1"]},
                {"id": "conv", "op": "Conv2D", "params": {"filters": 8, "kernel_size": 3}, "inputs": ["r"]},
                {"id": "bn", "op": "BatchNorm", "inputs": ["conv"]},
                {"id": "act", "op": "GELU", "inputs": ["bn"]},
                {"id": "pool", "op": "MaxPool2D", "inputs": ["act"]},
                {"id": "gap", "op": "GlobalAvgPool", "inputs": ["act"]},
                {"id": "flat", "op": "Flatten", "inputs": ["pool"]},
                {"id": "cat", "op": "Concat", "inputs": ["flat", "gap"]},
                {"id": "drop", "op": "Dropout", "params": {"rate": 0.2}, "inputs": ["cat"]},
                {"id": "fc2", "op": "Dense", "params": {"units": 40}, "inputs": ["drop"]},
                {"id": "skip", "op": "Add", "inputs": ["fc2", "cat"]},
                {"id": "out", "op": "Dense", "params": {"units": "auto"}, "inputs": ["skip"]}]},
            "training": {"epochs": 1, "batch_size": 32, "threads": 2, "clip_norm": 1.0,
                         "regularization": {"l2": 0.0001}, "optimizer": {"type": "adamw", "lr": 0.001},
                         "schedule": {"type": "cosine", "warmup_epochs": 1}}})";
        ProjectDocument doc = parseProject(json, "alloc.neurite.json", nullptr);
        RunSetup s = prepareRun(doc);
        Trainer trainer(*s.model, s.data, doc.training);
        struct Probe : TrainObserver {
            long at10 = -1, at40 = -1, onednn10 = 0, onednn40 = 0;
            void onStep(const StepEvent& e) override {
                if (e.step == 10) {
                    at10 = g_allocations.load();
                    onednn10 = g_onednnAllocations.load();
                }
                if (e.step == 40) {
                    at40 = g_allocations.load();
                    onednn40 = g_onednnAllocations.load();
                }
            }
        } probe;
        StopToken stop;
        trainer.run(probe, stop);
        QVERIFY(probe.at10 >= 0 && probe.at40 >= 0);
        qInfo("oneDNN's execute calls allocated %ld times in 30 steps (its argument maps)",
              probe.onednn40 - probe.onednn10);
        QVERIFY2(probe.at40 == probe.at10,
                 qPrintable(QString("%1 allocations in 30 steady-state steps").arg(probe.at40 - probe.at10)));
    }

    // Plans of ops no bundled layer uses yet: a step after the first allocates nothing.
    void layerNormPlanDoesNotAllocate() {
        std::unique_ptr<Backend> cpu = cpu::makeCpuBackend();
        cpu->setThreads(2);
        const Shape xs{600, 257}, ps{257};
        auto plan = cpu->makeLayerNorm(LayerNormDesc{600, 257});
        Tensor x = Tensor::empty(*cpu, xs), y = Tensor::empty(*cpu, xs), dx = Tensor::empty(*cpu, xs);
        Tensor g = Tensor::empty(*cpu, ps), dg = Tensor::empty(*cpu, ps), db = Tensor::empty(*cpu, ps);
        for (int64_t i = 0; i < x.numel(); ++i)
            x.f32()[i] = float(i % 17) * 0.25f;
        cpu->fill(g, 1.f);
        plan->forward(x, g, g, y);
        plan->backward(x, y, g, dx, dg, db);
        const long before = g_allocations.load();
        for (int step = 0; step < 5; ++step) {
            plan->forward(x, g, g, y);
            plan->backward(x, y, g, dx, dg, db);
        }
        QCOMPARE(g_allocations.load() - before, 0L);
    }
};

QTEST_APPLESS_MAIN(TestAllocations)
#include "test_allocations.moc"
