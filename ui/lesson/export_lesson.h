// File > Export Lesson: the teacher picks the lesson's title, the panels to hide, the settings to
// lock and writes its steps (Markdown, one step per block between lines of "---", a first line
// "## Title" naming the step); the project is written with that lesson section as one file to
// hand out. A project whose data or starting weights are files on this machine is refused: the
// lesson would not open elsewhere.
#pragma once

#include <QDialog>
#include <QString>

#include <vector>

#include "io/project.h"

class QLineEdit;
class QListWidget;
class QPlainTextEdit;

namespace neurite {

std::vector<LessonStep> lessonStepsFromText(const QString& text);
QString lessonTextFromSteps(const std::vector<LessonStep>& steps);
// Why `doc` cannot travel as a lesson file, or "" when it can.
QString lessonFileProblem(const ProjectDocument& doc);
// Writes `doc` with `lesson` to `path` and reads it back (the file must open as a lesson).
// Returns "" or the error.
QString writeLessonFile(ProjectDocument doc, const LessonConfig& lesson, const QString& path);

class ExportLessonDialog : public QDialog {
    Q_OBJECT
public:
    ExportLessonDialog(const ProjectDocument& doc, QWidget* parent = nullptr);
    LessonConfig lesson() const;  // as the dialog's fields say

    QLineEdit* titleEditor() const { return m_title; }
    QListWidget* hideList() const { return m_hide; }
    QListWidget* lockList() const { return m_lock; }
    QPlainTextEdit* stepsEditor() const { return m_steps; }

private:
    QLineEdit* m_title;
    QListWidget *m_hide, *m_lock;
    QPlainTextEdit* m_steps;
};

// The whole flow: refuses (with a message) a project that cannot travel, asks with the dialog,
// then where to save, writes, and says where it went.
void exportLessonDialog(QWidget* parent, const ProjectDocument& doc, const QString& projectPath);

}  // namespace neurite
