#include "experiment/pareto.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace neurite {

std::vector<std::size_t> paretoFront(const std::vector<ParetoPoint>& points, bool smallerXBetter,
                                     bool largerYBetter) {
    // In "smaller is better" terms on both axes.
    auto gx = [&](std::size_t i) { return smallerXBetter ? points[i].x : -points[i].x; };
    auto gy = [&](std::size_t i) { return largerYBetter ? -points[i].y : points[i].y; };
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < points.size(); ++i)
        if (std::isfinite(points[i].x) && std::isfinite(points[i].y)) order.push_back(i);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return gx(a) != gx(b) ? gx(a) < gx(b) : gy(a) < gy(b);
    });
    // Sweep by x: a point is on the front when its y beats every y seen at a smaller x; points
    // equal to the last one taken stay with it.
    std::vector<std::size_t> front;
    for (std::size_t i : order) {
        if (front.empty() || gy(i) < gy(front.back()) ||
            (gy(i) == gy(front.back()) && gx(i) == gx(front.back())))
            front.push_back(i);
    }
    std::stable_sort(front.begin(), front.end(),
                     [&](std::size_t a, std::size_t b) { return points[a].x < points[b].x; });
    return front;
}

}  // namespace neurite
