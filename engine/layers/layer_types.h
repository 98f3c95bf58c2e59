// The describe<Name>() functions of every layer type, listed by registry.cpp into the one table.
// Internal to engine/layers: everything else reads layerTypes()/findLayerType().
#pragma once

#include <vector>

#include "layers/registry.h"

namespace neurite {

LayerType describeInput();
LayerType describeDense();
LayerType describeConv2D();
LayerType describeMaxPool2D();
LayerType describeAvgPool2D();
LayerType describeGlobalAvgPool();
LayerType describeFlatten();
LayerType describeReshape();
LayerType describeDropout();
LayerType describeBatchNorm();
std::vector<LayerType> describeActivations(); // one per row of backend/activations.h
LayerType describeSoftmax();
LayerType describeAdd();
LayerType describeConcat();

} // namespace neurite
