// guarded(): runs a UI action and turns any exception into a message box, so no exception ever
// crosses a Qt slot and a failed action leaves the user's work as it was.
#pragma once

#include <QMessageBox>
#include <QString>
#include <exception>
#include <utility>

namespace neurite {

// Returns false when `action` threw; the message box is window-modal but does not block, so
// the event loop (and tests) keep running.
template <class F> bool guarded(QWidget* parent, const QString& title, F&& action) {
    QString message;
    try {
        std::forward<F>(action)();
        return true;
    } catch (const std::exception& e) {
        message = QString::fromUtf8(e.what());
    } catch (...) {
        message = QObject::tr("an unexpected error occurred");
    }
    auto* box = new QMessageBox(QMessageBox::Warning, title, message, QMessageBox::Ok, parent);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
    return false;
}

}  // namespace neurite
