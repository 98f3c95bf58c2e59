// MainWindow: the studio's top-level window (docks, actions, connections; wiring only).
#pragma once

#include <QMainWindow>

namespace neurite {

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
};

}  // namespace neurite
