// WelcomePage: the studio's Start tab. A gallery of the example projects (thumbnail, title,
// description, data set, model size, "Open" and "Open and train"), the recent projects (missing
// ones greyed with the reason), New / Open / New from template, and where runs are stored. It
// only emits requests; MainWindow carries them out.
#pragma once

#include <QList>
#include <QStringList>
#include <QWidget>

#include <atomic>
#include <memory>

#include "example_catalog.h"

class QGridLayout;
class QLabel;
class QListWidget;
class QListWidgetItem;
class QMenu;
class QPushButton;
class QScrollArea;
class QThread;

namespace neurite {

class WelcomePage : public QWidget {
    Q_OBJECT
public:
    explicit WelcomePage(QWidget* parent = nullptr);
    ~WelcomePage() override;  // stops counting parameters and waits for the worker

    // Reads the examples in `dir` (normally examplesDir()). Their parameters are counted off the
    // GUI thread once the page is first shown (or countSizes() is called); each card's size line
    // fills in as its count arrives.
    void loadExamples(const QString& dir);
    void countSizes();
    const QList<ExampleInfo>& examples() const { return m_examples; }
    // The size line of the example at `index` ("counting..." until its count arrived).
    QString sizeText(int index) const;
    bool sizesPending() const { return m_worker != nullptr; }

    void setRecentFiles(const QStringList& files);
    QListWidget* recentList() const { return m_recent; }
    // "Runs are stored in PATH", or why runs are not recorded.
    void setRunStore(const QString& path, const QString& problem);
    QString runStoreText() const;
    void setTemplateMenu(QMenu* menu);
    // The example cards flow into as many columns (1 to 3) as the page has room for.
    int columnCount() const;

signals:
    void openRequested(const QString& path, bool train);
    void newProjectRequested();
    void openFileRequested();
    void showRunsRequested();
    void sizesCounted();

protected:
    void showEvent(QShowEvent* event) override;
    void changeEvent(QEvent* event) override;  // a theme change redraws the thumbnails
    bool eventFilter(QObject* watched, QEvent* event) override;  // the gallery's width: reflow

private:
    QWidget* makeCard(int index);
    void flowCards();

    QList<ExampleInfo> m_examples;
    QList<QLabel*> m_sizeLabels;
    QList<QLabel*> m_thumbnails;
    QStringList m_sizes;
    QList<QWidget*> m_cards;
    int m_columns = 0;
    QScrollArea* m_scroll;
    QGridLayout* m_grid;
    QLabel* m_examplesNote;
    QListWidget* m_recent;
    QLabel* m_runStore;
    QPushButton* m_templates;
    QThread* m_worker = nullptr;
    int m_generation = 0;  // of loadExamples: counts from an older list are dropped
    bool m_counted = false;  // the current list's sizes were asked for
    std::shared_ptr<std::atomic<bool>> m_cancel;
};

}  // namespace neurite
