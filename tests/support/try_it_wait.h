// Waiting for the Try it panel's workers in the GUI tests (header-only: only the ui suites, which
// link the GUI, include it).
#pragma once

#include <QSignalSpy>
#include <QtTest>

#include "deploy/try_it_panel.h"
#include "support/test_env.h"

namespace neurite::test {

// Until the panel's predictions are shown (they run on a worker).
inline bool settle(TryItPanel& panel) {
    return QTest::qWaitFor([&] { return !panel.predicting(); }, kSlowWaitMs);
}

// loadModel(), then its end on the worker: true when the model is in.
inline bool loadAndWait(TryItPanel& panel, const QString& path) {
    QSignalSpy loaded(&panel, &TryItPanel::modelLoaded), failed(&panel, &TryItPanel::modelLoadFailed);
    if (!panel.loadModel(path)) return false;
    if (!QTest::qWaitFor([&] { return !loaded.isEmpty() || !failed.isEmpty(); }, kSlowWaitMs)) return false;
    return loaded.count() == 1;
}

}  // namespace neurite::test
