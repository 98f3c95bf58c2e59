#include "export_lesson.h"

#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QVBoxLayout>

#include "core/error.h"
#include "failure.h"

namespace neurite {

std::vector<LessonStep> lessonStepsFromText(const QString& text) {
    std::vector<LessonStep> steps;
    const QStringList blocks = text.split(QRegularExpression(QStringLiteral("(^|\\n)\\s*---\\s*(\\n|$)")));
    for (const QString& block : blocks) {
        QString body = block.trimmed();
        if (body.isEmpty()) continue;
        LessonStep step;
        if (body.startsWith(QLatin1String("## "))) {
            const qsizetype end = body.indexOf(QLatin1Char('\n'));
            step.title = body.mid(3, end < 0 ? -1 : end - 3).trimmed().toStdString();
            body = end < 0 ? QString() : body.mid(end + 1).trimmed();
        }
        step.text = body.toStdString();
        if (step.text.empty()) step.text = step.title;  // a heading alone is the step's text
        steps.push_back(std::move(step));
    }
    return steps;
}

QString lessonTextFromSteps(const std::vector<LessonStep>& steps) {
    QStringList blocks;
    for (const LessonStep& s : steps)
        blocks << (s.title.empty() ? QString() : QStringLiteral("## %1\n").arg(QString::fromStdString(s.title))) +
                      QString::fromStdString(s.text);
    return blocks.join(QStringLiteral("\n---\n"));
}

QString lessonFileProblem(const ProjectDocument& doc) {
    const QString source = QString::fromStdString(doc.data.source);
    if (!source.startsWith(QLatin1String("builtin:")) && !source.startsWith(QLatin1String("synthetic:")))
        return QObject::tr("The data source \"%1\" is a file on this computer, and a lesson file does not carry it: "
                           "use a built-in or synthetic data set for a lesson.")
            .arg(source);
    if (!doc.weights.empty())
        return QObject::tr("The model starts from the weights file \"%1\", which a lesson file does not carry: clear "
                           "Start from in the training settings.")
            .arg(QString::fromStdString(doc.weights));
    return {};
}

QString writeLessonFile(ProjectDocument doc, const LessonConfig& lesson, const QString& path) {
    doc.lesson = lesson;
    try {
        saveProject(doc, path.toStdString());
        (void)loadProject(path.toStdString(), nullptr);
    } catch (...) {
        return failureText(currentFailure(), QObject::tr("The lesson was not written"));
    }
    return {};
}

ExportLessonDialog::ExportLessonDialog(const ProjectDocument& doc, QWidget* parent) : QDialog(parent) {
    setWindowTitle(tr("Export Lesson"));
    setObjectName(QStringLiteral("exportLessonDialog"));
    const LessonConfig current = doc.lesson.value_or(LessonConfig{});
    m_title = new QLineEdit(QString::fromStdString(current.title.empty() ? doc.name : current.title), this);
    m_title->setToolTip(tr("The lesson's name, shown above its steps"));
    const auto checkList = [this](std::span<const LessonItem> items, const std::vector<std::string>& on) {
        auto* list = new QListWidget(this);
        for (const LessonItem& i : items) {
            auto* item = new QListWidgetItem(QStringLiteral("%1: %2").arg(QString::fromLatin1(i.id), tr(i.what)), list);
            item->setData(Qt::UserRole, QString::fromLatin1(i.id));
            item->setFlags(Qt::ItemIsUserCheckable | Qt::ItemIsEnabled);
            item->setCheckState(std::find(on.begin(), on.end(), i.id) != on.end() ? Qt::Checked : Qt::Unchecked);
        }
        return list;
    };
    m_hide = checkList(lessonPanels(), current.hide);
    m_hide->setToolTip(tr("Panels the students do not see: no tab, menu entry or shortcut leads to them"));
    m_lock = checkList(lessonLocks(), current.lock);
    m_lock->setToolTip(tr("What the students cannot change (the seed is always fixed)"));
    m_steps = new QPlainTextEdit(lessonTextFromSteps(current.steps), this);
    m_steps->setPlaceholderText(tr("## First step\nWhat to look at and what to press (Markdown).\n---\n## Second step\n..."));
    m_steps->setToolTip(tr("The steps, in Markdown: a line of --- between steps, a first line \"## Title\" names one"));
    auto* form = new QFormLayout;
    form->addRow(tr("Title"), m_title);
    form->addRow(tr("Hide"), m_hide);
    form->addRow(tr("Lock"), m_lock);
    form->addRow(tr("Steps"), m_steps);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Export..."));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("The seed is fixed in a lesson: every student starts from the same weights."), this));
    layout->addLayout(form, 1);
    layout->addWidget(buttons);
    resize(640, 720);
}

LessonConfig ExportLessonDialog::lesson() const {
    LessonConfig l;
    l.title = m_title->text().trimmed().toStdString();
    const auto checked = [](QListWidget* list) {
        std::vector<std::string> ids;
        for (int i = 0; i < list->count(); ++i)
            if (list->item(i)->checkState() == Qt::Checked) ids.push_back(list->item(i)->data(Qt::UserRole).toString().toStdString());
        return ids;
    };
    l.hide = checked(m_hide);
    l.lock = checked(m_lock);
    l.steps = lessonStepsFromText(m_steps->toPlainText());
    return l;
}

void exportLessonDialog(QWidget* parent, const ProjectDocument& doc, const QString& projectPath) {
    if (const QString problem = lessonFileProblem(doc); !problem.isEmpty()) {
        QMessageBox::warning(parent, QObject::tr("Export Lesson"), problem);
        return;
    }
    ExportLessonDialog dialog(doc, parent);
    if (dialog.exec() != QDialog::Accepted) return;
    const QString folder = projectPath.isEmpty() ? QString() : QFileInfo(projectPath).absolutePath();
    const QString stem = QString::fromStdString(doc.name.empty() ? "lesson" : doc.name).replace(QLatin1Char(' '), QLatin1Char('_'));
    const QString path = QFileDialog::getSaveFileName(parent, QObject::tr("Export Lesson"),
                                                      QDir(folder).filePath(stem + QStringLiteral(".lesson.neurite.json")),
                                                      QObject::tr("Neurite lessons (*.neurite.json)"));
    if (path.isEmpty()) return;
    if (const QString error = writeLessonFile(doc, dialog.lesson(), path); !error.isEmpty())
        QMessageBox::warning(parent, QObject::tr("Export Lesson"), error);
    else
        QMessageBox::information(parent, QObject::tr("Export Lesson"),
                                 QObject::tr("The lesson is in %1. Opened in Neurite, it shows its steps and hides "
                                             "what you chose.")
                                     .arg(QDir::toNativeSeparators(path)));
}

}  // namespace neurite
