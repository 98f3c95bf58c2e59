// NumberField: a decimal spin box that holds exactly what is typed, in plain or scientific
// notation ("0.05", "1e-3", "2.5E-4"), and shows a value in the shortest text that reads back as
// the same number at the precision the project stores it (float or double), instead of a fixed
// number of decimals that would round 1e-5 to 0. It commits on Enter, Tab or focus loss, never
// per keystroke, so typing "0.05" never passes through a committed 0. The training settings and
// the inspector use it for every decimal field.
#pragma once

#include <QDoubleSpinBox>

namespace neurite {

class NumberField : public QDoubleSpinBox {
    Q_OBJECT
public:
    enum class Storage { Float, Double };  // what the value is kept as in the project
    NumberField(double lo, double hi, double step, Storage storage, QWidget* parent = nullptr);

    // The shortest decimal text that reads back as `v` stored as `storage`: fixed notation from
    // 1e-4 up to 1e9, scientific ("1e-07") outside.
    static QString shortest(double v, Storage storage);

    QValidator::State validate(QString& text, int& pos) const override;
    double valueFromText(const QString& text) const override;
    QString textFromValue(double v) const override;

private:
    Storage m_storage;
};

}  // namespace neurite
