// Fitting the main window to the screen. Before the window is shown its frame is unknown; a
// typical title bar and border are reserved so the frame fits too.
#include "window_geometry.h"

#include <QGuiApplication>
#include <QScreen>
#include <QTabWidget>
#include <QWidget>

namespace neurite {

namespace {

const QSize kFrameAllowance(8, 36);  // borders and title bar of common window managers

QRect availableFor(const QWidget* window) {
    const QScreen* screen = window->screen() ? window->screen() : QGuiApplication::primaryScreen();
    return screen ? screen->availableGeometry() : QRect();
}

}  // namespace

QRect fittedGeometry(QSize preferred, const QRect& available, QSize frame) {
    if (available.isEmpty()) return QRect(QPoint(0, 0), preferred);
    const QSize room = (available.size() - frame).expandedTo(QSize(1, 1));
    const QSize size = preferred.boundedTo(room);
    // The frame: a border of frame.width()/2 on each side, the title bar above.
    const int border = frame.width() / 2;
    const QPoint topLeft(available.left() + border + (room.width() - size.width()) / 2,
                         available.top() + frame.height() - border + (room.height() - size.height()) / 2);
    return QRect(topLeft, size);
}

bool restoreFittingGeometry(QWidget* window, const QByteArray& saved, QSize preferred) {
    if (!saved.isEmpty() && window->restoreGeometry(saved)) {
        const QRect available = availableFor(window);
        // Maximized or full screen windows take the screen's size, whatever it is now.
        if (window->isMaximized() || window->isFullScreen() || available.isEmpty() ||
            available.contains(window->geometry()))
            return true;
        window->setWindowState(Qt::WindowNoState);
    }
    window->setGeometry(fittedGeometry(preferred, availableFor(window), kFrameAllowance));
    return false;
}

void sizeTabsToCurrent(QTabWidget* tabs) {
    const auto apply = [tabs](int current) {
        // A stacked layout leaves pages whose size policy is Ignored out of its minimum size.
        for (int i = 0; i < tabs->count(); ++i) {
            const QSizePolicy::Policy p = i == current ? QSizePolicy::Preferred : QSizePolicy::Ignored;
            tabs->widget(i)->setSizePolicy(p, p);
        }
    };
    QObject::connect(tabs, &QTabWidget::currentChanged, tabs, apply);
    apply(tabs->currentIndex());
}

}  // namespace neurite
