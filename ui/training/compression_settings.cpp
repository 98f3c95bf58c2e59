#include "compression_settings.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QSpinBox>

#include <algorithm>

#include "settings_fields.h"

namespace neurite {

using namespace fields;

CompressionEditors::CompressionEditors(QWidget* parent, Edit edit) : m_edit(std::move(edit)) {
    m_prune = new QCheckBox(QObject::tr("smallest weights to zero"), parent);
    m_pruneStructure = choice(parent, {"unstructured", "structured"});
    m_pruneScope = choice(parent, {"layer", "global"});
    m_pruneInitial = number(parent, 0, 0.99, 0.05);
    m_pruneFinal = number(parent, 0, 0.99, 0.05);
    m_pruneBegin = integer(parent, 0, 100000000);
    m_pruneEnd = integer(parent, 0, 100000000);
    m_pruneFrequency = integer(parent, 1, 1000000);
    m_quant = new QCheckBox(QObject::tr("train the int8 model"), parent);
    m_quantBegin = integer(parent, 0, 100000000);
    m_quantMomentum = number(parent, 0, 0.9999, 0.01);

    describe(m_prune, "training.pruning.enabled",
             QObject::tr("Magnitude pruning: during training the smallest weights (or whole units) are set to zero and kept "
                         "there, following the schedule below. Branch a stored run with it on to prune a trained model "
                         "and fine-tune it."));
    describe(m_pruneStructure, "training.pruning.structure",
             QObject::tr("unstructured: single weights. structured: whole units (Dense) or filters (Conv2D), which every "
                         "export then removes, so the model gets smaller and faster."));
    describe(m_pruneScope, "training.pruning.scope",
             QObject::tr("layer: every layer pruned to the sparsity. global: all layers' weights ranked together, so "
                         "layers with more small weights lose more."));
    describe(m_pruneInitial, "training.pruning.initial_sparsity", QObject::tr("The sparsity at the begin step."));
    describe(m_pruneFinal, "training.pruning.final_sparsity",
             QObject::tr("The sparsity from the end step on (fraction of weights or units that are zero)."));
    describe(m_pruneBegin, "training.pruning.begin_step",
             QObject::tr("The optimizer step (counted from the run's start) at which pruning begins."));
    describe(m_pruneEnd, "training.pruning.end_step",
             QObject::tr("The step at which the final sparsity is reached; equal to the begin step prunes all at once."));
    describe(m_pruneFrequency, "training.pruning.frequency", QObject::tr("Steps between two updates of the pruning mask."));
    describe(m_quant, "training.quantization_aware.enabled",
             QObject::tr("Quantization-aware training: every forward computes what the int8 export computes (int8 "
                         "weights per channel, uint8 activations), and the gradients pass the rounding straight through, "
                         "so the model learns to do well in int8. Validation and test measure the int8 model."));
    describe(m_quantBegin, "training.quantization_aware.begin_step",
             QObject::tr("Optimizer steps of float training before the int8 rounding starts."));
    describe(m_quantMomentum, "training.quantization_aware.range_momentum",
             QObject::tr("How slowly the activation ranges follow each batch's min and max (0: the last batch's)."));

    const auto onCheck = [this](QCheckBox* c, const QString& field, auto apply) {
        QObject::connect(c, &QCheckBox::toggled, c, [this, field, apply](bool on) {
            m_edit(field, [&](TrainConfig& t) { apply(t, on); });
        });
    };
    const auto onChoice = [this](QComboBox* c, const QString& field, auto apply) {
        QObject::connect(c, &QComboBox::activated, c, [this, c, field, apply](int) {
            const std::string v = c->currentData().toString().toStdString();
            m_edit(field, [&](TrainConfig& t) { apply(t, v); });
        });
    };
    const auto onDouble = [this](QDoubleSpinBox* b, const QString& field, auto apply) {
        QObject::connect(b, &QDoubleSpinBox::valueChanged, b, [this, field, apply](double v) {
            m_edit(field, [&](TrainConfig& t) { apply(t, v); });
        });
    };
    const auto onInt = [this](QSpinBox* b, const QString& field, auto apply) {
        QObject::connect(b, &QSpinBox::valueChanged, b, [this, field, apply](int v) {
            m_edit(field, [&](TrainConfig& t) { apply(t, v); });
        });
    };
    onCheck(m_prune, QObject::tr("pruning"), [](TrainConfig& t, bool on) { t.pruning.enabled = on; });
    onChoice(m_pruneStructure, QObject::tr("pruning structure"), [](TrainConfig& t, const std::string& v) {
        t.pruning.structure = v == "structured" ? PruneStructure::Structured : PruneStructure::Unstructured;
    });
    onChoice(m_pruneScope, QObject::tr("pruning scope"), [](TrainConfig& t, const std::string& v) {
        t.pruning.scope = v == "global" ? PruneScope::Global : PruneScope::Layer;
    });
    onDouble(m_pruneInitial, QObject::tr("initial sparsity"), [](TrainConfig& t, double v) {
        t.pruning.initialSparsity = static_cast<float>(v);
        t.pruning.finalSparsity = std::max(t.pruning.finalSparsity, t.pruning.initialSparsity);
    });
    onDouble(m_pruneFinal, QObject::tr("final sparsity"), [](TrainConfig& t, double v) {
        t.pruning.finalSparsity = static_cast<float>(v);
        t.pruning.initialSparsity = std::min(t.pruning.initialSparsity, t.pruning.finalSparsity);
    });
    onInt(m_pruneBegin, QObject::tr("pruning begin step"), [](TrainConfig& t, int v) {
        t.pruning.beginStep = v;
        t.pruning.endStep = std::max<int64_t>(t.pruning.endStep, v);
    });
    onInt(m_pruneEnd, QObject::tr("pruning end step"), [](TrainConfig& t, int v) {
        t.pruning.endStep = v;
        t.pruning.beginStep = std::min<int64_t>(t.pruning.beginStep, v);
    });
    onInt(m_pruneFrequency, QObject::tr("pruning frequency"), [](TrainConfig& t, int v) { t.pruning.frequency = v; });
    onCheck(m_quant, QObject::tr("quantization-aware training"), [](TrainConfig& t, bool on) { t.quantAware.enabled = on; });
    onInt(m_quantBegin, QObject::tr("quantization begin step"), [](TrainConfig& t, int v) { t.quantAware.beginStep = v; });
    onDouble(m_quantMomentum, QObject::tr("range momentum"),
             [](TrainConfig& t, double v) { t.quantAware.rangeMomentum = static_cast<float>(v); });
}

std::vector<std::pair<QString, QWidget*>> CompressionEditors::pruningRows() const {
    return {{QObject::tr("Prune"), m_prune},
            {QObject::tr("Structure"), m_pruneStructure},
            {QObject::tr("Scope"), m_pruneScope},
            {QObject::tr("Initial sparsity"), m_pruneInitial},
            {QObject::tr("Final sparsity"), m_pruneFinal},
            {QObject::tr("Begin step"), m_pruneBegin},
            {QObject::tr("End step"), m_pruneEnd},
            {QObject::tr("Every (steps)"), m_pruneFrequency}};
}

std::vector<std::pair<QString, QWidget*>> CompressionEditors::quantRows() const {
    return {{QObject::tr("Int8"), m_quant},
            {QObject::tr("Begin step"), m_quantBegin},
            {QObject::tr("Range momentum"), m_quantMomentum}};
}

void CompressionEditors::load(const TrainConfig& t) {
    m_prune->setChecked(t.pruning.enabled);
    select(m_pruneStructure, QString::fromLatin1(nameOf(t.pruning.structure)));
    select(m_pruneScope, QString::fromLatin1(nameOf(t.pruning.scope)));
    showValue(m_pruneInitial, double(t.pruning.initialSparsity));
    showValue(m_pruneFinal, double(t.pruning.finalSparsity));
    showValue(m_pruneBegin, static_cast<int>(std::min<int64_t>(t.pruning.beginStep, 100000000)));
    showValue(m_pruneEnd, static_cast<int>(std::min<int64_t>(t.pruning.endStep, 100000000)));
    showValue(m_pruneFrequency, static_cast<int>(std::min<int64_t>(t.pruning.frequency, 1000000)));
    m_quant->setChecked(t.quantAware.enabled);
    showValue(m_quantBegin, static_cast<int>(std::min<int64_t>(t.quantAware.beginStep, 100000000)));
    showValue(m_quantMomentum, double(t.quantAware.rangeMomentum));
}

}  // namespace neurite
