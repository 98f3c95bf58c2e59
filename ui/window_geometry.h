// Window geometry that fits the screen it opens on: the first-run size is bounded by the screen's
// available area (a 1280x720 laptop, or a desktop scaled by 125%), and a saved geometry is
// restored only when it still fits (another monitor, another scale factor). Only the current
// tab's minimum size counts, so the Runs tab's width does not add to the designer's docks.
#pragma once

#include <QByteArray>
#include <QRect>
#include <QSize>

class QTabWidget;
class QWidget;

namespace neurite {

// `preferred` bounded by `available` (less `frame`, the window manager's title bar and borders)
// and centred in it.
QRect fittedGeometry(QSize preferred, const QRect& available, QSize frame = {});

// Restores `saved` (QWidget::saveGeometry) on the not yet shown `window` when it fits the
// available geometry of the screen it lands on; otherwise gives the window fittedGeometry() of
// `preferred` on its screen. Returns whether the saved geometry was used.
bool restoreFittingGeometry(QWidget* window, const QByteArray& saved, QSize preferred);

// Makes only the current tab's minimum size count toward the window's (a tab widget otherwise
// asks for the largest of all its pages, plus the docks shown beside any of them), from now on.
void sizeTabsToCurrent(QTabWidget* tabs);

}  // namespace neurite
