// Typed parameter editors from the layer schema.
#include "inspector.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpressionValidator>
#include <QSpinBox>
#include <QUndoStack>
#include <QVBoxLayout>
#include <climits>
#include <cmath>
#include <optional>

#include "graph_commands.h"
#include "graph_edits.h"
#include "graph_model.h"
#include "layers/layer.h"
#include "number_field.h"

namespace neurite {

namespace {

QString listText(const ParamValue& v) {
    if (const auto* l = std::get_if<std::vector<int64_t>>(&v)) {
        QStringList parts;
        for (int64_t x : *l) parts << QString::number(x);
        return parts.join(", ");
    }
    if (const auto* i = std::get_if<int64_t>(&v)) return QString::number(*i);
    return QString::fromStdString(toString(v));
}

bool isAutoValue(const ParamValue& v) {
    const auto* s = std::get_if<std::string>(&v);
    return s && *s == "auto";
}

int clampInt(double x) {
    return static_cast<int>(std::clamp(x, double(INT_MIN), double(INT_MAX)));
}

}  // namespace

Inspector::Inspector(GraphModel* model, QUndoStack* undo, QWidget* parent)
    : QWidget(parent), m_model(model), m_undo(undo) {
    auto* layout = new QVBoxLayout(this);
    m_title = new QLabel(this);
    QFont f = m_title->font();
    f.setBold(true);
    f.setPointSizeF(f.pointSizeF() * 1.15);
    m_title->setFont(f);
    m_help = new QLabel(this);
    m_help->setWordWrap(true);
    m_help->setForegroundRole(QPalette::PlaceholderText);
    m_form = new QFormLayout;
    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_problems = new QLabel(this);
    m_problems->setWordWrap(true);
    m_problems->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_title);
    layout->addWidget(m_help);
    layout->addLayout(m_form);
    layout->addWidget(m_problems);
    layout->addStretch(1);
    connect(model, &GraphModel::analysisChanged, this, [this] {
        const Node* n = m_model->node(m_id);
        if (!n || n->op != m_op)
            rebuild();
        else
            syncValues();
    });
    connect(model, &GraphModel::documentReset, this, [this] { showNodes({}); });
    showNodes({});
}

void Inspector::showNodes(const QStringList& ids) {
    const QString id = ids.size() == 1 ? ids.front() : QString();
    const Node* node = m_model->node(id);
    // Re-selecting the layer shown (after a rename) must not rebuild: the rename arrives from
    // the name editor's own signal, and deleting a widget inside its signal is unsafe.
    if (!id.isEmpty() && id == m_id && node && node->op == m_op && m_idEdit) {
        syncValues();
        return;
    }
    m_id = id;
    rebuild();
    if (ids.size() > 1) m_title->setText(tr("%n layers selected", nullptr, int(ids.size())));
}

void Inspector::rebuild() {
    while (m_form->rowCount() > 0) m_form->removeRow(0);
    m_editors.clear();
    m_syncers.clear();
    m_idEdit = nullptr;
    const Node* node = m_model->node(m_id);
    if (!node) {
        m_id.clear();
        m_op.clear();
        m_title->setText(tr("No layer selected"));
        m_help->setText(tr("Select a layer on the canvas to edit its parameters, or double-click "
                           "a layer in the palette to add one."));
        m_problems->clear();
        return;
    }
    m_op = node->op;
    const LayerType* type = findLayerType(node->op);
    m_title->setText(QString::fromStdString(node->op));
    m_help->setText(type ? QString::fromStdString(type->help) : tr("Unknown layer type."));
    m_idEdit = new QLineEdit(m_id, this);
    m_idEdit->setObjectName("layerName");
    m_idEdit->setToolTip(tr("The layer's unique name; other layers refer to it."));
    connect(m_idEdit, &QLineEdit::editingFinished, this, &Inspector::rename);
    m_form->addRow(tr("Name"), m_idEdit);
    if (type && edits::hasParameters(*type)) {
        auto* trainable = new QCheckBox(tr("learns in training"), this);
        trainable->setObjectName("trainable");
        trainable->setToolTip(tr("Off: the layer is frozen (transfer learning). Its weights keep their values, and a "
                                 "BatchNorm normalizes with its running statistics and keeps them."));
        trainable->setChecked(node->trainable);
        connect(trainable, &QCheckBox::toggled, this, &Inspector::setTrainable);
        m_form->addRow(tr("Trainable"), trainable);
        m_syncers.push_back([this, trainable] {
            const Node* n = m_model->node(m_id);
            const QSignalBlocker block(trainable);
            if (n) trainable->setChecked(n->trainable);
        });
    }
    if (type)
        for (const ParamSchema& s : type->params) addParamRow(s);
    syncValues();
}

ParamValue Inspector::currentValue(const ParamSchema& schema) const {
    const Node* node = m_model->node(m_id);
    if (node) {
        auto it = node->params.find(schema.name);
        if (it != node->params.end()) return it->second;
    }
    return schema.defaultValue;
}

void Inspector::addParamRow(const ParamSchema& s) {
    const std::string name = s.name;
    const QString help = QString::fromStdString(s.help);
    auto* row = new QWidget(this);
    auto* h = new QHBoxLayout(row);
    h->setContentsMargins(0, 0, 0, 0);
    QCheckBox* autoBox = nullptr;
    QWidget* editor = nullptr;
    std::function<void(const ParamValue&)> show;       // value -> editor
    std::function<void()> commitEditor;                // editor -> command
    switch (s.type) {
    case ParamType::Int: {
        auto* spin = new QSpinBox(row);
        spin->setRange(clampInt(std::isfinite(s.min) ? s.min : INT_MIN),
                       clampInt(std::isfinite(s.max) ? (s.maxExclusive ? s.max - 1 : s.max) : INT_MAX));
        spin->setKeyboardTracking(false);
        editor = spin;
        show = [spin](const ParamValue& v) {
            if (const auto* i = std::get_if<int64_t>(&v)) spin->setValue(clampInt(double(*i)));
        };
        commitEditor = [this, name, spin] { commit(name, int64_t{spin->value()}); };
        connect(spin, &QSpinBox::valueChanged, this, [commitEditor] { commitEditor(); });
        break;
    }
    case ParamType::Float: {
        // Plain or scientific notation, held exactly (epsilon 1e-5 is not rounded to 0).
        const double hi = std::isfinite(s.max) ? (s.maxExclusive ? s.max - 1e-4 : s.max) : 1e9;
        auto* spin = new NumberField(std::isfinite(s.min) ? s.min : -1e9, hi, hi <= 1 ? 0.05 : 1,
                                     NumberField::Storage::Double, row);
        editor = spin;
        show = [spin](const ParamValue& v) {
            if (const auto* d = std::get_if<double>(&v)) spin->setValue(*d);
            if (const auto* i = std::get_if<int64_t>(&v)) spin->setValue(double(*i));
        };
        commitEditor = [this, name, spin] { commit(name, spin->value()); };
        connect(spin, &QDoubleSpinBox::valueChanged, this, [commitEditor] { commitEditor(); });
        break;
    }
    case ParamType::Bool: {
        auto* box = new QCheckBox(row);
        editor = box;
        show = [box](const ParamValue& v) {
            if (const auto* b = std::get_if<bool>(&v)) box->setChecked(*b);
        };
        connect(box, &QCheckBox::toggled, this, [this, name](bool on) { commit(name, on); });
        break;
    }
    case ParamType::Choice: {
        auto* combo = new QComboBox(row);
        for (const std::string& c : s.choices) combo->addItem(QString::fromStdString(c));
        editor = combo;
        show = [combo](const ParamValue& v) {
            if (const auto* str = std::get_if<std::string>(&v))
                combo->setCurrentText(QString::fromStdString(*str));
        };
        connect(combo, &QComboBox::activated, this,
                [this, name, combo] { commit(name, combo->currentText().toStdString()); });
        break;
    }
    case ParamType::IntList: {
        auto* edit = new QLineEdit(row);
        edit->setValidator(new QRegularExpressionValidator(
            QRegularExpression(QStringLiteral(R"(\s*(-?\d+\s*(,\s*-?\d*\s*)*)?)")), edit));
        edit->setPlaceholderText(s.listLength > 0 ? tr("%n integers, e.g. 3, 3", nullptr, s.listLength)
                                                  : tr("integers separated by commas"));
        editor = edit;
        show = [edit](const ParamValue& v) {
            if (!edit->hasFocus()) edit->setText(listText(v));
        };
        connect(edit, &QLineEdit::editingFinished, this, [this, name, edit] {
            std::vector<int64_t> items;
            for (const QString& part : edit->text().split(',', Qt::SkipEmptyParts))
                items.push_back(part.trimmed().toLongLong());
            commit(name, items);
        });
        break;
    }
    }
    editor->setToolTip(help);
    editor->setObjectName(QString::fromStdString(name));  // the project file's parameter key
    h->addWidget(editor, 1);
    if (s.allowAuto()) {
        autoBox = new QCheckBox(tr("auto"), row);
        autoBox->setToolTip(tr("Take the value from the data"));
        h->addWidget(autoBox);
        const ParamSchema schema = s;
        connect(autoBox, &QCheckBox::toggled, this, [this, name, schema, editor](bool on) {
            editor->setEnabled(!on);
            if (on) {
                commit(name, std::string("auto"));
                return;
            }
            // Leaving auto: start from what the data gave (the resolved value) where known.
            const int i = m_model->indexOf(m_id);
            const auto& params = m_model->resolved().params;
            if (i >= 0 && static_cast<std::size_t>(i) < params.size() &&
                params[static_cast<std::size_t>(i)].has(schema.name) &&
                !params[static_cast<std::size_t>(i)].isAuto(schema.name))
                commit(name, params[static_cast<std::size_t>(i)].get(schema.name));
            else
                commit(name, schema.type == ParamType::Int ? ParamValue(int64_t{1})
                                                            : ParamValue(std::vector<int64_t>{1}));
        });
    }
    auto* label = new QLabel(QString::fromStdString(s.name), this);
    label->setToolTip(help);
    m_form->addRow(label, row);
    m_editors.insert(QString::fromStdString(s.name), editor);
    const ParamSchema schema = s;
    // the Bool parameter it depends on, or the Choice and its value (ParamSchema::appliesWhen)
    const LayerType* type = findLayerType(m_op);
    std::optional<ParamSchema> condition;
    const std::size_t eq = s.appliesWhen.find('=');
    const std::string conditionName = s.appliesWhen.substr(0, eq);
    const std::string conditionValue = eq == std::string::npos ? std::string() : s.appliesWhen.substr(eq + 1);
    if (type && !s.appliesWhen.empty())
        for (const ParamSchema& other : type->params)
            if (other.name == conditionName) condition = other;
    m_syncers.push_back([this, schema, show, autoBox, editor, label, condition, conditionValue] {
        const ParamValue v = currentValue(schema);
        const QSignalBlocker block(editor);
        const bool isAuto = isAutoValue(v);
        if (autoBox) {
            const QSignalBlocker blockAuto(autoBox);
            autoBox->setChecked(isAuto);
        }
        bool applies = true;
        if (condition) {
            const ParamValue c = currentValue(*condition);
            if (conditionValue.empty()) {
                const bool* on = std::get_if<bool>(&c);
                applies = on && *on;
            } else {
                const std::string* chosen = std::get_if<std::string>(&c);
                applies = chosen && *chosen == conditionValue;
            }
        }
        editor->setEnabled(!isAuto && applies);
        label->setEnabled(applies);
        if (!isAuto) show(v);
    });
}

void Inspector::syncValues() {
    for (const auto& sync : m_syncers) sync();
    if (m_idEdit && !m_idEdit->hasFocus()) m_idEdit->setText(m_id);
    QStringList lines;
    for (const Problem& p : m_model->problemsOf(m_id))
        lines << QStringLiteral("<span style='color:%1'>%2</span>")
                     .arg(p.severity == Problem::Severity::Error ? "#e53935" : "#f59e0b",
                          QString::fromStdString(p.message).toHtmlEscaped());
    const QString shape = m_model->shapeOf(m_id);
    if (!shape.isEmpty()) lines.prepend(tr("Output shape: <b>%1</b>").arg(shape));
    m_problems->setText(lines.join("<br>"));
}

void Inspector::commit(const std::string& name, const ParamValue& value) {
    const Node* node = m_model->node(m_id);
    if (!node) return;
    auto it = node->params.find(name);
    if (it != node->params.end() && it->second == value) return;
    const LayerType* type = findLayerType(node->op);
    if (it == node->params.end() && type) {
        for (const ParamSchema& s : type->params)
            if (s.name == name && s.defaultValue == value) return;  // already the default
    }
    const GraphState before = stateOf(*m_model);
    m_undo->push(new EditGraphCommand(
        m_model,
        tr("Set %1 of %2 to %3")
            .arg(QString::fromStdString(name), m_id, QString::fromStdString(toString(value))),
        before, edits::withParam(before, m_id.toStdString(), name, value)));
}

void Inspector::setTrainable(bool on) {
    const Node* node = m_model->node(m_id);
    if (!node || node->trainable == on) return;
    const GraphState before = stateOf(*m_model);
    GraphState after = before;
    for (Node& n : after.nodes)
        if (n.id == m_id.toStdString()) n.trainable = on;
    m_undo->push(new EditGraphCommand(m_model, on ? tr("Unfreeze %1").arg(m_id) : tr("Freeze %1").arg(m_id), before,
                                      after));
}

void Inspector::rename() {
    if (!m_idEdit) return;
    const QString to = m_idEdit->text().trimmed();
    if (to == m_id) return;
    if (to.isEmpty() || m_model->node(to)) {
        m_problems->setText(QStringLiteral("<span style='color:#e53935'>%1</span>")
                                .arg(to.isEmpty() ? tr("A layer needs a name.")
                                                  : tr("The name '%1' is taken; choose another.")
                                                        .arg(to.toHtmlEscaped())));
        m_idEdit->setText(m_id);
        return;
    }
    const QString from = m_id;
    const GraphState before = stateOf(*m_model);
    m_id = to;  // follow the node through the rename
    m_undo->push(new EditGraphCommand(m_model, tr("Rename %1 to %2").arg(from, to), before,
                                      edits::withRenamed(before, from.toStdString(), to.toStdString())));
    emit renamed(from, to);
}

}  // namespace neurite
