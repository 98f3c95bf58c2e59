// One error path for the GUI. A failed action keeps the engine's ErrorKind (currentFailure() in a
// catch block, or BackgroundTask's end), and one function decides by that kind how it is shown:
//   Cancelled                              a notice: the user asked for it, never red, no dialog
//   BadInput, Unsupported, Diverged, Io    inline, in red, where the action was taken: the
//                                          message says what to change (a file, a setting)
//   Internal                               inline and a dialog: a bug in Neurite, to report
// Where there is no inline place (a menu action), an inline failure is a dialog too.
// Cancellation is one concept from the trainer to the GUI: Error{Cancelled} (or a run's
// "cancelled" status) in the engine, exit code 130 in neurite-cli, a notice here.
#pragma once

#include <QString>

#include "core/error.h"

class QLabel;
class QWidget;

namespace neurite {

struct Failure {
    ErrorKind kind = ErrorKind::Internal;
    QString message;

    bool cancelled() const { return kind == ErrorKind::Cancelled; }
};

// The exception being handled (call only inside a catch block): neurite::Error keeps its kind,
// std::bad_alloc is "out of memory" (Io: nothing the user did wrong, nothing Neurite can fix),
// anything else is Internal.
Failure currentFailure();

enum class FailureView { Notice, Inline, Dialog };
FailureView viewOf(ErrorKind kind);

// "CONTEXT: MESSAGE" (the context names the action: "Cannot export").
QString failureText(const Failure& f, const QString& context = {});
// Shows `f` as its kind says: in `label` (may be null), and in a window-modal message box over
// `parent` that does not block the event loop when the view is Dialog (or Inline without a label).
void showFailure(const Failure& f, QLabel* label, QWidget* parent, const QString& context = {});
// A label's text back to its normal colour (after a failure was shown in it).
void clearFailure(QLabel* label);

}  // namespace neurite
