// The settings forms' editor helpers (the Training tab's TrainingSettings and its
// CompressionEditors): editors named after the project-file key they edit, with tooltips that say
// what they do and their range, and filling them without disturbing a field being typed in.
#pragma once

#include <QComboBox>
#include <QLineEdit>
#include <QObject>
#include <QSpinBox>
#include <QString>
#include <QStringList>
#include <QWidget>

#include <string>

#include "number_field.h"

namespace neurite::fields {

// Names a field after the project-file key it edits ("training.optimizer.lr") and says what it
// does and, for numbers, the range it takes (read from the editor itself).
inline void describe(QWidget* w, const char* key, const QString& what) {
    w->setObjectName(QLatin1String(key));
    QString tip = what;
    if (auto* d = qobject_cast<NumberField*>(w))
        tip += QObject::tr("\nRange: %1 to %2.").arg(NumberField::shortest(d->minimum(), NumberField::Storage::Double),
                                                   NumberField::shortest(d->maximum(), NumberField::Storage::Double));
    else if (auto* i = qobject_cast<QSpinBox*>(w))
        tip += QObject::tr("\nRange: %1 to %2.").arg(i->minimum()).arg(i->maximum());
    w->setToolTip(tip);
}

inline NumberField* number(QWidget* parent, double lo, double hi, double step,
                    NumberField::Storage storage = NumberField::Storage::Float) {
    return new NumberField(lo, hi, step, storage, parent);
}

inline QSpinBox* integer(QWidget* parent, int lo, int hi) {
    auto* b = new QSpinBox(parent);
    b->setRange(lo, hi);
    b->setKeyboardTracking(false);  // "20" is one edit, not 2 then 20
    return b;
}

// A combo whose items carry the project-file names as data. It may be narrower than its longest
// item (the settings column must fit its pane); the open list shows the items whole.
inline QComboBox* choice(QWidget* parent, const QStringList& names = {}) {
    auto* c = new QComboBox(parent);
    for (const QString& n : names) c->addItem(n, n);
    c->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    c->setMinimumContentsLength(8);
    return c;
}

inline void select(QComboBox* c, const QString& name) {
    const int i = c->findData(name);
    c->setCurrentIndex(i >= 0 ? i : 0);
}

// Filling the editors from the document rewrites only what differs, so a field being typed in
// keeps its text when another setting changes.
template <class Box, class V> void showValue(Box* box, V v) {
    if (box->value() != v) box->setValue(v);
}
inline void showValue(QLineEdit* edit, const std::string& text) {
    const QString t = QString::fromStdString(text);
    if (edit->text() == t) return;
    edit->setText(t);
    edit->setCursorPosition(0);  // a long data source shows its kind ("synthetic:spiral?..."), not its tail
}

}  // namespace neurite::fields
