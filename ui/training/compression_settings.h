// The Training tab's Pruning and Quantization-aware groups (training.pruning and
// training.quantization_aware, docs/pruning.md and docs/quantization.md): their editors, how each
// writes the settings (one undoable edit per change, through the form's own edit function) and
// how they show the project's values. The schedule stays valid while it is edited: a begin step
// past the end moves the end along, an initial sparsity above the final one raises the final one.
#pragma once

#include <QString>

#include <functional>
#include <utility>
#include <vector>

#include "config/train_config.h"

class QCheckBox;
class QComboBox;
class QSpinBox;
class QWidget;

namespace neurite {

class NumberField;

class CompressionEditors {
public:
    // edit(field, change): applies change to a copy of the training settings as one edit named
    // after the field.
    using Edit = std::function<void(const QString& field, const std::function<void(TrainConfig&)>& change)>;
    CompressionEditors(QWidget* parent, Edit edit);

    std::vector<std::pair<QString, QWidget*>> pruningRows() const;
    std::vector<std::pair<QString, QWidget*>> quantRows() const;
    void load(const TrainConfig& t);

private:
    Edit m_edit;
    QCheckBox* m_prune;
    QComboBox *m_pruneStructure, *m_pruneScope;
    NumberField *m_pruneInitial, *m_pruneFinal;
    QSpinBox *m_pruneBegin, *m_pruneEnd, *m_pruneFrequency;
    QCheckBox* m_quant;
    QSpinBox* m_quantBegin;
    NumberField* m_quantMomentum;
};

}  // namespace neurite
