// Cost of one epoch's evaluation report on the shape of Fashion-MNIST's validation split (6000
// samples, 10 classes): host softmax, classification metrics, one-vs-rest and micro ROC/PR.
// Prints the median and the 10th..90th percentile spread, in milliseconds. Not a test.
//   bench_metrics [samples=6000] [classes=10] [repeats=50]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "core/random.h"
#include "metrics/evaluation.h"

using namespace neurite;

namespace {

void timeIt(const char* name, int repeats, const std::function<void()>& fn) {
    fn();
    std::vector<double> ms;
    for (int i = 0; i < repeats; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        fn();
        ms.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                .count());
    }
    std::sort(ms.begin(), ms.end());
    auto at = [&](double q) { return ms[static_cast<std::size_t>(q * double(ms.size() - 1))]; };
    std::printf("%-28s %7.2f ms   [%6.2f .. %6.2f]\n", name, at(0.5), at(0.1), at(0.9));
}

}  // namespace

int main(int argc, char** argv) {
    const int n = argc > 1 ? std::atoi(argv[1]) : 6000;
    const int k = argc > 2 ? std::atoi(argv[2]) : 10;
    const int repeats = argc > 3 ? std::atoi(argv[3]) : 50;
    if (n <= 0 || k < 2 || repeats <= 0) {
        std::fprintf(stderr, "usage: bench_metrics [samples>0] [classes>=2] [repeats>0]\n");
        return 2;
    }
    ClassScores s;
    for (int c = 0; c < k; ++c)
        s.classNames.push_back(std::to_string(c));
    Rng rng(1);
    std::vector<float> logits;
    for (int i = 0; i < n; ++i) {
        const int y = static_cast<int>(rng.uniform() * k);
        s.labels.push_back(y);
        for (int c = 0; c < k; ++c)
            logits.push_back(static_cast<float>(rng.normal() * 2 + (c == y ? 3 : 0)));
    }
    std::printf("%d samples, %d classes\n", n, k);
    timeIt("softmax (host)", repeats, [&] {
        s.probs.clear();
        appendProbabilities(logits.data(), n, k, s.probs);
    });
    timeIt("classification metrics", repeats, [&] { classificationMetrics(s); });
    timeIt("ROC/PR curves + averages", repeats, [&] { curveReport(s); });
    timeIt("whole report", repeats, [&] { evaluateClassification(s, "validation"); });
    return 0;
}
