// Unit map images: one unit's output over the input plane (engine unitMaps) as a small picture,
// the colours TensorFlow Playground taught teachers: orange below zero, blue above, white at
// zero, full colour at the node's largest |value|. Row 0 of the map (the plane's bottom) is the
// image's last row, so up is up. The designer's blocks and the neuron view draw them; the blocks
// and the Activations tab also draw image networks' outputs in the same colours.
#pragma once

#include <QColor>
#include <QImage>
#include <QObject>
#include <QString>

#include <vector>

#include "export/activation_maps.h"
#include "export/unit_maps.h"

namespace neurite {

// `value` on a scale of +-maxAbs (maxAbs <= 0: everything is white; NaN: grey).
QColor unitValueColor(float value, float maxAbs);

// Unit `unit` of `map` (side x side cells), coloured on the node's own scale (map.maxAbs).
QImage unitMapImage(const UnitMap& map, int side, int64_t unit);

// "fc1 unit 3: -0.82 .. 1.4" for a tooltip.
QString unitMapRange(const UnitMap& map, int side, int64_t unit);

// One channel of an activation map (engine activationMaps) as an image: grey levels from the
// channel's minimum to maximum for the input, the diverging colours above on the node's own scale
// for the layers.
QImage activationChannelImage(const ActivationMap& m, int64_t channel, bool input);
// A node's output for one sample as at most `maxImages` pictures for its block on the canvas:
// one per channel of a spatial output, or a single near-square grid of a flat output's values.
std::vector<QImage> outputPreviewImages(const ActivationMap& m, int maxImages);

}  // namespace neurite
