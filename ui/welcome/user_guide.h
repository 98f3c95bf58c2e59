// Help > User Guide (F1): docs/user-guide.md, compiled in, shown offline in the studio.
#pragma once

#include <QDialog>

class QTextBrowser;

namespace neurite {

class UserGuideDialog : public QDialog {
    Q_OBJECT
public:
    explicit UserGuideDialog(QWidget* parent = nullptr);
    QTextBrowser* browser() const { return m_browser; }

    // The guide's Markdown text (empty only if the resource is missing from the build).
    static QString text();

private:
    QTextBrowser* m_browser;
};

}  // namespace neurite
