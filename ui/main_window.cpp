// MainWindow wiring.
#include "main_window.h"

namespace neurite {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
    setWindowTitle(tr("Neurite"));
    resize(1200, 800);
}

}  // namespace neurite
