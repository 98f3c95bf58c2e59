// ProjectFiles: the open project's file life: new, open, save, save-as, the recent-files list
// (QSettings), the prompt before unsaved changes are lost, and an autosave every few seconds of
// idle editing that is offered back after a crash. Opening a broken file shows the parser's
// message and leaves the open project as it was.
#pragma once

#include <QObject>
#include <QString>
#include <QStringList>
#include <functional>

#include "io/project.h"

class QTimer;
class QUndoStack;
class QWidget;

namespace neurite {

class GraphModel;

class ProjectFiles : public QObject {
    Q_OBJECT
public:
    enum class Answer { Save, Discard, Cancel };
    using Prompt = std::function<Answer(const QString& question)>;
    using PathChooser = std::function<QString(bool forSave)>;
    using RestorePrompt = std::function<bool(const QString& question)>;  // true: restore

    ProjectFiles(GraphModel* model, QUndoStack* undo, QWidget* window);

    QString path() const { return m_path; }
    QString displayName() const;
    bool isModified() const;
    QStringList recentFiles() const;

    // Each returns false when the user cancelled or the action failed (with a message shown).
    bool newProject(const ProjectDocument& doc);
    bool open(const QString& path);  // an empty path asks for one (the path chooser)
    bool save();
    bool saveAs();
    bool saveTo(const QString& path);
    // Asks to save unsaved changes; false = the user cancelled.
    bool maybeSave();

    // Autosave: where it writes (default: the app's data location) and a manual trigger.
    void setAutosaveDirectory(const QString& dir) { m_autosaveDir = dir; }
    QString autosaveFile() const;
    void autosaveNow();
    // Offers work an earlier session autosaved and did not close cleanly; true when restored.
    bool offerRestore();
    void discardAutosave();

    // Tests and headless use replace the dialogs.
    void setPrompt(Prompt prompt) { m_prompt = std::move(prompt); }
    void setPathChooser(PathChooser chooser) { m_choosePath = std::move(chooser); }
    void setRestorePrompt(RestorePrompt prompt) { m_askRestore = std::move(prompt); }

signals:
    void pathChanged();
    void modifiedChanged();
    void recentFilesChanged();
    void message(const QString& text);

private:
    void adopt(const ProjectDocument& doc, const QString& path, bool modified);
    void addRecent(const QString& path);

    GraphModel* m_model;
    QUndoStack* m_undo;
    QWidget* m_window;
    QTimer* m_autosave;
    QString m_path;
    QString m_autosaveDir;
    bool m_restoredDirty = false;  // restored from autosave: unsaved although the stack is clean
    Prompt m_prompt;
    PathChooser m_choosePath;
    RestorePrompt m_askRestore;
};

}  // namespace neurite
