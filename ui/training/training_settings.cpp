#include "training_settings.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLineEdit>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QUndoStack>
#include <QVBoxLayout>

#include "backend/device_registry.h"
#include "designer/graph_commands.h"
#include "designer/graph_model.h"

namespace neurite {

namespace {

QDoubleSpinBox* number(QWidget* parent, double lo, double hi, int decimals, double step) {
    auto* b = new QDoubleSpinBox(parent);
    b->setRange(lo, hi);
    b->setDecimals(decimals);
    b->setSingleStep(step);
    return b;
}

QSpinBox* integer(QWidget* parent, int lo, int hi) {
    auto* b = new QSpinBox(parent);
    b->setRange(lo, hi);
    return b;
}

// A combo whose items carry the project-file names as data.
QComboBox* choice(QWidget* parent, const QStringList& names) {
    auto* c = new QComboBox(parent);
    for (const QString& n : names) c->addItem(n, n);
    return c;
}

void select(QComboBox* c, const QString& name) {
    const int i = c->findData(name);
    c->setCurrentIndex(i >= 0 ? i : 0);
}

}  // namespace

TrainingSettings::TrainingSettings(GraphModel* model, QUndoStack* undo, QWidget* parent)
    : QWidget(parent), m_model(model), m_undo(undo) {
    m_source = new QLineEdit(this);
    m_source->setToolTip(tr("builtin:fashion-mnist, builtin:iris, csv:FILE?target=COL, idx:DIR, "
                            "synthetic:spiral?samples=1500 ... (docs/data.md)"));
    m_valSplit = number(this, 0, 0.9, 2, 0.05);
    m_testSplit = number(this, 0, 0.9, 2, 0.05);
    m_scaling = choice(this, {"auto", "none", "unit", "standardize", "minmax"});
    m_epochs = integer(this, 1, 100000);
    m_batch = integer(this, 1, 1 << 20);
    m_seed = integer(this, 0, 2147483647);
    m_device = new QComboBox(this);
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
    if (!devices.gpuNote.empty()) {
        // Say in the list itself why there is no GPU to pick (no driver, no device, ...).
        m_device->addItem(tr("GPU: %1").arg(QString::fromStdString(devices.gpuNote)), QString());
        auto* items = qobject_cast<QStandardItemModel*>(m_device->model());
        items->item(m_device->count() - 1)->setEnabled(false);
        m_device->setToolTip(QString::fromStdString(devices.gpuNote));
    }
    m_threads = integer(this, 0, 4096);
    // 0 leaves it to Edit > Preferences (all cores unless set there); neurite-cli: all cores.
    m_threads->setSpecialValueText(tr("default (Preferences)"));
    m_precision = choice(this, {"fp32", "bf16"});
    m_loss = choice(this, {"cross_entropy", "binary_cross_entropy", "focal", "mse", "huber"});
    m_smoothing = number(this, 0, 0.99, 2, 0.05);
    m_optimizer = choice(this, {"adam", "adamw", "sgd", "rmsprop"});
    m_lr = number(this, 1e-7, 10, 6, 0.0005);
    m_momentum = number(this, 0, 0.999, 3, 0.05);
    m_weightDecay = number(this, 0, 1, 5, 0.0001);
    m_schedule = choice(this, {"constant", "step", "exponential", "cosine", "plateau"});
    m_l2 = number(this, 0, 1, 5, 0.0001);
    m_clip = number(this, 0, 1000, 2, 0.5);
    m_clip->setSpecialValueText(tr("off"));
    m_early = new QCheckBox(tr("Stop when the monitored metric stops improving"), this);
    m_monitor = choice(this, {"val_loss", "val_accuracy", "train_loss"});
    m_patience = integer(this, 1, 10000);
    m_reconstruct = new QCheckBox(tr("Reconstruct the input (autoencoder)"), this);
    m_reconstruct->setToolTip(tr("The targets are the inputs themselves after scaling; train with "
                                 "mse or huber and a model whose output has the input's shape"));
    m_target = new QLineEdit(this);
    m_target->setPlaceholderText(tr("csv: the last column"));
    m_balance = choice(this, {"none", "oversample", "undersample", "smote"});
    m_smoteK = integer(this, 1, 100);
    m_classWeights = choice(this, {"none", "balanced"});
    m_hflip = new QCheckBox(tr("Horizontal flip"), this);
    m_vflip = new QCheckBox(tr("Vertical flip"), this);
    m_shift = number(this, 0, 0.5, 2, 0.05);
    m_rotation = number(this, 0, 180, 1, 5);
    m_zoom = number(this, 0, 0.9, 2, 0.05);
    m_shear = number(this, 0, 45, 1, 5);
    m_brightness = number(this, 0, 1, 2, 0.05);
    m_noise = number(this, 0, 1, 3, 0.01);
    m_cutout = number(this, 0, 0.9, 2, 0.05);
    m_mixup = number(this, 0, 10, 2, 0.1);
    m_mixup->setSpecialValueText(tr("off"));

    auto group = [this](const QString& title, const std::vector<std::pair<QString, QWidget*>>& rows) {
        auto* box = new QGroupBox(title, this);
        auto* form = new QFormLayout(box);
        for (const auto& [label, w] : rows) form->addRow(label, w);
        return box;
    };
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(group(tr("Data"), {{tr("Source"), m_source}, {tr("Validation"), m_valSplit},
                                         {tr("Test"), m_testSplit}, {tr("Scaling"), m_scaling},
                                         {QString(), m_reconstruct}}));
    layout->addWidget(group(tr("Classes"), {{tr("Target column"), m_target}, {tr("Resampling"), m_balance},
                                            {tr("SMOTE neighbours"), m_smoteK}, {tr("Class weights"), m_classWeights}}));
    layout->addWidget(group(tr("Augmentation (training only)"),
                            {{QString(), m_hflip}, {QString(), m_vflip}, {tr("Shift (fraction)"), m_shift},
                             {tr("Rotation (degrees)"), m_rotation}, {tr("Zoom"), m_zoom}, {tr("Shear (degrees)"), m_shear},
                             {tr("Brightness"), m_brightness}, {tr("Noise (std)"), m_noise}, {tr("Cutout (fraction)"), m_cutout},
                             {tr("Mixup alpha"), m_mixup}}));
    layout->addWidget(group(tr("Run"), {{tr("Epochs"), m_epochs}, {tr("Batch size"), m_batch}, {tr("Seed"), m_seed},
                                        {tr("Device"), m_device}, {tr("Threads"), m_threads}, {tr("Precision"), m_precision}}));
    layout->addWidget(group(tr("Optimization"), {{tr("Loss"), m_loss}, {tr("Label smoothing"), m_smoothing},
                                                 {tr("Optimizer"), m_optimizer}, {tr("Learning rate"), m_lr},
                                                 {tr("Momentum"), m_momentum}, {tr("Weight decay"), m_weightDecay},
                                                 {tr("Schedule"), m_schedule}}));
    layout->addWidget(group(tr("Regularization"), {{tr("L2"), m_l2}, {tr("Clip norm"), m_clip}, {QString(), m_early},
                                                   {tr("Monitor"), m_monitor}, {tr("Patience"), m_patience}}));
    layout->addStretch(1);

    // Each editor writes one field; the lambdas name it for the undo text and merging.
    connect(m_source, &QLineEdit::editingFinished, this, [this] {
        edit(tr("data source"), [this](DataConfig& d, TrainConfig&) { d.source = m_source->text().trimmed().toStdString(); });
    });
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
    onDouble(m_valSplit, tr("validation split"), [](DataConfig& d, TrainConfig&, double v) { d.validationSplit = v; });
    onDouble(m_testSplit, tr("test split"), [](DataConfig& d, TrainConfig&, double v) { d.testSplit = v; });
    onChoice(m_scaling, tr("scaling"), [](DataConfig& d, TrainConfig&, const std::string& v) { d.scaling = v; });
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
    onDouble(m_clip, tr("clip norm"), [](DataConfig&, TrainConfig& t, double v) { t.clipNorm = static_cast<float>(v); });
    connect(m_early, &QCheckBox::toggled, this, [this](bool on) {
        edit(tr("early stopping"), [on](DataConfig&, TrainConfig& t) { t.earlyStopping.enabled = on; });
    });
    onChoice(m_monitor, tr("monitor"), [](DataConfig&, TrainConfig& t, const std::string& v) { t.earlyStopping.monitor = v; });
    onInt(m_patience, tr("patience"), [](DataConfig&, TrainConfig& t, int v) { t.earlyStopping.patience = v; });

    connect(m_reconstruct, &QCheckBox::toggled, this, [this](bool on) {
        edit(tr("reconstruct"), [on](DataConfig& d, TrainConfig&) { d.reconstruct = on; });
    });
    connect(m_target, &QLineEdit::editingFinished, this, [this] {
        edit(tr("target column"), [this](DataConfig& d, TrainConfig&) { d.target = m_target->text().trimmed().toStdString(); });
    });
    onChoice(m_balance, tr("resampling"), [](DataConfig& d, TrainConfig&, const std::string& v) { d.balance = v; });
    onInt(m_smoteK, tr("SMOTE neighbours"), [](DataConfig& d, TrainConfig&, int v) { d.smoteK = v; });
    onChoice(m_classWeights, tr("class weights"), [](DataConfig& d, TrainConfig&, const std::string& v) { d.classWeights = v; });
    connect(m_hflip, &QCheckBox::toggled, this, [this](bool on) {
        edit(tr("horizontal flip"), [on](DataConfig& d, TrainConfig&) { d.augment.horizontalFlip = on; });
    });
    connect(m_vflip, &QCheckBox::toggled, this, [this](bool on) {
        edit(tr("vertical flip"), [on](DataConfig& d, TrainConfig&) { d.augment.verticalFlip = on; });
    });
    struct AugmentEditor {
        QDoubleSpinBox* box;
        float AugmentConfig::*field;
        QString name;
    };
    const AugmentEditor augments[] = {{m_shift, &AugmentConfig::shift, tr("shift")},
                                      {m_rotation, &AugmentConfig::rotation, tr("rotation")},
                                      {m_zoom, &AugmentConfig::zoom, tr("zoom")},
                                      {m_shear, &AugmentConfig::shear, tr("shear")},
                                      {m_brightness, &AugmentConfig::brightness, tr("brightness")},
                                      {m_noise, &AugmentConfig::noise, tr("noise")},
                                      {m_cutout, &AugmentConfig::cutout, tr("cutout")},
                                      {m_mixup, &AugmentConfig::mixup, tr("mixup")}};
    for (const AugmentEditor& a : augments) {
        const auto field = a.field;
        onDouble(a.box, a.name, [field](DataConfig& d, TrainConfig&, double v) { d.augment.*field = static_cast<float>(v); });
    }

    connect(m_model, &GraphModel::settingsChanged, this, &TrainingSettings::load);
    connect(m_model, &GraphModel::documentReset, this, &TrainingSettings::load);
    load();
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
    m_loading = true;
    const DataConfig& d = m_model->document().data;
    const TrainConfig& t = m_model->document().training;
    m_source->setText(QString::fromStdString(d.source));
    m_valSplit->setValue(d.validationSplit);
    m_testSplit->setValue(d.testSplit);
    select(m_scaling, QString::fromStdString(d.scaling));
    m_epochs->setValue(t.epochs);
    m_batch->setValue(t.batchSize);
    m_seed->setValue(static_cast<int>(std::min<uint64_t>(t.seed, 2147483647)));
    select(m_device, QString::fromStdString(t.device));
    m_threads->setValue(t.threads);
    select(m_precision, QString::fromLatin1(nameOf(t.precision)));
    select(m_loss, QString::fromLatin1(nameOf(t.loss.kind)));
    m_smoothing->setValue(t.loss.labelSmoothing);
    select(m_optimizer, QString::fromLatin1(nameOf(t.optimizer.kind)));
    m_lr->setValue(t.optimizer.lr);
    m_momentum->setValue(t.optimizer.momentum);
    m_weightDecay->setValue(t.optimizer.weightDecay);
    select(m_schedule, QString::fromLatin1(nameOf(t.schedule.kind)));
    m_l2->setValue(t.l2);
    m_clip->setValue(t.clipNorm);
    m_early->setChecked(t.earlyStopping.enabled);
    select(m_monitor, QString::fromStdString(t.earlyStopping.monitor));
    m_patience->setValue(t.earlyStopping.patience);
    m_reconstruct->setChecked(d.reconstruct);
    m_target->setText(QString::fromStdString(d.target));
    select(m_balance, QString::fromStdString(d.balance));
    m_smoteK->setValue(d.smoteK);
    select(m_classWeights, QString::fromStdString(d.classWeights));
    const AugmentConfig& a = d.augment;
    m_hflip->setChecked(a.horizontalFlip);
    m_vflip->setChecked(a.verticalFlip);
    for (const auto& [box, v] : {std::pair{m_shift, a.shift}, {m_rotation, a.rotation}, {m_zoom, a.zoom},
                                 {m_shear, a.shear}, {m_brightness, a.brightness}, {m_noise, a.noise},
                                 {m_cutout, a.cutout}, {m_mixup, a.mixup}})
        box->setValue(v);
    m_loading = false;
}

}  // namespace neurite
