// WheelGuard: spin boxes and combo boxes take the mouse wheel only while they have the keyboard
// focus; otherwise the wheel scrolls what they sit in (the training settings column, the
// inspector, a dialog), so scrolling past a field never changes it. One event filter on the
// application covers every panel, present and future.
#pragma once

#include <QObject>

namespace neurite {

class WheelGuard : public QObject {
    Q_OBJECT
public:
    // Installs the guard on the running application once; later calls do nothing.
    static void install();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    using QObject::QObject;
};

}  // namespace neurite
