// PreferencesDialog (Edit > Preferences..., Ctrl+,): theme, default device, default thread count
// and the run database (and the one in use, when --db chose another for this session). OK and Apply hand the new preferences to an apply function (MainWindow's):
// when it refuses (the run database cannot be opened) the dialog shows why and stays open, and
// nothing is saved.
#pragma once

#include <QDialog>
#include <functional>

#include "devices/device_registry.h"
#include "preferences.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace neurite {

class PreferencesDialog : public QDialog {
    Q_OBJECT
public:
    // Returns false and sets *error when the preferences cannot take effect.
    using Apply = std::function<bool(const Preferences& prefs, QString* error)>;

    PreferencesDialog(const Preferences& current, const DeviceList& devices, const QString& defaultDatabase,
                      Apply apply, QWidget* parent = nullptr);

    // The run database this session records into, when it is not the one the field names
    // (the studio was started with --db FILE): a line under the field says so.
    void setDatabaseInUse(const QString& path);
    QString databaseInUseText() const;  // empty while the field names the one in use

    Preferences preferences() const;  // as the fields say now
    QString error() const;            // the last refusal, empty after a success
    bool apply();                     // what Apply does; true when it took effect

    QComboBox* themeBox() const { return m_theme; }
    QComboBox* deviceBox() const { return m_device; }
    QSpinBox* threadsBox() const { return m_threads; }
    QLineEdit* databaseEdit() const { return m_database; }

    void accept() override;  // applies first; stays open on a refusal

private:
    Apply m_apply;
    QComboBox* m_theme;
    QComboBox* m_device;
    QSpinBox* m_threads;
    QLineEdit* m_database;
    QLabel* m_databaseInUse;
    QLabel* m_error;
};

}  // namespace neurite
