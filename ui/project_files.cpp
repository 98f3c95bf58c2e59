// File actions around the GraphModel's document.
#include "project_files.h"
#include "failure.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTimer>
#include <QUndoStack>

#include "action_guard.h"
#include "core/paths.h"
#include "designer/graph_model.h"

namespace neurite {

namespace {

constexpr int kMaxRecent = 8;
constexpr int kAutosaveMs = 15000;
const char* const kRecentKey = "files/recent";

// Open Project starts in the bundled examples (installed or source tree) until a project is open.
QString examplesStart() {
    return QString::fromStdString(examplesDir().string());
}

}  // namespace

ProjectFiles::ProjectFiles(GraphModel* model, QUndoStack* undo, QWidget* window)
    : QObject(window), m_model(model), m_undo(undo), m_window(window), m_autosave(new QTimer(this)) {
    m_autosaveDir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    m_autosave->setSingleShot(true);
    m_autosave->setInterval(kAutosaveMs);
    connect(m_autosave, &QTimer::timeout, this, &ProjectFiles::autosaveNow);
    connect(undo, &QUndoStack::indexChanged, this, [this] {
        if (isModified()) m_autosave->start();
    });
    connect(undo, &QUndoStack::cleanChanged, this, &ProjectFiles::modifiedChanged);
    m_prompt = [this](const QString& question) {
        const auto b = QMessageBox::question(m_window, tr("Unsaved changes"), question,
                                             QMessageBox::Save | QMessageBox::Discard |
                                                 QMessageBox::Cancel,
                                             QMessageBox::Save);
        return b == QMessageBox::Save ? Answer::Save : b == QMessageBox::Discard ? Answer::Discard
                                                                                 : Answer::Cancel;
    };
    m_askRestore = [this](const QString& question) {
        QMessageBox box(QMessageBox::Question, tr("Restore unsaved work"), question,
                        QMessageBox::NoButton, m_window);
        QPushButton* restore = box.addButton(tr("Restore"), QMessageBox::AcceptRole);
        box.addButton(tr("Discard"), QMessageBox::DestructiveRole);
        box.setDefaultButton(restore);
        box.exec();
        return box.clickedButton() == restore;
    };
    m_choosePath = [this](bool forSave) {
        const QString filter = tr("Neurite projects (*.neurite.json);;All files (*)");
        if (!forSave)
            return QFileDialog::getOpenFileName(
                m_window, tr("Open Project"), m_path.isEmpty() ? examplesStart() : QString(), filter);
        QString p = QFileDialog::getSaveFileName(m_window, tr("Save Project"),
                                                 m_path.isEmpty() ? displayName() + ".neurite.json" : m_path,
                                                 filter);
        if (!p.isEmpty() && !p.endsWith(".json")) p += ".neurite.json";
        return p;
    };
}

QString ProjectFiles::displayName() const {
    if (!m_model->document().name.empty()) return QString::fromStdString(m_model->document().name);
    return m_path.isEmpty() ? tr("Untitled") : QFileInfo(m_path).fileName();
}

bool ProjectFiles::isModified() const {
    return m_restoredDirty || !m_undo->isClean();
}

QStringList ProjectFiles::recentFiles() const {
    return QSettings().value(kRecentKey).toStringList();
}

void ProjectFiles::addRecent(const QString& path) {
    QSettings settings;
    QStringList list = settings.value(kRecentKey).toStringList();
    const QString abs = QFileInfo(path).absoluteFilePath();
    list.removeAll(abs);
    list.prepend(abs);
    while (list.size() > kMaxRecent) list.removeLast();
    settings.setValue(kRecentKey, list);
    emit recentFilesChanged();
}

void ProjectFiles::adopt(const ProjectDocument& doc, const QString& path, bool modified) {
    m_model->setDocument(doc);
    m_undo->clear();
    m_undo->setClean();
    m_restoredDirty = modified;
    m_path = path;
    emit pathChanged();
    emit modifiedChanged();
}

bool ProjectFiles::newProject(const ProjectDocument& doc) {
    if (!maybeSave()) return false;
    adopt(doc, QString(), false);
    discardAutosave();
    return true;
}

bool ProjectFiles::open(const QString& requested) {
    // No path (File > Open Project): ask for one, starting in the examples.
    const QString path = requested.isEmpty() ? m_choosePath(false) : requested;
    if (path.isEmpty()) return false;
    // Read the file first: one that cannot be opened is reported without asking about the
    // changes it would have replaced.
    std::vector<std::string> warnings;
    ProjectDocument doc;
    try {
        doc = loadProject(path.toStdString(), &warnings);
    } catch (...) {
        showFailure(currentFailure(), nullptr, m_window, tr("Cannot open project"));
        return false;
    }
    if (!maybeSave()) return false;
    adopt(doc, QFileInfo(path).absoluteFilePath(), false);
    discardAutosave();
    addRecent(path);
    emit message(warnings.empty() ? tr("Opened %1").arg(path)
                                  : tr("Opened %1 with %n warning(s): %2", nullptr, int(warnings.size()))
                                        .arg(path, QString::fromStdString(warnings.front())));
    return true;
}

bool ProjectFiles::save() {
    return m_path.isEmpty() ? saveAs() : saveTo(m_path);
}

bool ProjectFiles::saveAs() {
    const QString p = m_choosePath(true);
    return !p.isEmpty() && saveTo(p);
}

bool ProjectFiles::saveTo(const QString& path) {
    const bool ok = guarded(m_window, tr("Cannot save project"),
                            [&] { saveProject(m_model->document(), path.toStdString()); });
    if (!ok) return false;
    m_path = QFileInfo(path).absoluteFilePath();
    m_restoredDirty = false;
    m_undo->setClean();
    discardAutosave();
    addRecent(m_path);
    emit pathChanged();
    emit modifiedChanged();
    emit message(tr("Saved %1").arg(m_path));
    return true;
}

bool ProjectFiles::maybeSave() {
    if (!isModified()) return true;
    switch (m_prompt(tr("Save the changes to %1 before closing it?").arg(displayName()))) {
    case Answer::Save: return save();
    case Answer::Discard: return true;
    case Answer::Cancel: return false;
    }
    return false;
}

QString ProjectFiles::autosaveFile() const {
    return QDir(m_autosaveDir).filePath("autosave.neurite.json");
}

void ProjectFiles::autosaveNow() {
    if (!isModified()) return;
    QDir().mkpath(m_autosaveDir);
    try {
        saveProject(m_model->document(), autosaveFile().toStdString());
        QFile origin(autosaveFile() + ".origin");
        if (origin.open(QIODevice::WriteOnly | QIODevice::Truncate)) origin.write(m_path.toUtf8());
    } catch (...) {
        // Autosave is a safety net; failing it must not interrupt the user, only tell them.
        emit message(failureText(currentFailure(), tr("Autosave failed")));
    }
}

bool ProjectFiles::offerRestore() {
    if (!QFile::exists(autosaveFile())) return false;
    QFile origin(autosaveFile() + ".origin");
    const QString original = origin.open(QIODevice::ReadOnly) ? QString::fromUtf8(origin.readAll()) : QString();
    const QString when = QFileInfo(autosaveFile()).lastModified().toString(Qt::TextDate);
    const bool restore = m_askRestore(
        tr("Neurite closed without saving your last changes to %1. Restore the work autosaved at %2?")
            .arg(original.isEmpty() ? tr("an untitled project") : original, when));
    if (!restore) {
        discardAutosave();
        return false;
    }
    try {
        std::vector<std::string> warnings;
        const ProjectDocument doc = loadProject(autosaveFile().toStdString(), &warnings);
        adopt(doc, original, true);
        emit message(tr("Restored unsaved work; save it to keep it"));
        return true;
    } catch (...) {
        showFailure(currentFailure(), nullptr, m_window, tr("Cannot restore autosaved work"));
        return false;
    }
}

void ProjectFiles::discardAutosave() {
    QFile::remove(autosaveFile());
    QFile::remove(autosaveFile() + ".origin");
}

}  // namespace neurite
