#include "plot_data.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <utility>

namespace neurite::plot {

QString csvField(const QString& text) {
    if (!text.contains(QLatin1Char(',')) && !text.contains(QLatin1Char('"')) &&
        !text.contains(QLatin1Char('\n')))
        return text;
    return QLatin1Char('"') + QString(text).replace(QLatin1Char('"'), QStringLiteral("\"\"")) +
           QLatin1Char('"');
}

QColor seriesColor(int k) {
    static constexpr std::array<QRgb, 10> kTableau{0x4e79a7, 0xf28e2b, 0xe15759, 0x76b7b2, 0x59a14f,
                                                  0xedc948, 0xb07aa1, 0xff9da7, 0x9c755f, 0xbab0ac};
    if (k >= 0 && k < static_cast<int>(kTableau.size())) return QColor(kTableau[static_cast<std::size_t>(k)]);
    // Golden-angle hue steps keep neighbouring indices apart.
    return QColor::fromHsv((k * 137) % 360, 160, 200);
}

std::vector<double> logTicks(double lo, double hi) {
    std::vector<double> out;
    if (!(lo > 0) || !(hi > lo) || !std::isfinite(hi)) return out;
    const auto inRange = [&](double v) { return v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9); };
    const double first = std::pow(10.0, std::floor(std::log10(lo)));
    // Coarse to fine; the first that gives enough ticks wins (1..9 crowds near the decade's top).
    const std::vector<std::pair<std::vector<double>, std::size_t>> steps{
        {{1}, 3}, {{1, 2, 5}, 4}, {{1, 2, 3, 5}, 3}, {{1, 2, 3, 4, 5, 6, 7, 8, 9}, 0}};
    for (const auto& [mantissas, enough] : steps) {
        out.clear();
        for (double decade = first; decade <= hi * (1 + 1e-9); decade *= 10)
            for (double m : mantissas)
                if (inRange(m * decade)) out.push_back(m * decade);
        if (out.size() >= enough) break;
    }
    return out;
}

QString shortNumber(double v) {
    const double a = std::fabs(v);
    if (a >= 1e9) return QString::number(v / 1e9, 'g', 3) + QLatin1Char('G');
    if (a >= 1e6) return QString::number(v / 1e6, 'g', 3) + QLatin1Char('M');
    if (a >= 1e3) return QString::number(v / 1e3, 'g', 3) + QLatin1Char('k');
    return QString::number(v, 'g', 3);
}

double segmentDistance(QPointF p, QPointF a, QPointF b) {
    const QPointF ab = b - a;
    const double len2 = QPointF::dotProduct(ab, ab);
    const double t = len2 > 0 ? std::clamp(QPointF::dotProduct(p - a, ab) / len2, 0.0, 1.0) : 0.0;
    const QPointF d = p - (a + t * ab);
    return std::hypot(d.x(), d.y());
}

}  // namespace neurite::plot
