// TrainingSettings' point edits (data.points): what the decision map's clicks ask for, each one
// undoable settings edit.
#include <QUndoStack>

#include "designer/graph_commands.h"
#include "designer/graph_model.h"
#include "training_settings.h"

namespace neurite {

namespace {

// The file keeps the float values of the data exactly; compare as the data holds them.
bool samePoint(const PointEdit& p, double x, double y) {
    return static_cast<float>(p.x) == static_cast<float>(x) && static_cast<float>(p.y) == static_cast<float>(y);
}

}  // namespace

bool TrainingSettings::editPoints(const QString& what, const std::function<void(PointEdits&)>& change) {
    if (m_pointsLocked) return false;
    SettingsCommand::Settings before{m_model->document().data, m_model->document().training};
    SettingsCommand::Settings after = before;
    change(after.data.points);
    if (after.data.points == before.data.points) return true;
    if (after.data.points.add.size() > kMaxPointEdits || after.data.points.remove.size() > kMaxPointEdits) return false;
    m_undo->push(new SettingsCommand(m_model, what, std::move(before), std::move(after)));
    return true;
}

bool TrainingSettings::addPoint(double x, double y, int cls) {
    return editPoints(tr("add a point"), [&](PointEdits& p) { p.add.push_back({x, y, cls}); });
}

bool TrainingSettings::removePoint(double x, double y) {
    return editPoints(tr("remove a point"), [&](PointEdits& p) {
        // A point added by hand is simply taken back; any other is left out of the training split.
        for (auto it = p.add.begin(); it != p.add.end(); ++it)
            if (samePoint(*it, x, y)) {
                p.add.erase(it);
                return;
            }
        p.remove.push_back({x, y, 0});
    });
}

bool TrainingSettings::clearPoints() {
    return editPoints(tr("clear the point edits"), [](PointEdits& p) { p = PointEdits{}; });
}

}  // namespace neurite
