#include "synthetic_editor.h"

#include <QComboBox>
#include <QGridLayout>
#include <QLabel>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>

#include <algorithm>
#include <cmath>

namespace neurite {

namespace {

constexpr const char* kPrefix = "synthetic:";

struct SetInfo {
    const char* name;
    const char* label;
    double defaultNoise, maxNoise;  // as the engine's generators default them
    bool twoClasses;
};

constexpr SetInfo kSets[] = {
    {"circles", "Circle", 0.05, 0.3, true}, {"xor", "XOR", 0.1, 0.5, true},
    {"gaussian", "Gaussian", 0.8, 4.0, true}, {"spiral", "Spiral", 0.2, 0.6, false},
    {"moons", "Moons", 0.1, 0.5, true},      {"linear", "Linear", 0.1, 0.5, true},
};

const SetInfo* setInfo(const QString& name) {
    for (const SetInfo& s : kSets)
        if (name == QLatin1String(s.name)) return &s;
    return nullptr;
}

}  // namespace

SyntheticSpec SyntheticSpec::parse(const QString& source) {
    SyntheticSpec s;
    if (!source.startsWith(QLatin1String(kPrefix))) return s;
    const QString rest = source.mid(static_cast<qsizetype>(std::char_traits<char>::length(kPrefix)));
    s.name = rest.section(QLatin1Char('?'), 0, 0);
    const QString query = rest.section(QLatin1Char('?'), 1);
    for (const QString& pair : query.split(QLatin1Char('&'), Qt::SkipEmptyParts))
        s.params.append({pair.section(QLatin1Char('='), 0, 0), pair.section(QLatin1Char('='), 1)});
    return s;
}

QString SyntheticSpec::text() const {
    QStringList pairs;
    for (const auto& [k, v] : params) pairs << k + QLatin1Char('=') + v;
    return QLatin1String(kPrefix) + name + (pairs.isEmpty() ? QString() : QLatin1Char('?') + pairs.join(QLatin1Char('&')));
}

QString SyntheticSpec::value(const QString& key) const {
    for (const auto& [k, v] : params)
        if (k == key) return v;
    return {};
}

void SyntheticSpec::set(const QString& key, const QString& value) {
    for (auto& [k, v] : params)
        if (k == key) {
            v = value;
            return;
        }
    params.append({key, value});
}

QStringList SyntheticEditor::setNames() {
    QStringList names;
    for (const SetInfo& s : kSets) names << QLatin1String(s.name);
    return names;
}

SyntheticEditor::SyntheticEditor(QWidget* parent) : QWidget(parent) {
    m_set = new QComboBox(this);
    for (const SetInfo& s : kSets) m_set->addItem(tr(s.label), QLatin1String(s.name));
    m_set->setToolTip(tr("The shape of the two classes in the plane: which ones a straight line, a hidden layer or "
                         "a derived feature can separate is the lesson"));
    m_samples = new QSpinBox(this);
    m_samples->setRange(20, 100000);
    m_samples->setSingleStep(100);
    m_samples->setToolTip(tr("How many points are generated, before the validation and test splits take theirs. "
                             "Range: 20 to 100000"));
    m_noise = new QSlider(Qt::Horizontal, this);
    m_noise->setRange(0, 100);
    m_noise->setToolTip(tr("How far points stray from the set's clean shape; noisy sets overlap and no model gets "
                           "every point right"));
    m_ratio = new QSlider(Qt::Horizontal, this);
    m_ratio->setRange(5, 95);
    m_ratio->setToolTip(tr("Class 1's share of the points: below 50% the classes are imbalanced, and accuracy alone "
                           "starts to mislead"));
    m_noiseValue = new QLabel(this);
    m_ratioValue = new QLabel(this);
    for (QLabel* l : {m_noiseValue, m_ratioValue}) l->setMinimumWidth(fontMetrics().horizontalAdvance(QStringLiteral("0.000")));
    m_regenerate = new QPushButton(tr("Regenerate"), this);
    m_regenerate->setToolTip(tr("New points of the same kind (the next seed)"));

    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->addWidget(m_set, 0, 0, 1, 2);
    grid->addWidget(m_regenerate, 0, 2);
    grid->addWidget(new QLabel(tr("Points"), this), 1, 0);
    grid->addWidget(m_samples, 1, 1, 1, 2);
    grid->addWidget(new QLabel(tr("Noise"), this), 2, 0);
    grid->addWidget(m_noise, 2, 1);
    grid->addWidget(m_noiseValue, 2, 2);
    grid->addWidget(new QLabel(tr("Class 1"), this), 3, 0);
    grid->addWidget(m_ratio, 3, 1);
    grid->addWidget(m_ratioValue, 3, 2);
    grid->setColumnStretch(1, 1);

    connect(m_set, &QComboBox::activated, this, [this](int) {
        const QString name = m_set->currentData().toString();
        if (name == m_spec.name) return;
        // Another set: its own default noise; circles' factor or the line's angle do not carry over.
        SyntheticSpec next;
        next.name = name;
        for (const QString& key : {QStringLiteral("samples"), QStringLiteral("seed"), QStringLiteral("ratio")})
            if (!m_spec.value(key).isEmpty() && (key != QLatin1String("ratio") || setInfo(name)->twoClasses))
                next.set(key, m_spec.value(key));
        m_spec = next;
        edited(tr("synthetic data set"));
    });
    connect(m_samples, &QSpinBox::valueChanged, this, [this](int v) {
        if (m_loading) return;
        m_spec.set(QStringLiteral("samples"), QString::number(v));
        edited(tr("number of points"));
    });
    connect(m_noise, &QSlider::valueChanged, this, [this](int v) {
        const double noise = std::round(noiseMax() * v / 100.0 * 1000.0) / 1000.0;
        m_noiseValue->setText(QString::number(noise, 'g', 3));
        if (m_loading) return;
        m_spec.set(QStringLiteral("noise"), QString::number(noise, 'g', 4));
        edited(tr("noise"));
    });
    connect(m_ratio, &QSlider::valueChanged, this, [this](int v) {
        m_ratioValue->setText(QStringLiteral("%1%").arg(v));
        if (m_loading) return;
        m_spec.set(QStringLiteral("ratio"), QString::number(v / 100.0, 'g', 3));
        edited(tr("class 1 share"));
    });
    connect(m_regenerate, &QPushButton::clicked, this, [this] {
        bool ok = false;
        const qlonglong seed = m_spec.value(QStringLiteral("seed")).toLongLong(&ok);
        m_spec.set(QStringLiteral("seed"), QString::number(ok ? seed + 1 : 2));
        edited(tr("data seed"));
    });
}

double SyntheticEditor::noiseMax() const {
    const SetInfo* s = setInfo(m_spec.name);
    return s ? s->maxNoise : 0.5;
}

void SyntheticEditor::edited(const QString& what) { emit specEdited(m_spec.text(), what); }

bool SyntheticEditor::showSpec(const QString& source) {
    const SyntheticSpec spec = SyntheticSpec::parse(source);
    const SetInfo* info = setInfo(spec.name);
    if (!info) return false;
    m_loading = true;
    m_spec = spec;
    m_set->setCurrentIndex(m_set->findData(spec.name));
    bool ok = false;
    const int samples = spec.value(QStringLiteral("samples")).toInt(&ok);
    m_samples->setValue(ok ? samples : 1000);
    const double noise = spec.value(QStringLiteral("noise")).toDouble(&ok);
    const double shown = ok ? noise : info->defaultNoise;
    m_noise->setValue(static_cast<int>(std::lround(std::clamp(shown / info->maxNoise, 0.0, 1.0) * 100)));
    m_noiseValue->setText(QString::number(shown, 'g', 3));
    const double ratio = spec.value(QStringLiteral("ratio")).toDouble(&ok);
    m_ratio->setValue(static_cast<int>(std::lround((ok ? ratio : 0.5) * 100)));
    m_ratioValue->setText(QStringLiteral("%1%").arg(m_ratio->value()));
    m_ratio->setEnabled(info->twoClasses);
    m_loading = false;
    return true;
}

}  // namespace neurite
