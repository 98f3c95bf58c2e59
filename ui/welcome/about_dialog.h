// AboutDialog (Help > About Neurite): the version, the build's Git revision, build type and
// compiler, Qt (at run time and compile time), oneDNN, CUDA and cuDNN, and the devices found,
// from the same BuildInfo facts neurite-cli version prints. "Copy" puts the text on the
// clipboard for a bug report.
#pragma once

#include <QDialog>

#include "info/build_info.h"

namespace neurite {

// The report as plain text, one "Label: value" line per fact, with the Qt lines added.
QString aboutText(const BuildInfo& info);

class AboutDialog : public QDialog {
    Q_OBJECT
public:
    explicit AboutDialog(const BuildInfo& info, QWidget* parent = nullptr);
    QString text() const { return m_text; }

private:
    QString m_text;
};

}  // namespace neurite
