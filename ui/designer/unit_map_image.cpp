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

}  // namespace neurite
