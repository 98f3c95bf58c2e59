// Inspector: the selected layer's id and parameters as typed editors built from the registry's
// schema (spin boxes with the schema's ranges, combo boxes for choices, check boxes, "auto"
// toggles). Each committed change is one undo command; the layer's problems are listed below.
#pragma once

#include <QHash>
#include <QStringList>
#include <QWidget>
#include <functional>

#include "layers/registry.h"

class QFormLayout;
class QLabel;
class QLineEdit;
class QUndoStack;

namespace neurite {

class GraphModel;

class Inspector : public QWidget {
    Q_OBJECT
public:
    Inspector(GraphModel* model, QUndoStack* undo, QWidget* parent = nullptr);
    void showNodes(const QStringList& ids);
    QString nodeId() const { return m_id; }
    // The editor of a parameter (for tests and keyboard focus); nullptr when not shown.
    QWidget* editor(const QString& param) const { return m_editors.value(param); }

signals:
    void renamed(const QString& from, const QString& to);

private:
    void rebuild();
    void syncValues();
    void addParamRow(const ParamSchema& schema);
    void commit(const std::string& name, const ParamValue& value);
    void rename();
    void setTrainable(bool on);
    ParamValue currentValue(const ParamSchema& schema) const;

    GraphModel* m_model;
    QUndoStack* m_undo;
    QString m_id;
    std::string m_op;
    QFormLayout* m_form;
    QLabel* m_title;
    QLabel* m_help;
    QLabel* m_problems;
    QLineEdit* m_idEdit = nullptr;
    QHash<QString, QWidget*> m_editors;
    std::vector<std::function<void()>> m_syncers;  // one per editor: model value -> widget
};

}  // namespace neurite
