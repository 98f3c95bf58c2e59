#include "train/perturb.h"

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "core/error.h"
#include "graph/model.h"

namespace neurite {

int64_t perturbWeights(Model& model, int ulps) {
    if (ulps < 1 || ulps > 1024)
        throwBadInput("the perturbation must be 1 to 1024 units in the last place, got " + std::to_string(ulps));
    Tensor& values = model.values();
    std::vector<float> host(static_cast<std::size_t>(values.numel()));
    model.backend().copyToHost(host.data(), values);
    int64_t moved = 0;
    for (std::size_t i = 0; i < host.size(); ++i) {
        float& v = host[i];
        if (v == 0.f || !std::isfinite(v)) continue;
        const bool outward = i % 2 == 0;
        const float target = (v > 0) == outward ? std::numeric_limits<float>::infinity()
                                                : -std::numeric_limits<float>::infinity();
        const float before = v;
        for (int k = 0; k < ulps; ++k) {
            const float next = std::nextafter(v, target);
            if (next == 0.f || !std::isnormal(next)) break;  // never into the denormals or across zero
            v = next;
        }
        moved += v != before;
    }
    model.backend().copyFromHost(values, host.data());
    return moved;
}

}  // namespace neurite
