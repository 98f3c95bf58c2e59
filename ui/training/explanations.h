// Plain-language explanations of the Training tab's plots and tabs, for students: a plot shows
// its explanation when the mouse rests on it (a data point's value when it is near one), and each
// evaluation tab when the mouse rests on its title. Each names the glossary entry (Help >
// Glossary) to read on.
#pragma once

class QTabWidget;

namespace neurite {

class TrainingPanel;

void explainTrainingPlots(TrainingPanel& panel, QTabWidget* evaluationTabs);

}  // namespace neurite
