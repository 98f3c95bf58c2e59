// Python names for the pytorch export: a node id as an identifier (attribute and local variable
// of model.py), a project name as a class name.
#pragma once

#include <set>
#include <string>

namespace neurite {

// `id` with every character outside [A-Za-z0-9_] made '_', a leading digit prefixed, Python's
// keywords and the names model.py itself uses suffixed with '_', then made unique among `used`
// (which it joins).
std::string pythonName(const std::string& id, std::set<std::string>& used);

// "Fashion-MNIST CNN" -> "FashionMnistCnn"; "Model" when nothing is left.
std::string pythonClassName(const std::string& projectName);

}  // namespace neurite
