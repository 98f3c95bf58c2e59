// LessonMode: the studio with a lesson open (config/lesson_config.h, docs/teaching.md). The main
// window registers what each lesson panel id stands for (tabs, docks, actions, widgets) and how
// to lock the network and the settings; apply() then hides exactly what the lesson names, so
// that no tab, dock, menu entry or shortcut reaches it (a hidden action's shortcut is off), locks
// what it names plus the seed, and shows its steps in the Lesson dock. Opening a project without
// a lesson brings everything back.
#pragma once

#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

#include "config/lesson_config.h"

class QAction;
class QDockWidget;
class QLabel;
class QMainWindow;
class QPushButton;
class QTabBar;
class QTabWidget;
class QTextBrowser;
class QWidget;

namespace neurite {

// The Lesson dock's contents: the lesson's title, one step at a time (Markdown), Back and Next.
class LessonSteps : public QObject {
    Q_OBJECT
public:
    explicit LessonSteps(QWidget* parent);
    QWidget* widget() const { return m_widget; }
    void setLesson(const LessonConfig& lesson);
    int current() const { return m_current; }
    int count() const { return static_cast<int>(m_lesson.steps.size()); }
    void show(int step);
    QTextBrowser* text() const { return m_text; }
    QPushButton* nextButton() const { return m_next; }
    QPushButton* backButton() const { return m_back; }

private:
    LessonConfig m_lesson;
    int m_current = 0;
    QWidget* m_widget;
    QLabel *m_title, *m_counter;
    QTextBrowser* m_text;
    QPushButton *m_back, *m_next;
};

class LessonMode : public QObject {
    Q_OBJECT
public:
    struct Panel {
        QString id;  // one of lessonPanels()
        QList<QWidget*> tabs;        // pages of the main tab widget
        QList<QDockWidget*> docks;
        QList<QAction*> actions;     // menu entries and buttons that lead to it
        QList<QWidget*> widgets;     // anything else shown or hidden with it
        std::function<void(bool hidden)> toggle = {};  // what the others cannot say (an inner tab)
    };

    LessonMode(QMainWindow* window, QTabWidget* tabs, QTabBar* strip);
    void addPanel(Panel panel);
    // Called with true while a lesson locks the network, false after.
    void setNetworkLock(std::function<void(bool)> lock) { m_lockNetwork = std::move(lock); }
    // Called with the settings keys a lesson locks (the seed always), empty after.
    void setSettingsLock(std::function<void(const QStringList&)> lock) { m_lockSettings = std::move(lock); }

    // The open project's lesson, or none: hides, locks and shows its steps, or restores all.
    void apply(const std::optional<LessonConfig>& lesson);
    bool active() const { return m_active; }
    bool hides(const QString& id) const { return m_hidden.contains(id); }
    QDockWidget* stepsDock() const { return m_dock; }
    LessonSteps* steps() const { return m_steps; }

private:
    void keepOffHiddenTabs();

    QMainWindow* m_window;
    QTabWidget* m_tabs;
    QTabBar* m_strip;
    QList<Panel> m_panels;
    QStringList m_hidden;
    bool m_active = false;
    std::function<void(bool)> m_lockNetwork;
    std::function<void(const QStringList&)> m_lockSettings;
    QDockWidget* m_dock;
    LessonSteps* m_steps;
};

}  // namespace neurite
