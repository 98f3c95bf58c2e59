#include "training_settings.h"

#include <QAbstractButton>
#include <QAbstractSlider>
#include <QAbstractSpinBox>
#include <QCheckBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QPushButton>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QSpinBox>
#include <QListView>
#include <QStandardItemModel>
#include <QUndoStack>
#include <QVBoxLayout>

#include "devices/device_registry.h"
#include "designer/graph_commands.h"
#include "compression_settings.h"
#include "designer/graph_model.h"
#include "number_field.h"
#include "settings_fields.h"
#include "synthetic_editor.h"

namespace neurite {

using namespace fields;


TrainingSettings::TrainingSettings(GraphModel* model, QUndoStack* undo, QWidget* parent)
    : QWidget(parent), m_model(model), m_undo(undo) {
    createEditors();
    describeEditors();
    m_fields = new QWidget(this);
    auto* fields = new QVBoxLayout(m_fields);
    fields->setContentsMargins(0, 0, 0, 0);
    auto group = [this, fields](const QString& title, const std::vector<std::pair<QString, QWidget*>>& rows) {
        auto* box = new QGroupBox(title, m_fields);
        auto* form = new QFormLayout(box);
        form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
        for (const auto& [label, w] : rows) form->addRow(label, w);
        fields->addWidget(box);
        return box;
    };
    auto* flips = new QWidget(this);
    auto* flipRow = new QHBoxLayout(flips);
    flipRow->setContentsMargins(0, 0, 0, 0);
    flipRow->addWidget(m_hflip);
    flipRow->addWidget(m_vflip);
    group(tr("Data"), {{tr("Source"), m_source}, {tr("Validation"), m_valSplit}, {tr("Test"), m_testSplit},
                       {tr("Scaling"), m_scaling}, {tr("Target scaling"), m_targetScaling},
                       {tr("Autoencoder"), m_reconstruct}});
    m_syntheticBox = group(tr("Synthetic 2-D data"), {{QString(), m_synthetic}});
    group(tr("Classes"), {{tr("Target column"), m_target}, {tr("Resampling"), m_balance},
                          {tr("SMOTE neighbours"), m_smoteK}, {tr("Class weights"), m_classWeights}});
    group(tr("Augmentation (training only)"),
          {{tr("Flip"), flips}, {tr("Shift (fraction)"), m_shift}, {tr("Rotation (degrees)"), m_rotation},
           {tr("Zoom"), m_zoom}, {tr("Shear (degrees)"), m_shear}, {tr("Brightness"), m_brightness},
           {tr("Noise (std)"), m_noise}, {tr("Cutout (fraction)"), m_cutout}, {tr("Mixup alpha"), m_mixup}});
    auto* weightsRow = new QWidget(this);
    auto* weightsLayout = new QHBoxLayout(weightsRow);
    weightsLayout->setContentsMargins(0, 0, 0, 0);
    weightsLayout->addWidget(m_weights, 1);
    weightsLayout->addWidget(m_chooseWeightsButton);
    weightsLayout->addWidget(m_clearWeights);
    group(tr("Run"), {{tr("Epochs"), m_epochs}, {tr("Batch size"), m_batch}, {tr("Seed"), m_seed},
                      {tr("Device"), m_device}, {tr("Threads"), m_threads}, {tr("Precision"), m_precision},
                      {tr("Start from"), weightsRow}});
    group(tr("Optimization"), {{tr("Loss"), m_loss}, {tr("Label smoothing"), m_smoothing},
                               {tr("Optimizer"), m_optimizer}, {tr("Learning rate"), m_lr},
                               {tr("Momentum"), m_momentum}, {tr("Weight decay"), m_weightDecay},
                               {tr("Schedule"), m_schedule}, {tr("Pretrained LR scale"), m_pretrainedLr}});
    group(tr("Regularization"), {{tr("L2"), m_l2}, {tr("Clip norm"), m_clip}, {tr("Early stopping"), m_early},
                                 {tr("Monitor"), m_monitor}, {tr("Patience"), m_patience}});
    group(tr("Pruning"), m_compression->pruningRows());
    group(tr("Quantization-aware training"), m_compression->quantRows());
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_fields);
    layout->addStretch(1);
    connectEditors();
    connect(m_model, &GraphModel::settingsChanged, this, &TrainingSettings::load);
    connect(m_model, &GraphModel::documentReset, this, &TrainingSettings::load);
    load();
}

void TrainingSettings::setRunState(bool active, bool paused) {
    if (active && !m_active) m_runTraining = m_model->document().training;  // what the run started with
    m_active = active;
    const bool live = active && paused;
    if (live != m_live) {
        m_live = live;
        if (live) {
            const QList<QWidget*> editable{m_lr, m_batch, m_l2};
            for (QWidget* w : m_fields->findChildren<QWidget*>()) {
                const bool control = qobject_cast<QAbstractSpinBox*>(w) || qobject_cast<QComboBox*>(w) ||
                                     qobject_cast<QAbstractButton*>(w) || qobject_cast<QLineEdit*>(w) ||
                                     qobject_cast<QAbstractSlider*>(w);
                bool inside = false;
                for (QWidget* p = w; p && !inside; p = p->parentWidget()) inside = editable.contains(p);
                if (control && !inside && !w->testAttribute(Qt::WA_ForceDisabled)) {
                    w->setEnabled(false);
                    m_lockedWhilePaused << w;
                }
            }
        } else {
            for (QWidget* w : std::as_const(m_lockedWhilePaused)) w->setEnabled(true);
            m_lockedWhilePaused.clear();
        }
    }
    m_fields->setEnabled(!active || live);
}

void TrainingSettings::setLockedKeys(const QStringList& keys) {
    for (QWidget* w : std::as_const(m_lessonLocked)) {
        w->setEnabled(true);
        w->setToolTip(w->toolTip().remove(tr(" (Locked by the lesson.)")));
    }
    m_lessonLocked.clear();
    m_pointsLocked = keys.contains(QStringLiteral("data.points"));
    const PointEdits& points = m_model->document().data.points;
    emit pointEditsChanged(static_cast<int>(points.add.size()), static_cast<int>(points.remove.size()));
    QList<QWidget*> editors = m_fields->findChildren<QWidget*>();
    for (QWidget* w : editors) {
        const QString key = w->objectName();
        bool locked = !key.isEmpty() && keys.contains(key);
        if (w == m_synthetic) locked = keys.contains(QStringLiteral("data.source"));  // it edits the source
        if (!locked) continue;
        w->setEnabled(false);
        w->setToolTip(w->toolTip() + tr(" (Locked by the lesson.)"));
        m_lessonLocked << w;
    }
}

// The paused run's settings against the project's: what differs goes to the run.
void TrainingSettings::sendLiveChanges() {
    if (!m_live) return;
    const TrainConfig& t = m_model->document().training;
    SettingsChange c;
    if (t.optimizer.lr != m_runTraining.optimizer.lr) c.lr = t.optimizer.lr;
    if (t.batchSize != m_runTraining.batchSize) c.batchSize = t.batchSize;
    if (t.l2 != m_runTraining.l2) c.l2 = t.l2;
    if (c.empty()) return;
    m_runTraining.optimizer.lr = t.optimizer.lr;
    m_runTraining.batchSize = t.batchSize;
    m_runTraining.l2 = t.l2;
    emit liveSettingsChanged(c);
}

void TrainingSettings::createEditors() {
    using S = NumberField::Storage;
    m_source = new QLineEdit(this);
    m_synthetic = new SyntheticEditor(this);
    // The parser's ranges (engine/io), so every project file's values show as they are.
    m_valSplit = number(this, 0, 0.99, 0.05, S::Double);
    m_testSplit = number(this, 0, 0.99, 0.05, S::Double);
    m_scaling = choice(this, {"auto", "none", "unit", "standardize", "minmax"});
    m_targetScaling = choice(this, {"standardize", "none"});
    m_epochs = integer(this, 1, 1000000);
    m_batch = integer(this, 1, 1 << 20);
    m_seed = integer(this, 0, 2147483647);
    m_device = choice(this);
    m_device->addItem(tr("auto (the default device in Preferences)"), QStringLiteral("auto"));
    const DeviceList devices = listDevices();
    for (const DeviceEntry& d : devices.devices) {
        m_device->addItem(QStringLiteral("%1: %2 (%3)").arg(QString::fromStdString(d.id), QString::fromStdString(d.name),
                                                          QString::fromStdString(d.details)),
                          QString::fromStdString(d.id));
        if (!d.usable) {
            // Listed but not selectable, with the reason where the user looks for it.
            auto* items = qobject_cast<QStandardItemModel*>(m_device->model());
            QStandardItem* item = items->item(m_device->count() - 1);
            item->setEnabled(false);
            item->setToolTip(QString::fromStdString(d.reason));
        }
    }
    m_gpuNote = QString::fromStdString(devices.gpuNote);
    if (!m_gpuNote.isEmpty()) {
        // Say in the list itself why there is no GPU to pick (no driver, no device, ...).
        m_device->addItem(tr("GPU: %1").arg(m_gpuNote), QString());
        auto* items = qobject_cast<QStandardItemModel*>(m_device->model());
        items->item(m_device->count() - 1)->setEnabled(false);
    }
    m_device->view()->setMinimumWidth(m_device->view()->sizeHintForColumn(0));
    m_threads = integer(this, 0, 4096);
    // 0 leaves it to Edit > Preferences (all cores unless set there); neurite-cli: all cores.
    m_threads->setSpecialValueText(tr("default (Preferences)"));
    m_precision = choice(this, {"fp32", "bf16"});
    m_loss = choice(this, {"cross_entropy", "binary_cross_entropy", "focal", "mse", "huber"});
    m_smoothing = number(this, 0, 0.99, 0.05);
    m_optimizer = choice(this, {"adam", "adamw", "sgd", "rmsprop"});
    // 0 is accepted here so the field holds what was typed; Start refuses it with the reason.
    m_lr = number(this, 0, 10, 0.0005);
    m_momentum = number(this, 0, 0.999, 0.05);
    m_weightDecay = number(this, 0, 10, 0.0001);
    m_schedule = choice(this, {"constant", "step", "exponential", "cosine", "plateau"});
    m_pretrainedLr = number(this, 0, 1, 0.1);
    m_weights = new QLabel(this);
    m_weights->setObjectName("startingWeights");
    m_weights->setWordWrap(true);
    m_weights->setToolTip(tr("model.weights: a safetensors or *.nmodel file of the layers' weights the model starts "
                             "from (an imported model, a trained one for transfer learning). Layers whose name and "
                             "shape match take them; the others keep their initializer."));
    m_chooseWeightsButton = new QPushButton(tr("Choose..."), this);
    m_chooseWeightsButton->setObjectName("chooseWeights");
    m_clearWeights = new QPushButton(tr("Clear"), this);
    m_clearWeights->setObjectName("clearWeights");
    connect(m_chooseWeightsButton, &QPushButton::clicked, this, &TrainingSettings::chooseWeights);
    connect(m_clearWeights, &QPushButton::clicked, this, [this] { setWeights(QString()); });
    m_l2 = number(this, 0, 10, 0.0001);
    m_clip = number(this, 0, 1e6, 0.5);
    m_clip->setSpecialValueText(tr("off"));
    m_early = new QCheckBox(tr("when the metric stalls"), this);
    m_monitor = choice(this, {"val_loss", "val_accuracy", "train_loss"});
    m_patience = integer(this, 0, 100000);
    m_compression = std::make_unique<CompressionEditors>(
        this, [this](const QString& field, const std::function<void(TrainConfig&)>& change) {
            edit(field, [&](DataConfig&, TrainConfig& t) { change(t); });
        });
    m_reconstruct = new QCheckBox(tr("reconstruct the input"), this);
    m_target = new QLineEdit(this);
    m_target->setPlaceholderText(tr("csv: the last column"));
    m_balance = choice(this, {"none", "oversample", "undersample", "smote"});
    m_smoteK = integer(this, 1, 100);
    m_classWeights = choice(this, {"none", "balanced"});
    m_hflip = new QCheckBox(tr("horizontal"), this);
    m_vflip = new QCheckBox(tr("vertical"), this);
    m_shift = number(this, 0, 1, 0.05);
    m_rotation = number(this, 0, 180, 5);
    m_zoom = number(this, 0, 0.99, 0.05);
    m_shear = number(this, 0, 80, 5);
    m_brightness = number(this, 0, 10, 0.05);
    m_noise = number(this, 0, 10, 0.01);
    m_cutout = number(this, 0, 1, 0.05);
    m_mixup = number(this, 0, 100, 0.1);
    m_mixup->setSpecialValueText(tr("off"));
}

void TrainingSettings::connectEditors() {
    // Each editor writes one field; the lambdas name it for the undo text and merging.
    auto onText = [this](QLineEdit* e, const QString& field, std::string DataConfig::*member) {
        connect(e, &QLineEdit::editingFinished, this, [this, e, field, member] {
            edit(field, [&](DataConfig& d, TrainConfig&) { d.*member = e->text().trimmed().toStdString(); });
        });
    };
    auto onDouble = [this](QDoubleSpinBox* b, const QString& field, auto apply) {
        connect(b, &QDoubleSpinBox::valueChanged, this, [this, field, apply](double v) {
            edit(field, [&](DataConfig& d, TrainConfig& t) { apply(d, t, v); });
        });
    };
    auto onInt = [this](QSpinBox* b, const QString& field, auto apply) {
        connect(b, &QSpinBox::valueChanged, this, [this, field, apply](int v) {
            edit(field, [&](DataConfig& d, TrainConfig& t) { apply(d, t, v); });
        });
    };
    auto onChoice = [this](QComboBox* c, const QString& field, auto apply) {
        connect(c, &QComboBox::activated, this, [this, c, field, apply](int) {
            const std::string v = c->currentData().toString().toStdString();
            edit(field, [&](DataConfig& d, TrainConfig& t) { apply(d, t, v); });
        });
    };
    auto onCheck = [this](QCheckBox* c, const QString& field, auto apply) {
        connect(c, &QCheckBox::toggled, this, [this, field, apply](bool on) {
            edit(field, [&](DataConfig& d, TrainConfig& t) { apply(d, t, on); });
        });
    };
    onText(m_source, tr("data source"), &DataConfig::source);
    connect(m_synthetic, &SyntheticEditor::specEdited, this, [this](const QString& spec, const QString& what) {
        edit(what, [&](DataConfig& d, TrainConfig&) { d.source = spec.toStdString(); });
    });
    onDouble(m_valSplit, tr("validation split"), [](DataConfig& d, TrainConfig&, double v) { d.validationSplit = v; });
    onDouble(m_testSplit, tr("test split"), [](DataConfig& d, TrainConfig&, double v) { d.testSplit = v; });
    onChoice(m_scaling, tr("scaling"), [](DataConfig& d, TrainConfig&, const std::string& v) { d.scaling = v; });
    onChoice(m_targetScaling, tr("target scaling"), [](DataConfig& d, TrainConfig&, const std::string& v) { d.targetScaling = v; });
    onCheck(m_reconstruct, tr("reconstruct"), [](DataConfig& d, TrainConfig&, bool on) { d.reconstruct = on; });
    onText(m_target, tr("target column"), &DataConfig::target);
    onChoice(m_balance, tr("resampling"), [](DataConfig& d, TrainConfig&, const std::string& v) { d.balance = v; });
    onInt(m_smoteK, tr("SMOTE neighbours"), [](DataConfig& d, TrainConfig&, int v) { d.smoteK = v; });
    onChoice(m_classWeights, tr("class weights"), [](DataConfig& d, TrainConfig&, const std::string& v) { d.classWeights = v; });
    onCheck(m_hflip, tr("horizontal flip"), [](DataConfig& d, TrainConfig&, bool on) { d.augment.horizontalFlip = on; });
    onCheck(m_vflip, tr("vertical flip"), [](DataConfig& d, TrainConfig&, bool on) { d.augment.verticalFlip = on; });
    for (const AugmentEditor& a : augmentEditors()) {
        const auto field = a.field;
        onDouble(a.box, a.name, [field](DataConfig& d, TrainConfig&, double v) { d.augment.*field = static_cast<float>(v); });
    }
    onInt(m_epochs, tr("epochs"), [](DataConfig&, TrainConfig& t, int v) { t.epochs = v; });
    onInt(m_batch, tr("batch size"), [](DataConfig&, TrainConfig& t, int v) { t.batchSize = v; });
    onInt(m_seed, tr("seed"), [](DataConfig&, TrainConfig& t, int v) { t.seed = static_cast<uint64_t>(v); });
    onChoice(m_device, tr("device"), [](DataConfig&, TrainConfig& t, const std::string& v) { t.device = v; });
    onInt(m_threads, tr("threads"), [](DataConfig&, TrainConfig& t, int v) { t.threads = v; });
    onChoice(m_precision, tr("precision"), [](DataConfig&, TrainConfig& t, const std::string& v) {
        t.precision = v == "bf16" ? Precision::Bf16 : Precision::Fp32;
    });
    onChoice(m_loss, tr("loss"), [](DataConfig&, TrainConfig& t, const std::string& v) {
        for (LossKind k : {LossKind::CrossEntropy, LossKind::BinaryCrossEntropy, LossKind::Focal, LossKind::Mse, LossKind::Huber})
            if (v == nameOf(k)) t.loss.kind = k;
    });
    onDouble(m_smoothing, tr("label smoothing"), [](DataConfig&, TrainConfig& t, double v) { t.loss.labelSmoothing = static_cast<float>(v); });
    onChoice(m_optimizer, tr("optimizer"), [](DataConfig&, TrainConfig& t, const std::string& v) {
        for (OptimizerKind k : {OptimizerKind::Sgd, OptimizerKind::Adam, OptimizerKind::AdamW, OptimizerKind::Rmsprop})
            if (v == nameOf(k)) t.optimizer.kind = k;
    });
    onDouble(m_lr, tr("learning rate"), [](DataConfig&, TrainConfig& t, double v) { t.optimizer.lr = static_cast<float>(v); });
    onDouble(m_momentum, tr("momentum"), [](DataConfig&, TrainConfig& t, double v) { t.optimizer.momentum = static_cast<float>(v); });
    onDouble(m_weightDecay, tr("weight decay"), [](DataConfig&, TrainConfig& t, double v) { t.optimizer.weightDecay = static_cast<float>(v); });
    onChoice(m_schedule, tr("schedule"), [](DataConfig&, TrainConfig& t, const std::string& v) {
        for (ScheduleKind k : {ScheduleKind::Constant, ScheduleKind::Step, ScheduleKind::Exponential, ScheduleKind::Cosine, ScheduleKind::Plateau})
            if (v == nameOf(k)) t.schedule.kind = k;
    });
    onDouble(m_l2, tr("L2"), [](DataConfig&, TrainConfig& t, double v) { t.l2 = static_cast<float>(v); });
    onDouble(m_pretrainedLr, tr("pretrained LR scale"),
             [](DataConfig&, TrainConfig& t, double v) { t.pretrainedLrScale = static_cast<float>(v); });
    onDouble(m_clip, tr("clip norm"), [](DataConfig&, TrainConfig& t, double v) { t.clipNorm = static_cast<float>(v); });
    onCheck(m_early, tr("early stopping"), [](DataConfig&, TrainConfig& t, bool on) { t.earlyStopping.enabled = on; });
    onChoice(m_monitor, tr("monitor"), [](DataConfig&, TrainConfig& t, const std::string& v) { t.earlyStopping.monitor = v; });
    onInt(m_patience, tr("patience"), [](DataConfig&, TrainConfig& t, int v) { t.earlyStopping.patience = v; });
}

std::vector<TrainingSettings::AugmentEditor> TrainingSettings::augmentEditors() const {
    return {{m_shift, &AugmentConfig::shift, tr("shift")},           {m_rotation, &AugmentConfig::rotation, tr("rotation")},
            {m_zoom, &AugmentConfig::zoom, tr("zoom")},              {m_shear, &AugmentConfig::shear, tr("shear")},
            {m_brightness, &AugmentConfig::brightness, tr("brightness")}, {m_noise, &AugmentConfig::noise, tr("noise")},
            {m_cutout, &AugmentConfig::cutout, tr("cutout")},        {m_mixup, &AugmentConfig::mixup, tr("mixup")}};
}

// Every setting: its project key, what it does, and for numbers its range (describe()).
void TrainingSettings::describeEditors() {
    describe(m_source, "data.source", tr("Where the data comes from: builtin:fashion-mnist, builtin:iris, csv:FILE?target=COL, "
                          "idx:DIR, synthetic:spiral?samples=1500 ... (docs/data.md)."));
    describe(m_valSplit, "data.validation_split", tr("Fraction of the data held out to check the model after every epoch; it is "
                            "never trained on. Validation and test together must stay below 1."));
    describe(m_testSplit, "data.test_split", tr("Fraction held out to measure the final model once, when the source has no "
                             "test set of its own."));
    describe(m_scaling, "data.scaling", tr("How input features are scaled, fitted on the training split only: auto (pixels "
                           "/255, other features standardized), unit (pixels /255, others to 0..1), "
                           "standardize (mean 0, std 1), minmax (0..1 per feature), none (raw values)."));
    describe(m_targetScaling, "data.target_scaling", tr("Regression only: standardize trains on the targets minus their training "
                                  "mean, divided by their training standard deviation, and maps every prediction back, so "
                                  "RMSE, MAE, R\u00b2, Try it, predict and exported models are in the target's own units; "
                                  "the loss shown is in the target's squared units. none trains on the raw targets."));
    describe(m_reconstruct, "data.reconstruct", tr("The targets are the inputs themselves after scaling; train with mse or huber "
                               "and a model whose output has the input's shape."));
    describe(m_target, "data.target", tr("CSV data: the column to predict, by name or 0-based index; empty takes the last "
                          "column."));
    describe(m_balance, "data.balance", tr("Rebalances the classes of the training split: none, oversample (repeat samples "
                           "of rare classes), undersample (drop samples of common classes), smote "
                           "(synthesize rare-class samples between neighbours)."));
    describe(m_smoteK, "data.smote_k", tr("SMOTE: how many nearest neighbours of the same class a new sample is drawn "
                          "towards."));
    describe(m_classWeights, "data.class_weights", tr("none, or balanced: the loss weighs each class by n / (classes x n_class) "
                                "over the training split, so rare classes count as much as common ones."));
    describe(m_hflip, "data.augment.horizontal_flip", tr("Mirror training images left-right with probability 1/2."));
    describe(m_vflip, "data.augment.vertical_flip", tr("Mirror training images top-bottom with probability 1/2."));
    describe(m_shift, "data.augment.shift", tr("Translate training images by up to this fraction of their width and height."));
    describe(m_rotation, "data.augment.rotation", tr("Rotate training images by up to this many degrees either way."));
    describe(m_zoom, "data.augment.zoom", tr("Scale training images by a factor between 1 - zoom and 1 + zoom."));
    describe(m_shear, "data.augment.shear", tr("Shear training images by up to this many degrees either way."));
    describe(m_brightness, "data.augment.brightness", tr("Add one random value in [-b, b] to every feature of a training sample "
                              "(pixels run 0..1)."));
    describe(m_noise, "data.augment.noise", tr("Add Gaussian noise of this standard deviation to every feature of a training "
                         "sample."));
    describe(m_cutout, "data.augment.cutout", tr("Blank a square whose side is this fraction of the smaller image side."));
    describe(m_mixup, "data.augment.mixup", tr("Blend random pairs of training samples and their labels; the blend is drawn "
                         "from Beta(alpha, alpha). 0 is off."));
    describe(m_epochs, "training.epochs", tr("How many passes over the training split."));
    describe(m_batch, "training.batch_size", tr("Samples per training step: larger batches are faster per sample but update the "
                         "model less often."));
    describe(m_seed, "training.seed", tr("Seeds the splits, the initial weights, the shuffling and the augmentation: the same "
                        "seed repeats a run exactly."));
    describe(m_device, "training.device", m_gpuNote.isEmpty()
                           ? tr("Where the run trains; auto takes the default device in Preferences.")
                           : tr("Where the run trains; auto takes the default device in Preferences.\n%1").arg(m_gpuNote));
    describe(m_threads, "training.threads", tr("CPU threads for the run; 0 takes the number in Preferences (all cores unless set "
                           "there)."));
    describe(m_precision, "training.precision", tr("fp32, or bf16: bfloat16 arithmetic where the device supports it, faster and "
                             "slightly less precise."));
    describe(m_loss, "training.loss.type", tr("What training minimizes: cross_entropy (one class per sample), binary_cross_entropy "
                        "(two classes or several labels), focal (weighs hard samples more; imbalanced "
                        "classes), mse or huber (regression; huber minds outliers less)."));
    describe(m_smoothing, "training.loss.label_smoothing", tr("cross_entropy: moves this fraction of each target onto the other classes, "
                             "against overconfidence."));
    describe(m_optimizer, "training.optimizer.type", tr("How the gradients update the weights: adam, adamw (adam with decoupled weight "
                             "decay), sgd (with momentum), rmsprop."));
    describe(m_lr, "training.optimizer.lr", tr("Size of every update; must be greater than 0. Typical: 0.001 for adam, 0.01 to 0.1 "
                      "for sgd. Scientific notation works (1e-3)."));
    describe(m_momentum, "training.optimizer.momentum", tr("sgd and rmsprop: the fraction of the previous update carried into the next."));
    describe(m_weightDecay, "training.optimizer.weight_decay", tr("Shrinks every weight towards 0 at each step (decoupled from the gradient with "
                               "adamw)."));
    describe(m_schedule, "training.schedule.type", tr("How the learning rate changes over the run: constant, step (x0.1 every 10 "
                            "epochs), exponential (x0.1 per epoch), cosine (down to 0 by the last epoch), "
                            "plateau (x0.1 after 5 epochs without a lower validation loss)."));
    describe(m_l2, "training.regularization.l2", tr("Adds this times the sum of the squared weights to the loss."));
    describe(m_pretrainedLr, "training.pretrained_lr_scale",
             tr("Multiplies the learning rate of the layers loaded from the project's starting weights (an "
                "imported model, model.weights): below 1 fine-tunes them more gently than a new head; 0 keeps "
                "them as they are."));
    describe(m_clip, "training.clip_norm", tr("Rescales the gradients whenever their global norm exceeds this; off (0) never "
                        "clips."));
    describe(m_early, "training.early_stopping.enabled", tr("Ends the run when the monitored metric has not improved for Patience epochs and "
                         "keeps the best epoch's weights."));
    describe(m_monitor, "training.early_stopping.monitor", tr("The metric early stopping watches: val_loss or val_accuracy (need a validation "
                           "split) or train_loss."));
    describe(m_patience, "training.early_stopping.patience", tr("Epochs without improvement before early stopping ends the run."));
}

template <typename F>
void TrainingSettings::edit(const QString& field, F change) {
    if (m_loading) return;  // filling the editors from the document is not an edit
    SettingsCommand::Settings before{m_model->document().data, m_model->document().training};
    SettingsCommand::Settings after = before;
    change(after.data, after.training);
    m_undo->push(new SettingsCommand(m_model, field, std::move(before), std::move(after)));
}

void TrainingSettings::load() {
    sendLiveChanges();
    m_loading = true;
    const DataConfig& d = m_model->document().data;
    const TrainConfig& t = m_model->document().training;
    showValue(m_source, d.source);
    m_syntheticBox->setVisible(m_synthetic->showSpec(QString::fromStdString(d.source)));
    showValue(m_valSplit, d.validationSplit);
    showValue(m_testSplit, d.testSplit);
    select(m_scaling, QString::fromStdString(d.scaling));
    select(m_targetScaling, QString::fromStdString(d.targetScaling));
    showValue(m_epochs, t.epochs);
    showValue(m_batch, t.batchSize);
    showValue(m_seed, static_cast<int>(std::min<uint64_t>(t.seed, 2147483647)));
    select(m_device, QString::fromStdString(t.device));
    showValue(m_threads, t.threads);
    select(m_precision, QString::fromLatin1(nameOf(t.precision)));
    select(m_loss, QString::fromLatin1(nameOf(t.loss.kind)));
    showValue(m_smoothing, double(t.loss.labelSmoothing));
    select(m_optimizer, QString::fromLatin1(nameOf(t.optimizer.kind)));
    showValue(m_lr, double(t.optimizer.lr));
    showValue(m_momentum, double(t.optimizer.momentum));
    showValue(m_weightDecay, double(t.optimizer.weightDecay));
    select(m_schedule, QString::fromLatin1(nameOf(t.schedule.kind)));
    showValue(m_l2, double(t.l2));
    showValue(m_clip, double(t.clipNorm));
    showValue(m_pretrainedLr, double(t.pretrainedLrScale));
    const std::string& weights = m_model->document().weights;
    m_weights->setText(weights.empty() ? tr("the layers' initializers") : QString::fromStdString(weights));
    m_clearWeights->setEnabled(!weights.empty());
    m_early->setChecked(t.earlyStopping.enabled);
    select(m_monitor, QString::fromStdString(t.earlyStopping.monitor));
    showValue(m_patience, t.earlyStopping.patience);
    m_compression->load(t);
    m_reconstruct->setChecked(d.reconstruct);
    showValue(m_target, d.target);
    select(m_balance, QString::fromStdString(d.balance));
    showValue(m_smoteK, d.smoteK);
    select(m_classWeights, QString::fromStdString(d.classWeights));
    m_hflip->setChecked(d.augment.horizontalFlip);
    m_vflip->setChecked(d.augment.verticalFlip);
    for (const AugmentEditor& a : augmentEditors()) showValue(a.box, double(d.augment.*a.field));
    m_loading = false;
    emit pointEditsChanged(static_cast<int>(d.points.add.size()), static_cast<int>(d.points.remove.size()));
}

void TrainingSettings::chooseWeights() {
    const QString folder = QString::fromStdString(m_model->document().folder);
    const QString path = m_chooseWeights ? m_chooseWeights()
                                         : QFileDialog::getOpenFileName(this, tr("Start from Weights"), folder,
                                                                        tr("Weights (*.safetensors *.nmodel);;All files (*)"));
    if (!path.isEmpty()) setWeights(path);
}

// A path under the project's folder is kept relative to it, as the project file keeps it.
void TrainingSettings::setWeights(const QString& path) {
    QString written = path;
    const QString folder = QString::fromStdString(m_model->document().folder);
    if (!path.isEmpty() && !folder.isEmpty()) {
        const QString relative = QDir(folder).relativeFilePath(path);
        if (!relative.startsWith(QLatin1String(".."))) written = relative;
    }
    if (written.toStdString() == m_model->document().weights) return;
    const GraphState before = stateOf(*m_model);
    GraphState after = before;
    after.weights = written.toStdString();
    m_undo->push(new EditGraphCommand(m_model, path.isEmpty() ? tr("Start from the initializers")
                                                             : tr("Start from %1").arg(QFileInfo(path).fileName()),
                                      before, after));
}

}  // namespace neurite
