#include "plot_data.h"

#include <array>

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

}  // namespace neurite::plot
