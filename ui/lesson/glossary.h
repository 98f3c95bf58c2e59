// The glossary (Help > Glossary): the words on the studio's screen in one or two plain sentences
// each, as a teacher would say them, with a filter. Entries are in alphabetical order.
#pragma once

#include <QString>
#include <vector>

class QWidget;

namespace neurite {

struct GlossaryEntry {
    QString term;
    QString text;
};

const std::vector<GlossaryEntry>& glossary();
// Shows the glossary (modeless, one per parent), on `term` when given.
void showGlossary(QWidget* parent, const QString& term = QString());

}  // namespace neurite
