// The fixture of the CPU backend's tests (test_cpu_backend_layers, test_cpu_backend_ops): the
// oneDNN CPU backend beside the reference backend, a seeded generator per test row, tensors of
// random values, and comparisons that name the worst element and the seed. Set
// NEURITE_TEST_SEED to replay a failure; every failure message prints the seed.
#pragma once

#include <QtTest>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>
#include <random>
#include <string>

#include "backend/cpu/cpu_backend.h"
#include "core/error.h"
#include "support/reference_backend.h"

namespace neurite::test {

// Worst |a - b| / (atol + rtol |b|) over the elements; <= 1 passes. `where` names the worst.
struct Diff {
    double worst = 0.0;
    std::string where;
};

class CpuBackendFixture {
protected:
    static uint64_t baseSeed() {
        static const uint64_t seed = [] {
            const char* env = std::getenv("NEURITE_TEST_SEED");
            return env ? std::strtoull(env, nullptr, 10) : uint64_t(std::random_device{}());
        }();
        return seed;
    }

    static Diff compare(const Tensor& a, const Tensor& b, double atol, double rtol) {
        Diff d;
        if (a.numel() != b.numel()) return {std::numeric_limits<double>::infinity(), "sizes differ"};
        for (int64_t i = 0; i < a.numel(); ++i) {
            const double x = a.f32()[i], y = b.f32()[i];
            const double e = std::isfinite(x) ? std::fabs(x - y) / (atol + rtol * std::fabs(y))
                                              : std::numeric_limits<double>::infinity();
            if (e > d.worst || std::isnan(e)) {
                d.worst = std::isnan(e) ? std::numeric_limits<double>::infinity() : e;
                d.where = "element " + std::to_string(i) + ": cpu " + std::to_string(x) +
                          " reference " + std::to_string(y);
            }
        }
        return d;
    }

    // Absolute tolerance for an fp32 sum of k products of values in [-1, 1]: rounding grows about
    // like eps * sqrt(k) * (the sum's spread, about sqrt(k / 9)), with a safety factor of five.
    static double sumTolerance(int64_t k) {
        return 1e-6 + 1e-7 * double(k);
    }

    // The same for bf16 compute: inputs rounded to 8-bit mantissas (relative error 2^-9 each).
    static double bf16Tolerance(int64_t k) {
        return 1e-3 + 1e-2 * std::sqrt(double(k));
    }

    static bool sameBits(const Tensor& a, const Tensor& b) {
        return a.bytes() == b.bytes() && std::memcmp(a.raw(), b.raw(), a.bytes()) == 0;
    }

    std::unique_ptr<Backend> m_cpu = cpu::makeCpuBackend();
    ReferenceBackend m_ref;
    std::mt19937_64 m_rng;
    uint64_t m_seed = 0;

    // A fresh generator per test row, seeded from the base seed and the row name.
    void reseed() {
        m_seed = baseSeed() ^
                 std::hash<std::string>{}(QTest::currentDataTag() ? QTest::currentDataTag()
                                                                  : QTest::currentTestFunction());
        m_rng.seed(m_seed);
    }
    Tensor zeros(const Shape& s) {
        Tensor t = Tensor::empty(*m_cpu, s);
        m_cpu->fill(t, 0.f);
        return t;
    }
    Tensor random(const Shape& s, float lo = -1.f, float hi = 1.f) {
        Tensor t = Tensor::empty(*m_cpu, s);
        std::uniform_real_distribution<float> u(lo, hi);
        for (int64_t i = 0; i < t.numel(); ++i)
            t.f32()[i] = u(m_rng);
        return t;
    }
    Tensor labels(int64_t n, int classes) {
        Tensor t = Tensor::empty(*m_cpu, Shape{n}, DType::I32);
        std::uniform_int_distribution<int> u(0, classes - 1);
        for (int64_t i = 0; i < n; ++i)
            t.data<int32_t>()[i] = u(m_rng);
        return t;
    }
    Tensor clone(const Tensor& t) {
        Tensor c = Tensor::empty(*m_cpu, t.shape(), t.dtype());
        m_cpu->copy(t, c);
        return c;
    }
    void expectClose(const Tensor& cpu, const Tensor& ref, double atol, double rtol,
                     const char* what) {
        Diff d = compare(cpu, ref, atol, rtol);
        QVERIFY2(d.worst <= 1.0, qPrintable(QString("%1: off by %2 x tolerance at %3 (seed %4)")
                                                .arg(what)
                                                .arg(d.worst)
                                                .arg(QString::fromStdString(d.where))
                                                .arg(m_seed)));
    }
    // Normwise: |cpu - ref| <= tol * max|ref| (+ tol * |ref| per element) everywhere, for
    // outputs whose elements may cancel to near zero (a layer norm's dx).
    void expectNormwise(const Tensor& cpu, const Tensor& ref, double tol, const char* what) {
        double scale = 0.0;
        for (int64_t i = 0; i < ref.numel(); ++i)
            scale = std::max(scale, double(std::fabs(ref.f32()[i])));
        expectClose(cpu, ref, tol * std::max(scale, 1e-30), tol, what);
    }
    void expectNear(double cpu, double ref, double tol, const char* what) {
        QVERIFY2(std::fabs(cpu - ref) <= tol * (1.0 + std::fabs(ref)),
                 qPrintable(QString("%1: cpu %2 reference %3 (seed %4)")
                                .arg(what)
                                .arg(cpu, 0, 'g', 10)
                                .arg(ref, 0, 'g', 10)
                                .arg(m_seed)));
    }

};

}  // namespace neurite::test

Q_DECLARE_METATYPE(neurite::ConvDesc)
Q_DECLARE_METATYPE(neurite::PoolDesc)
Q_DECLARE_METATYPE(neurite::Shape)
