// Preferences in QSettings; unknown or out-of-range stored values fall back to the defaults.
#include "preferences.h"

#include <QSettings>

#include "io/project.h"
#include "run_store.h"

namespace neurite {

const char* nameOf(Preferences::Theme theme) {
    switch (theme) {
    case Preferences::Theme::Light: return "light";
    case Preferences::Theme::Dark: return "dark";
    case Preferences::Theme::System: break;
    }
    return "system";
}

Preferences Preferences::load() {
    QSettings s;
    Preferences p;
    const QString theme = s.value("preferences/theme").toString();
    if (theme == "light") p.theme = Theme::Light;
    if (theme == "dark") p.theme = Theme::Dark;
    const QString device = s.value("preferences/device", p.device).toString();
    if (device == "auto" || device == "cpu" || device.startsWith("cuda")) p.device = device;
    bool ok = false;
    const int threads = s.value("preferences/threads", 0).toInt(&ok);
    if (ok && threads >= 0 && threads <= 4096) p.threads = threads;
    p.runDatabase = s.value("preferences/run_database").toString();
    return p;
}

void Preferences::save() const {
    QSettings s;
    s.setValue("preferences/theme", QString(nameOf(theme)));
    s.setValue("preferences/device", device);
    s.setValue("preferences/threads", threads);
    s.setValue("preferences/run_database", runDatabase);
}

QString Preferences::defaultRunDatabase(QString* error) {
    try {
        return QString::fromStdString(storage::RunStore::defaultPath(true));
    } catch (const std::exception& e) {
        if (error) *error = QString::fromUtf8(e.what());
        return {};
    }
}

QString Preferences::runDatabaseOrDefault(QString* error) const {
    return runDatabase.isEmpty() ? defaultRunDatabase(error) : runDatabase;
}

void Preferences::applyTo(ProjectDocument& doc) const {
    if (doc.training.device == "auto") doc.training.device = device.toStdString();
    if (doc.training.threads == 0) doc.training.threads = threads;
}

}  // namespace neurite
