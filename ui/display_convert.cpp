// Plain copies from engine structs into the plotting structs and images.
#include "display_convert.h"

namespace neurite {

plot::DecisionGrid gridOf(const DecisionMap& map) {
    plot::DecisionGrid g;
    g.nx = g.ny = map.side;
    g.xMin = map.range.xMin;
    g.xMax = map.range.xMax;
    g.yMin = map.range.yMin;
    g.yMax = map.range.yMax;
    g.cls = map.cls;
    g.confidence = map.confidence;
    return g;
}

plot::LabelledPoints pointsOf(const DataDescription& data) {
    return plot::LabelledPoints{data.pointX, data.pointY, data.pointLabel};
}

QImage imageOf(const SampleImage& s) {
    if ((s.channels != 1 && s.channels != 3) || s.width <= 0 || s.height <= 0 ||
        s.pixels.size() != static_cast<std::size_t>(s.channels) * static_cast<std::size_t>(s.width * s.height))
        return {};
    QImage img(s.width, s.height, QImage::Format_RGB32);
    const auto plane = static_cast<std::size_t>(s.width * s.height);
    for (int y = 0; y < s.height; ++y)
        for (int x = 0; x < s.width; ++x) {
            const auto at = static_cast<std::size_t>(y * s.width + x);
            const int r = s.pixels[at];
            img.setPixel(x, y, s.channels == 1 ? qRgb(r, r, r) : qRgb(r, s.pixels[plane + at], s.pixels[2 * plane + at]));
        }
    return img;
}

QStringList namesOf(const std::vector<std::string>& names) {
    QStringList out;
    for (const std::string& n : names) out << QString::fromStdString(n);
    return out;
}

}  // namespace neurite
