#include "number_field.h"

#include <QRegularExpression>

#include <charconv>
#include <cmath>
#include <string>

namespace neurite {

NumberField::NumberField(double lo, double hi, double step, Storage storage, QWidget* parent)
    : QDoubleSpinBox(parent), m_storage(storage) {
    // QDoubleSpinBox rounds its range and every value to `decimals`; with enough of them that
    // rounding never bites (1e-12 survives), and the text comes from textFromValue anyway.
    setDecimals(30);
    setRange(lo, hi);
    setSingleStep(step);
    setKeyboardTracking(false);
}

QString NumberField::shortest(double v, Storage storage) {
    if (!std::isfinite(v)) return QString::number(v);
    if (v == 0) return QStringLiteral("0");
    if (storage == Storage::Double) v = QString::number(v, 'g', 15).toDouble();  // 0.1 + 0.05 reads 0.15
    char buf[64];
    const std::to_chars_result r =
        storage == Storage::Float
            ? std::to_chars(buf, buf + sizeof buf, static_cast<float>(v), std::chars_format::scientific)
            : std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
    const std::string sci(buf, r.ptr);  // "-1.25e-05": the fewest digits that read back exactly
    const std::size_t e = sci.find('e');
    const int exponent = std::stoi(sci.substr(e + 1));
    if (exponent < -4 || exponent >= 9) return QString::fromStdString(sci);
    std::string digits;
    for (std::size_t i = 0; i < e; ++i)
        if (sci[i] >= '0' && sci[i] <= '9') digits += sci[i];
    QString out = v < 0 ? QStringLiteral("-") : QString();
    const QString d = QString::fromStdString(digits);
    if (exponent < 0) {
        out += QStringLiteral("0.") + QString(-exponent - 1, QLatin1Char('0')) + d;
    } else {
        const int whole = exponent + 1;
        out += d.left(whole).leftJustified(whole, QLatin1Char('0'));
        if (d.size() > whole) out += QLatin1Char('.') + d.mid(whole);
    }
    return out;
}

QValidator::State NumberField::validate(QString& text, int&) const {
    // A decimal comma (typed in a locale that writes 0,05) becomes the point the field shows.
    if (text.count(QLatin1Char(',')) == 1 && !text.contains(QLatin1Char('.')))
        text.replace(QLatin1Char(','), QLatin1Char('.'));
    const QString t = text.trimmed();
    if (!specialValueText().isEmpty() && t == specialValueText()) return QValidator::Acceptable;
    // What may still become a number while typing: "", "-", "0.", "1e", "1e-".
    static const QRegularExpression partial(QStringLiteral(R"(^[+-]?\d*\.?\d*([eE][+-]?\d*)?$)"));
    if (!partial.match(t).hasMatch()) return QValidator::Invalid;
    bool ok = false;
    const double v = t.toDouble(&ok);
    if (!ok || !std::isfinite(v)) return QValidator::Intermediate;
    return v >= minimum() && v <= maximum() ? QValidator::Acceptable : QValidator::Intermediate;
}

double NumberField::valueFromText(const QString& text) const {
    const QString t = text.trimmed();
    if (!specialValueText().isEmpty() && t == specialValueText()) return minimum();
    return t.toDouble();
}

QString NumberField::textFromValue(double v) const { return shortest(v, m_storage); }

}  // namespace neurite
