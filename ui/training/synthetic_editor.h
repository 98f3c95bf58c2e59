// SyntheticEditor: TensorFlow Playground's data controls for the project's synthetic 2-D source.
// It reads and writes the source spec ("synthetic:xor?samples=400&noise=0.1&ratio=0.3&seed=2"):
// the set (circles, XOR, Gaussian, spiral, moons, linear), the number of samples, the noise, class
// 1's share of the samples (the two-class sets) and Regenerate (the next seed). Parameters it does
// not show (circles' factor, the line's angle, the spiral's classes) are kept. Every change is
// emitted as the whole new spec; TrainingSettings turns it into one undoable settings edit.
#pragma once

#include <QString>
#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;
class QSlider;
class QSpinBox;

namespace neurite {

// A synthetic source spec as its name and ordered key=value pairs.
struct SyntheticSpec {
    QString name;  // "xor"; empty when the spec is not synthetic
    QList<QPair<QString, QString>> params;

    static SyntheticSpec parse(const QString& source);
    QString text() const;  // "synthetic:name?k=v&..."
    QString value(const QString& key) const;
    void set(const QString& key, const QString& value);  // replaces or appends
};

class SyntheticEditor : public QWidget {
    Q_OBJECT
public:
    explicit SyntheticEditor(QWidget* parent = nullptr);

    // Fills the controls from `source`; returns whether it is a set this editor handles.
    bool showSpec(const QString& source);
    QString spec() const { return m_spec.text(); }

    // The sets it offers, by spec name, in menu order.
    static QStringList setNames();

    QComboBox* setEditor() const { return m_set; }
    QSlider* noiseEditor() const { return m_noise; }
    QSlider* ratioEditor() const { return m_ratio; }
    QSpinBox* samplesEditor() const { return m_samples; }
    QPushButton* regenerateButton() const { return m_regenerate; }

signals:
    // `what` names the control (one undo step per control: steps of one slider merge).
    void specEdited(const QString& spec, const QString& what);

private:
    void edited(const QString& what);
    double noiseMax() const;  // the noise slider's right end for the current set

    SyntheticSpec m_spec;
    bool m_loading = false;
    QComboBox* m_set;
    QSpinBox* m_samples;
    QSlider *m_noise, *m_ratio;
    QLabel *m_noiseValue, *m_ratioValue;
    QPushButton* m_regenerate;
};

}  // namespace neurite
