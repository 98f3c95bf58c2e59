// TrainingSettings: the project's data and training settings as a form beside the live plots:
// data source and splits, epochs, batch size, seed, device (every device the registry lists,
// unusable ones disabled with their reason), threads, precision, loss, optimizer, learning rate
// and schedule, regularization and early stopping. Each change becomes one SettingsCommand on
// the undo stack (steps of the same field merge), so settings are saved, undone and redone with
// the network. Class balancing and augmentation (training split only) are here too. Every field
// has a tooltip with what it does and its range; decimals take scientific notation (NumberField).
// While a run is active the fields are disabled: the run keeps the settings it started with, so
// nothing typed then could silently not apply.
#pragma once

#include <QStringList>
#include <QWidget>

#include <functional>
#include <memory>

#include <vector>

#include "io/project.h"
#include "train/events.h"
#include "compression_settings.h"
#include "number_field.h"

class QCheckBox;
class QGroupBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QUndoStack;

namespace neurite {

class GraphModel;
class SyntheticEditor;

class TrainingSettings : public QWidget {
    Q_OBJECT
public:
    TrainingSettings(GraphModel* model, QUndoStack* undo, QWidget* parent = nullptr);

    // A run started (true) or ended: the fields are disabled until it ends (TrainingWorkspace
    // says why above them). While it is paused, the learning rate, batch size and L2 stay
    // editable: a change there edits the project as always and is also emitted as
    // liveSettingsChanged, for the paused run to apply from its next step.
    void setRunState(bool active, bool paused);
    // A lesson's locked settings by project key ("training.optimizer.lr"): read-only until
    // another list replaces it (empty: none).
    void setLockedKeys(const QStringList& keys);
    // Points on the decision map (data.points), each one undoable edit (training_settings_points.cpp);
    // false when a lesson locks them (data.points). Removing a point added by hand takes it back.
    bool addPoint(double x, double y, int cls);
    bool removePoint(double x, double y);
    bool clearPoints();
    bool pointsLocked() const { return m_pointsLocked; }

signals:
    void liveSettingsChanged(const neurite::SettingsChange& change);
    // The project's point edits after any change of the document (load()).
    void pointEditsChanged(int added, int removed);

public:

    // Editors, for tests.
    QSpinBox* epochsEditor() const { return m_epochs; }
    QComboBox* balanceEditor() const { return m_balance; }
    QDoubleSpinBox* rotationEditor() const { return m_rotation; }
    QDoubleSpinBox* lrEditor() const { return m_lr; }
    QComboBox* deviceEditor() const { return m_device; }
    QLineEdit* sourceEditor() const { return m_source; }
    SyntheticEditor* syntheticEditor() const { return m_synthetic; }
    QGroupBox* syntheticBox() const { return m_syntheticBox; }
    // Start from... asks with this instead of a file dialog (tests); "" = cancelled.
    void setWeightsChooser(std::function<QString()> chooser) { m_chooseWeights = std::move(chooser); }

private:
    struct AugmentEditor {
        NumberField* box;
        float AugmentConfig::*field;
        QString name;
    };
    void createEditors();
    void describeEditors();
    void connectEditors();
    std::vector<AugmentEditor> augmentEditors() const;
    void load();  // document -> editors
    // Pushes one command that applies `change` to a copy of the current settings.
    template <typename F>
    void edit(const QString& field, F change);

    GraphModel* m_model;
    QUndoStack* m_undo;
    bool m_loading = false;
    bool m_pointsLocked = false;
    bool editPoints(const QString& what, const std::function<void(PointEdits&)>& change);
    bool m_active = false, m_live = false;
    TrainConfig m_runTraining;          // the active run's settings as it has them now
    QList<QWidget*> m_lockedWhilePaused;  // the editors disabled while the run is paused
    QList<QWidget*> m_lessonLocked;       // the editors a lesson locks
    void sendLiveChanges();
    QWidget* m_fields;  // every group of fields, disabled together during a run
    QString m_gpuNote;  // why no GPU can be picked, when none can
    QLineEdit* m_source;
    SyntheticEditor* m_synthetic;  // Playground's data controls, shown for a synthetic 2-D source
    QGroupBox* m_syntheticBox;
    QLabel* m_weights;  // model.weights, or what the model starts from without it
    QPushButton *m_chooseWeightsButton, *m_clearWeights;
    std::function<QString()> m_chooseWeights;
    void chooseWeights();
    void setWeights(const QString& path);
    NumberField *m_valSplit, *m_testSplit, *m_lr, *m_momentum, *m_weightDecay, *m_l2, *m_clip, *m_smoothing, *m_pretrainedLr;
    QComboBox *m_scaling, *m_targetScaling, *m_device, *m_precision, *m_loss, *m_optimizer, *m_schedule, *m_monitor;
    QSpinBox *m_epochs, *m_batch, *m_seed, *m_threads, *m_patience;
    QCheckBox* m_early;
    std::unique_ptr<CompressionEditors> m_compression;  // pruning, quantization-aware training
    QCheckBox* m_reconstruct;
    QLineEdit* m_target;
    QComboBox *m_balance, *m_classWeights;
    QSpinBox* m_smoteK;
    QCheckBox *m_hflip, *m_vflip;
    NumberField *m_shift, *m_rotation, *m_zoom, *m_shear, *m_brightness, *m_noise, *m_cutout, *m_mixup;
};

}  // namespace neurite
