// guarded(): runs a UI action (a menu or toolbar action, with no panel of its own to show a
// message in) and shows any failure the one way failure.h decides: a notice for a cancel, else a
// message box. No exception ever crosses a Qt slot, and a failed action leaves the user's work
// as it was.
#pragma once

#include <QString>
#include <utility>

#include "failure.h"

namespace neurite {

// Returns false when `action` threw; the message box is window-modal but does not block, so
// the event loop (and tests) keep running. `context` names the action ("Cannot save project").
template <class F> bool guarded(QWidget* parent, const QString& context, F&& action) {
    try {
        std::forward<F>(action)();
        return true;
    } catch (...) {
        const Failure failure = currentFailure();
        if (!failure.cancelled()) showFailure(failure, nullptr, parent, context);
        return false;
    }
}

}  // namespace neurite
