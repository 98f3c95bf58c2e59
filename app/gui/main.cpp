// neurite: the GUI entry point (wiring only).
#include <QApplication>

#include "main_window.h"

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    neurite::MainWindow window;
    window.show();
    return app.exec();
}
