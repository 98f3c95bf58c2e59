// Preferences: the studio's settings that persist across sessions (QSettings, group "preferences"):
// theme, default device, default thread count and the run database. The one rule to know: the
// defaults fill in only what a project leaves open. A project whose training.device is "auto"
// trains on the default device, one whose training.threads is 0 on the default thread count;
// a project that names a device or a thread count keeps it. neurite-cli does not read them.
#pragma once

#include <QString>

namespace neurite {

struct ProjectDocument;

struct Preferences {
    enum class Theme { System, Light, Dark };

    Theme theme = Theme::System;
    QString device = "auto";  // "auto", "cpu", "cuda:N"
    int threads = 0;          // 0: all cores
    QString runDatabase;      // empty: the default run store (the one neurite-cli uses)

    // Reads from / writes to QSettings() (the application's organisation and name).
    static Preferences load();
    void save() const;

    // The run database to open: runDatabase, or the default one (empty, with *error set, when
    // there is no data directory for it).
    QString runDatabaseOrDefault(QString* error = nullptr) const;
    static QString defaultRunDatabase(QString* error = nullptr);

    // The run about to start: fills "auto" device and 0 threads from these defaults.
    void applyTo(ProjectDocument& doc) const;

    bool operator==(const Preferences&) const = default;
};

const char* nameOf(Preferences::Theme theme);  // "system", "light", "dark"

}  // namespace neurite
