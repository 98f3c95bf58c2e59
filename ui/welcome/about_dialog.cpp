// The About dialog: a header, the facts as a two-column form, Copy and Close.
#include "about_dialog.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace neurite {

namespace {

std::vector<std::pair<QString, QString>> allFacts(const BuildInfo& info) {
    std::vector<std::pair<QString, QString>> out;
    for (const auto& [label, value] : facts(info)) {
        out.emplace_back(QString::fromStdString(label), QString::fromStdString(value));
        if (label == "Build") {
            out.emplace_back("Qt", QObject::tr("%1 (compiled with %2), platform %3")
                                       .arg(qVersion(), QT_VERSION_STR, QGuiApplication::platformName()));
        }
    }
    return out;
}

}  // namespace

QString aboutText(const BuildInfo& info) {
    QString text = QObject::tr("Neurite %1\n").arg(QString::fromStdString(info.version));
    for (const auto& [label, value] : allFacts(info)) text += label + ": " + value + "\n";
    return text;
}

AboutDialog::AboutDialog(const BuildInfo& info, QWidget* parent) : QDialog(parent), m_text(aboutText(info)) {
    setWindowTitle(tr("About Neurite"));
    setObjectName("AboutDialog");
    auto* layout = new QVBoxLayout(this);
    auto* title = new QLabel(tr("Neurite %1").arg(QString::fromStdString(info.version)), this);
    QFont f = title->font();
    f.setBold(true);
    f.setPointSizeF(f.pointSizeF() + 6);
    title->setFont(f);
    layout->addWidget(title);
    layout->addWidget(new QLabel(tr("A desktop studio for deep-learning experiments."), this));
    auto* form = new QFormLayout;
    form->setLabelAlignment(Qt::AlignRight);
    for (const auto& [label, value] : allFacts(info)) {
        auto* v = new QLabel(value, this);
        v->setWordWrap(true);
        v->setTextInteractionFlags(Qt::TextSelectableByMouse);
        v->setMinimumWidth(420);
        form->addRow(label + ":", v);
    }
    layout->addLayout(form);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    QPushButton* copy = buttons->addButton(tr("&Copy to clipboard"), QDialogButtonBox::ActionRole);
    copy->setToolTip(tr("Copies these facts as text, for a bug report"));
    connect(copy, &QPushButton::clicked, this, [this] { QApplication::clipboard()->setText(m_text); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
}

}  // namespace neurite
