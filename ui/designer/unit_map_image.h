// Unit map images: one unit's output over the input plane (engine unitMaps) as a small picture,
// the colours TensorFlow Playground taught teachers: orange below zero, blue above, white at
// zero, full colour at the node's largest |value|. Row 0 of the map (the plane's bottom) is the
// image's last row, so up is up. The designer's blocks and the neuron view draw them.
#pragma once

#include <QColor>
#include <QImage>
#include <QObject>
#include <QString>

#include "export/unit_maps.h"

namespace neurite {

// `value` on a scale of +-maxAbs (maxAbs <= 0: everything is white; NaN: grey).
QColor unitValueColor(float value, float maxAbs);

// Unit `unit` of `map` (side x side cells), coloured on the node's own scale (map.maxAbs).
QImage unitMapImage(const UnitMap& map, int side, int64_t unit);

// "fc1 unit 3: -0.82 .. 1.4" for a tooltip.
QString unitMapRange(const UnitMap& map, int side, int64_t unit);

}  // namespace neurite
