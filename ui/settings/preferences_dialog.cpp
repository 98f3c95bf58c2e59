// The preferences form. Devices that cannot train are listed but disabled, with the reason.
#include "preferences_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QThread>
#include <QVBoxLayout>

namespace neurite {

PreferencesDialog::PreferencesDialog(const Preferences& current, const DeviceList& devices,
                                     const QString& defaultDatabase, Apply apply, QWidget* parent)
    : QDialog(parent), m_apply(std::move(apply)) {
    setWindowTitle(tr("Preferences"));
    setObjectName("PreferencesDialog");
    auto* form = new QFormLayout;

    m_theme = new QComboBox(this);
    m_theme->addItem(tr("System"), int(Preferences::Theme::System));
    m_theme->addItem(tr("Light"), int(Preferences::Theme::Light));
    m_theme->addItem(tr("Dark"), int(Preferences::Theme::Dark));
    m_theme->setCurrentIndex(m_theme->findData(int(current.theme)));
    form->addRow(tr("&Theme:"), m_theme);

    m_device = new QComboBox(this);
    m_device->addItem(tr("Auto (the CPU until a GPU can train)"), QString("auto"));
    for (const DeviceEntry& d : devices.devices) {
        const QString id = QString::fromStdString(d.id);
        m_device->addItem(QString("%1: %2").arg(id, QString::fromStdString(d.name)), id);
        const int row = m_device->count() - 1;
        m_device->setItemData(row, QString::fromStdString(d.usable ? d.details : d.reason), Qt::ToolTipRole);
        if (!d.usable)
            if (auto* model = qobject_cast<QStandardItemModel*>(m_device->model()))
                model->item(row)->setEnabled(false);
    }
    const int deviceRow = m_device->findData(current.device);
    if (deviceRow >= 0) {
        m_device->setCurrentIndex(deviceRow);
    } else {  // a GPU saved on another machine: keep it visible, so OK does not change it silently
        m_device->addItem(tr("%1 (not found on this machine)").arg(current.device), current.device);
        m_device->setCurrentIndex(m_device->count() - 1);
    }
    auto* deviceNote = new QLabel(devices.gpuNote.empty() ? QString()
                                                          : tr("GPU: %1").arg(QString::fromStdString(devices.gpuNote)),
                                  this);
    deviceNote->setWordWrap(true);
    deviceNote->setVisible(!devices.gpuNote.empty());
    auto* deviceColumn = new QVBoxLayout;
    deviceColumn->addWidget(m_device);
    deviceColumn->addWidget(deviceNote);
    auto* deviceLabel = new QLabel(tr("Default &device:"), this);
    deviceLabel->setBuddy(m_device);  // a row holding a layout gets no buddy by itself
    form->addRow(deviceLabel, deviceColumn);

    m_threads = new QSpinBox(this);
    m_threads->setRange(0, 4096);
    m_threads->setSpecialValueText(tr("all cores (%1)").arg(QThread::idealThreadCount()));
    m_threads->setValue(current.threads);
    form->addRow(tr("Default t&hreads:"), m_threads);

    m_database = new QLineEdit(current.runDatabase, this);
    m_database->setPlaceholderText(defaultDatabase);
    m_database->setClearButtonEnabled(true);
    auto* browse = new QPushButton(tr("&Browse..."), this);
    connect(browse, &QPushButton::clicked, this, [this, defaultDatabase] {
        const QString start = m_database->text().isEmpty() ? defaultDatabase : m_database->text();
        const QString file = QFileDialog::getSaveFileName(this, tr("Run database"), start,
                                                          tr("Run databases (*.db);;All files (*)"), nullptr,
                                                          QFileDialog::DontConfirmOverwrite);
        if (!file.isEmpty()) m_database->setText(file);
    });
    auto* dbRow = new QHBoxLayout;
    dbRow->addWidget(m_database, 1);
    dbRow->addWidget(browse);
    auto* dbLabel = new QLabel(tr("&Run database:"), this);
    dbLabel->setBuddy(m_database);
    form->addRow(dbLabel, dbRow);
    m_databaseInUse = new QLabel(this);
    m_databaseInUse->setObjectName("DatabaseInUse");
    m_databaseInUse->setWordWrap(true);
    m_databaseInUse->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_databaseInUse->hide();
    form->addRow(QString(), m_databaseInUse);

    auto* rule = new QLabel(tr("The theme and the run database apply at once. The default device and "
                               "thread count apply from the next run, to projects whose device is "
                               "\"auto\" and whose threads are 0 (\"default\"); a project that names "
                               "its own keeps them. An empty run database means the default one, "
                               "shared with neurite-cli."),
                            this);
    rule->setWordWrap(true);
    m_error = new QLabel(this);
    m_error->setObjectName("PreferencesError");
    m_error->setWordWrap(true);
    m_error->setStyleSheet("color: #d32f2f");
    m_error->hide();

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel | QDialogButtonBox::Apply, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &PreferencesDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(buttons->button(QDialogButtonBox::Apply), &QPushButton::clicked, this, &PreferencesDialog::apply);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(rule);
    layout->addWidget(m_error);
    layout->addWidget(buttons);
    setMinimumWidth(560);
}

void PreferencesDialog::setDatabaseInUse(const QString& path) {
    const QString named = m_database->text().trimmed().isEmpty() ? m_database->placeholderText()
                                                                 : m_database->text().trimmed();
    const bool other = !path.isEmpty() && QFileInfo(path).absoluteFilePath() != QFileInfo(named).absoluteFilePath();
    m_databaseInUse->setText(other ? tr("In use now: %1, given with --db when the studio started. A "
                                        "database chosen here replaces it at once.")
                                         .arg(path)
                                   : QString());
    m_databaseInUse->setVisible(other);
}

QString PreferencesDialog::databaseInUseText() const { return m_databaseInUse->text(); }

Preferences PreferencesDialog::preferences() const {
    Preferences p;
    p.theme = static_cast<Preferences::Theme>(m_theme->currentData().toInt());
    p.device = m_device->currentData().toString();
    p.threads = m_threads->value();
    p.runDatabase = m_database->text().trimmed();
    return p;
}

QString PreferencesDialog::error() const { return m_error->isHidden() ? QString() : m_error->text(); }

bool PreferencesDialog::apply() {
    QString why;
    if (m_apply && !m_apply(preferences(), &why)) {
        m_error->setText(tr("Not applied: %1").arg(why));
        m_error->show();
        return false;
    }
    m_error->clear();
    m_error->hide();
    return true;
}

void PreferencesDialog::accept() {
    if (apply()) QDialog::accept();
}

}  // namespace neurite
