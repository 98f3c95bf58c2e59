#include "failure.h"

#include <QLabel>
#include <QMessageBox>
#include <QObject>

#include <exception>
#include <new>

namespace neurite {

Failure currentFailure() {
    try {
        throw;
    } catch (const Error& e) {
        return {e.kind(), QString::fromUtf8(e.what())};
    } catch (const std::bad_alloc&) {
        return {ErrorKind::Io, QObject::tr("out of memory")};
    } catch (const std::exception& e) {
        return {ErrorKind::Internal, QString::fromUtf8(e.what())};
    } catch (...) {
        return {ErrorKind::Internal, QObject::tr("an unexpected error occurred")};
    }
}

FailureView viewOf(ErrorKind kind) {
    switch (kind) {
    case ErrorKind::Cancelled: return FailureView::Notice;
    case ErrorKind::BadInput:
    case ErrorKind::Unsupported:
    case ErrorKind::Diverged:
    case ErrorKind::Io: return FailureView::Inline;
    case ErrorKind::Internal: return FailureView::Dialog;
    }
    return FailureView::Dialog;
}

QString failureText(const Failure& f, const QString& context) {
    if (f.cancelled()) return context.isEmpty() ? QObject::tr("Cancelled.") : QObject::tr("%1: cancelled.").arg(context);
    return context.isEmpty() ? f.message : QStringLiteral("%1: %2").arg(context, f.message);
}

void showFailure(const Failure& f, QLabel* label, QWidget* parent, const QString& context) {
    const FailureView view = viewOf(f.kind);
    const QString text = failureText(f, context);
    if (label) {
        label->setStyleSheet(view == FailureView::Notice ? QString() : QStringLiteral("color: #b00020;"));
        label->setText(text);
    }
    if (view == FailureView::Dialog || (view == FailureView::Inline && !label)) {
        const QString detail = view == FailureView::Dialog
                                   ? QObject::tr("%1\n\nThis is a bug in Neurite; please report it with what you did.").arg(text)
                                   : text;
        auto* box = new QMessageBox(QMessageBox::Warning, QObject::tr("Neurite"), detail, QMessageBox::Ok, parent);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    }
}

void clearFailure(QLabel* label) {
    label->setStyleSheet(QString());
    label->clear();
}

}  // namespace neurite
