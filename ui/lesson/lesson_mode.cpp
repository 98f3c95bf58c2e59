#include "lesson_mode.h"

#include <QAction>

#include <algorithm>
#include <QDockWidget>
#include <QHBoxLayout>
#include <QLabel>
#include <QMainWindow>
#include <QPushButton>
#include <QTabBar>
#include <QTabWidget>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace neurite {

LessonSteps::LessonSteps(QWidget* parent) : QObject(parent), m_widget(new QWidget(parent)) {
    m_title = new QLabel(m_widget);
    m_title->setWordWrap(true);
    QFont f = m_title->font();
    f.setBold(true);
    f.setPointSizeF(f.pointSizeF() * 1.2);
    m_title->setFont(f);
    m_text = new QTextBrowser(m_widget);
    m_text->setOpenExternalLinks(false);
    m_text->setObjectName(QStringLiteral("lessonText"));
    m_counter = new QLabel(m_widget);
    m_back = new QPushButton(tr("Back"), m_widget);
    m_next = new QPushButton(tr("Next"), m_widget);
    m_back->setToolTip(tr("The previous step of the lesson"));
    m_next->setToolTip(tr("The next step of the lesson"));
    // A wide, low panel: the title, the step counter, Back and Next on one line, the text below.
    auto* head = new QHBoxLayout;
    head->addWidget(m_title, 1);
    head->addWidget(m_counter);
    head->addWidget(m_back);
    head->addWidget(m_next);
    auto* layout = new QVBoxLayout(m_widget);
    layout->setContentsMargins(6, 2, 6, 4);
    layout->addLayout(head);
    layout->addWidget(m_text, 1);
    m_text->setMinimumHeight(48);
    connect(m_back, &QPushButton::clicked, this, [this] { show(m_current - 1); });
    connect(m_next, &QPushButton::clicked, this, [this] { show(m_current + 1); });
}

void LessonSteps::setLesson(const LessonConfig& lesson) {
    m_lesson = lesson;
    m_title->setText(QString::fromStdString(lesson.title));
    m_title->setVisible(!lesson.title.empty());
    show(0);
}

void LessonSteps::show(int step) {
    const int n = count();
    m_current = n == 0 ? 0 : std::clamp(step, 0, n - 1);
    if (n == 0) {
        m_text->setMarkdown(QString());
        m_counter->clear();
    } else {
        const LessonStep& s = m_lesson.steps[static_cast<std::size_t>(m_current)];
        QString md = s.title.empty() ? QString() : QStringLiteral("### %1\n\n").arg(QString::fromStdString(s.title));
        m_text->setMarkdown(md + QString::fromStdString(s.text));
        m_counter->setText(tr("Step %1 of %2").arg(m_current + 1).arg(n));
    }
    m_back->setEnabled(m_current > 0);
    m_next->setEnabled(m_current + 1 < n);
}

LessonMode::LessonMode(QMainWindow* window, QTabWidget* tabs, QTabBar* strip)
    : QObject(window), m_window(window), m_tabs(tabs), m_strip(strip) {
    m_steps = new LessonSteps(window);
    m_dock = new QDockWidget(tr("Lesson"), window);
    m_dock->setObjectName(QStringLiteral("LessonDock"));
    m_dock->setWidget(m_steps->widget());
    // Below the work: beside the Problems panel on the Designer, under the plots on the Training
    // tab (at 1280x720 the Training tab has no width to spare beside it).
    window->addDockWidget(Qt::BottomDockWidgetArea, m_dock);
    m_dock->hide();
    m_dock->toggleViewAction()->setVisible(false);
    connect(m_tabs, &QTabWidget::currentChanged, this, &LessonMode::keepOffHiddenTabs);
}

void LessonMode::addPanel(Panel panel) { m_panels.append(std::move(panel)); }

void LessonMode::keepOffHiddenTabs() {
    const int i = m_tabs->currentIndex();
    if (i < 0 || m_tabs->isTabVisible(i)) return;
    for (int k = 0; k < m_tabs->count(); ++k)
        if (m_tabs->isTabVisible(k)) {
            m_tabs->setCurrentIndex(k);
            return;
        }
}

void LessonMode::apply(const std::optional<LessonConfig>& lesson) {
    QStringList hide;
    if (lesson)
        for (const std::string& id : lesson->hide) hide << QString::fromStdString(id);
    for (const Panel& p : std::as_const(m_panels)) {
        const bool hidden = hide.contains(p.id);
        const bool was = m_hidden.contains(p.id);
        if (hidden == was) continue;
        for (QWidget* page : p.tabs) {
            const int i = m_tabs->indexOf(page);
            if (i < 0) continue;
            m_tabs->setTabVisible(i, !hidden);
            if (m_strip && i < m_strip->count()) m_strip->setTabVisible(i, !hidden);
        }
        for (QDockWidget* d : p.docks) {
            d->toggleViewAction()->setVisible(!hidden);
            d->setVisible(!hidden);
        }
        for (QAction* a : p.actions) a->setVisible(!hidden);  // an invisible action's shortcut is off
        for (QWidget* w : p.widgets) w->setVisible(!hidden);
        if (p.toggle) p.toggle(hidden);
    }
    m_hidden = hide;
    keepOffHiddenTabs();
    m_active = lesson.has_value();
    bool network = false;
    QStringList keys;
    if (lesson) {
        for (const std::string& id : lesson->lock) {
            if (id == "network") network = true;
            else keys << QString::fromStdString(id);
        }
        keys << QStringLiteral("training.seed");  // every student starts from the same weights
    }
    if (m_lockNetwork) m_lockNetwork(network);
    if (m_lockSettings) m_lockSettings(keys);
    const bool steps = lesson && (!lesson->steps.empty() || !lesson->title.empty());
    if (lesson) m_steps->setLesson(*lesson);
    m_dock->toggleViewAction()->setVisible(steps);
    m_dock->setVisible(steps);
    if (steps) {
        m_window->resizeDocks({m_dock}, {170}, Qt::Vertical);
        // Beside the Problems panel, the steps take the larger share of the width.
        auto* problems = m_window->findChild<QDockWidget*>(QStringLiteral("ProblemsDock"));
        if (problems && problems->isVisible() && m_window->dockWidgetArea(problems) == Qt::BottomDockWidgetArea)
            m_window->resizeDocks({problems, m_dock}, {m_window->width() * 2 / 5, m_window->width() * 3 / 5}, Qt::Horizontal);
    }
}

}  // namespace neurite
