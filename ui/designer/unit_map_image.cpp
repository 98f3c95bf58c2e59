#include "unit_map_image.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace neurite {

QColor unitValueColor(float value, float maxAbs) {
    if (std::isnan(value)) return QColor(0x9e, 0x9e, 0x9e);
    const float t = maxAbs > 0 ? std::clamp(value / maxAbs, -1.f, 1.f) : 0.f;
    // white -> blue (0x1f,0x77,0xb4) above zero, white -> orange (0xf5,0x9e,0x0b) below
    const QColor end = t >= 0 ? QColor(0x1f, 0x77, 0xb4) : QColor(0xf5, 0x8a, 0x07);
    const float a = std::abs(t);
    const auto mix = [a](int c) { return static_cast<int>(std::lround(255 + (c - 255) * a)); };
    return QColor(mix(end.red()), mix(end.green()), mix(end.blue()));
}

QImage unitMapImage(const UnitMap& map, int side, int64_t unit) {
    QImage image(side, side, QImage::Format_RGB32);
    const auto cells = static_cast<std::size_t>(side) * static_cast<std::size_t>(side);
    if (unit < 0 || unit >= map.units || map.values.size() < cells * static_cast<std::size_t>(unit + 1)) {
        image.fill(QColor(0x9e, 0x9e, 0x9e));
        return image;
    }
    const float* v = map.values.data() + cells * static_cast<std::size_t>(unit);
    for (int j = 0; j < side; ++j) {
        auto* line = reinterpret_cast<QRgb*>(image.scanLine(side - 1 - j));
        for (int i = 0; i < side; ++i)
            line[i] = unitValueColor(v[static_cast<std::size_t>(j) * static_cast<std::size_t>(side) + static_cast<std::size_t>(i)],
                                     map.maxAbs)
                          .rgb();
    }
    return image;
}

QString unitMapRange(const UnitMap& map, int side, int64_t unit) {
    const auto cells = static_cast<std::size_t>(side) * static_cast<std::size_t>(side);
    if (unit < 0 || unit >= map.units || map.values.size() < cells * static_cast<std::size_t>(unit + 1)) return {};
    float lo = std::numeric_limits<float>::infinity(), hi = -lo;
    const float* v = map.values.data() + cells * static_cast<std::size_t>(unit);
    for (std::size_t c = 0; c < cells; ++c)
        if (std::isfinite(v[c])) {
            lo = std::min(lo, v[c]);
            hi = std::max(hi, v[c]);
        }
    const QString name = QString::fromStdString(map.node);
    if (lo > hi) return QObject::tr("%1 unit %2: no finite value").arg(name).arg(unit);
    return QObject::tr("%1 unit %2: %3 .. %4").arg(name).arg(unit).arg(lo, 0, 'g', 3).arg(hi, 0, 'g', 3);
}

QImage activationChannelImage(const ActivationMap& m, int64_t channel, bool input) {
    QImage image(static_cast<int>(m.width), static_cast<int>(m.height), QImage::Format_RGB32);
    const auto plane = static_cast<std::size_t>(m.height * m.width);
    const float* v = m.values.data() + plane * static_cast<std::size_t>(channel);
    float lo = 0, hi = 0;
    if (input) {
        lo = *std::min_element(v, v + plane);
        hi = *std::max_element(v, v + plane);
    }
    for (int64_t y = 0; y < m.height; ++y) {
        auto* line = reinterpret_cast<QRgb*>(image.scanLine(static_cast<int>(y)));
        for (int64_t x = 0; x < m.width; ++x) {
            const float value = v[static_cast<std::size_t>(y * m.width + x)];
            if (input) {
                const int g = hi > lo ? static_cast<int>(std::lround(255 * (value - lo) / (hi - lo))) : 128;
                line[x] = qRgb(g, g, g);
            } else {
                line[x] = unitValueColor(value, m.maxAbs).rgb();
            }
        }
    }
    return image;
}

std::vector<QImage> outputPreviewImages(const ActivationMap& m, int maxImages) {
    std::vector<QImage> out;
    if (m.values.empty() || maxImages <= 0) return out;
    const bool input = m.op == "Input";
    if (m.height * m.width > 1) {
        for (int64_t c = 0; c < std::min<int64_t>(m.channels, maxImages); ++c) out.push_back(activationChannelImage(m, c, input));
        return out;
    }
    // A flat output: every value in one near-square grid, row by row; cells past the end grey.
    const auto count = static_cast<int64_t>(m.values.size());
    const auto side = static_cast<int>(std::ceil(std::sqrt(static_cast<double>(count))));
    QImage image(side, side, QImage::Format_RGB32);
    image.fill(QColor(0x9e, 0x9e, 0x9e));
    for (int64_t i = 0; i < count; ++i)
        image.setPixel(static_cast<int>(i % side), static_cast<int>(i / side),
                       unitValueColor(m.values[static_cast<std::size_t>(i)], m.maxAbs).rgb());
    out.push_back(image);
    return out;
}

}  // namespace neurite
