#include "wheel_guard.h"

#include <QAbstractSpinBox>
#include <QApplication>
#include <QComboBox>
#include <QEvent>

namespace neurite {

namespace {
bool guarded(QObject* o) { return qobject_cast<QAbstractSpinBox*>(o) || qobject_cast<QComboBox*>(o); }
}  // namespace

void WheelGuard::install() {
    if (!qApp || qApp->findChild<WheelGuard*>(QString(), Qt::FindDirectChildrenOnly)) return;
    qApp->installEventFilter(new WheelGuard(qApp));
}

bool WheelGuard::eventFilter(QObject* watched, QEvent* event) {
    if (event->type() == QEvent::Polish && guarded(watched)) {
        // Qt gives these widgets the focus on a wheel turn (WheelFocus), which would let the very
        // turn that scrolls past them change them; a click or Tab still focuses them.
        auto* w = static_cast<QWidget*>(watched);
        if (w->focusPolicy() == Qt::WheelFocus) w->setFocusPolicy(Qt::StrongFocus);
    } else if (event->type() == QEvent::Wheel && guarded(watched) && !static_cast<QWidget*>(watched)->hasFocus()) {
        // Filtered but not accepted: QApplication passes the wheel on to the parent widgets,
        // up to the scroll area that should move.
        event->ignore();
        return true;
    }
    return QObject::eventFilter(watched, event);
}

}  // namespace neurite
