// Per-op timings of the CPU backend on the shapes of the reference MLP (784-256-128-10) and CNN
// (conv3x3 1->32, pool, conv3x3 32->64, pool, dense 3136->128->10) at batch 64. Prints the
// median and the 10th..90th percentile spread per op, in microseconds. Not a test.
//   bench_cpu_ops [threads=2] [repeats=200]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "backend/cpu/cpu_backend.h"

using namespace neurite;

namespace {

int gRepeats = 200;

void timeOp(const std::string& name, const std::function<void()>& op) {
    for (int i = 0; i < 10; ++i)
        op();
    std::vector<double> us;
    for (int i = 0; i < gRepeats; ++i) {
        auto t0 = std::chrono::steady_clock::now();
        op();
        auto t1 = std::chrono::steady_clock::now();
        us.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
    }
    std::sort(us.begin(), us.end());
    auto at = [&](double q) { return us[static_cast<std::size_t>(q * double(us.size() - 1))]; };
    std::printf("%-34s %9.1f us   [%8.1f .. %8.1f]\n", name.c_str(), at(0.5), at(0.1), at(0.9));
}

struct Bench {
    std::unique_ptr<Backend> be = cpu::makeCpuBackend();
    std::mt19937 rng{42};

    Tensor random(const Shape& s) {
        Tensor t = Tensor::empty(*be, s);
        std::uniform_real_distribution<float> u(-1.f, 1.f);
        for (int64_t i = 0; i < t.numel(); ++i)
            t.f32()[i] = u(rng);
        return t;
    }

    void dense(const std::string& name, int64_t n, int64_t in, int64_t out,
               DType compute = DType::F32) {
        auto plan = be->makeDense({n, in, out, true, compute});
        Tensor x = random({n, in}), w = random({out, in}), b = random({out});
        Tensor y = random({n, out}), dy = random({n, out}), dx = random({n, in});
        Tensor dw = random({out, in}), db = random({out});
        timeOp(name + " fwd", [&] { plan->forward(x, w, &b, y); });
        timeOp(name + " bwd data", [&] { plan->backwardData(dy, w, dx); });
        timeOp(name + " bwd weights", [&] { plan->backwardWeights(x, dy, dw, &db); });
    }

    void conv(const std::string& name, ConvDesc d) {
        auto plan = be->makeConv(d);
        Tensor x = random({d.batch, d.inChannels, d.height, d.width});
        Tensor w = random({d.outChannels, d.inChannels, d.kernelH, d.kernelW});
        Tensor b = random({d.outChannels}), db = random({d.outChannels});
        Tensor y = random({d.batch, d.outChannels, d.outHeight(), d.outWidth()});
        Tensor dx = random(x.shape()), dw = random(w.shape());
        timeOp(name + " fwd", [&] { plan->forward(x, w, &b, y); });
        timeOp(name + " bwd data", [&] { plan->backwardData(y, w, dx); });
        timeOp(name + " bwd weights", [&] { plan->backwardWeights(x, y, dw, &db); });
    }

    void pool(const std::string& name, int64_t n, int64_t c, int64_t h) {
        PoolDesc d{PoolKind::Max, n, c, h, h};
        auto plan = be->makePool(d);
        Tensor x = random({n, c, h, h}), y = random({n, c, h / 2, h / 2});
        Tensor dx = random(x.shape());
        timeOp(name + " fwd", [&] { plan->forward(x, y, true); });
        timeOp(name + " bwd", [&] { plan->backward(y, dx); });
    }

    void adam(const std::string& name, int64_t count) {
        Tensor p = random({count}), g = random({count}), m = random({count}), v = random({count});
        be->fill(m, 0.f);
        be->fill(v, 0.f);
        AdamParams ap;
        timeOp(name, [&] {
            be->adamStep(p, g, m, v, ap);
            ++ap.step;
        });
    }
};

} // namespace

int main(int argc, char** argv) {
    const int threads = argc > 1 ? std::atoi(argv[1]) : 2;
    if (argc > 2) gRepeats = std::max(10, std::atoi(argv[2]));
    Bench b;
    b.be->setThreads(threads);
    std::printf("%s, isa %s\n", b.be->name().c_str(), cpu::cpuInfo().isa.c_str());
    b.dense("mlp dense 784->256", 64, 784, 256);
    b.dense("mlp dense 256->128", 64, 256, 128);
    b.dense("mlp dense 128->10", 64, 128, 10);
    b.conv("cnn conv1 1->32 28x28", {64, 1, 28, 28, 32, 3, 3, 1, 1, 1, 1, 1, 1, true});
    b.pool("cnn pool1 32x28x28", 64, 32, 28);
    b.conv("cnn conv2 32->64 14x14", {64, 32, 14, 14, 64, 3, 3, 1, 1, 1, 1, 1, 1, true});
    b.pool("cnn pool2 64x14x14", 64, 64, 14);
    b.dense("cnn dense 3136->128", 64, 3136, 128);
    if (cpu::cpuInfo().bf16) {
        b.dense("bf16 mlp dense 784->256", 64, 784, 256, DType::BF16);
        b.conv("bf16 cnn conv2 32->64 14x14",
               {64, 32, 14, 14, 64, 3, 3, 1, 1, 1, 1, 1, 1, true, DType::BF16});
    }
    b.adam("adam 235k (mlp)", 235146);
    b.adam("adam 420k (cnn)", 421642);
    Tensor x = b.random({64, 32, 28, 28}), y = b.random({64, 32, 28, 28});
    timeOp("relu fwd 64x32x28x28", [&] { b.be->activationForward(Activation::Relu, 0, x, y); });
    Tensor z = b.random({64, 10}), g = b.random({64, 10});
    Tensor lab = Tensor::empty(*b.be, {64}, DType::I32);
    for (int i = 0; i < 64; ++i)
        lab.data<int32_t>()[i] = i % 10;
    timeOp("cross-entropy 64x10", [&] { b.be->softmaxCrossEntropy(z, lab, nullptr, 0.f, g); });
    return 0;
}
