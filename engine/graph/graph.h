// Graph: the model as a DAG of nodes as written in a project, and its resolution: validation of
// ops and parameters, topological order, "auto" values bound from the data, and shape inference.
// Resolution never throws on user input: everything wrong is a Problem naming the node.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "config/data_config.h"
#include "config/train_config.h"
#include "core/shape.h"
#include "layers/registry.h"

namespace neurite {

struct Node {
    std::string id;
    std::string op;                           // a LayerType name
    std::map<std::string, ParamValue> params;  // as written; validated by resolveGraph
    std::vector<std::string> inputs;          // ids of the producing nodes, in order
    double x = 0, y = 0;                      // canvas position (designer)
    // false: frozen for transfer learning. Its parameters keep their values (no optimizer step,
    // no weight decay) and a BatchNorm keeps its running statistics, normalizing with them.
    bool trainable = true;
};

// A node built in code (reference models, tests), in the order a reader thinks of it.
inline Node makeNode(std::string id, std::string op, std::vector<std::string> inputs = {},
                     std::map<std::string, ParamValue> params = {}) {
    Node n;
    n.id = std::move(id);
    n.op = std::move(op);
    n.inputs = std::move(inputs);
    n.params = std::move(params);
    return n;
}

struct Problem {
    enum class Severity { Error, Warning };
    Severity severity = Severity::Error;
    std::string nodeId;   // empty for graph-wide problems
    std::string message;  // what is wrong and how to fix it, prefixed with the node id
    int nodeIndex = -1;   // the node's position in the node list (-1: graph-wide)
    std::string param;    // the parameter at fault, when the problem is one parameter's value
};

// What the data says about the model's ends: Input "shape": "auto" takes sampleShape, a Dense
// "units": "auto" takes outputUnits (number of classes, or regression targets).
struct ResolvedGraph {
    std::vector<Problem> problems;
    std::vector<int> order;                 // topological order, indices into nodes
    std::vector<std::vector<int>> inputs;   // per node: producer indices
    std::vector<LayerParams> params;        // per node: validated, defaults filled, auto bound
    std::vector<Shape> shapes;              // per node: output shape with symbolic batch
    int input = -1;                         // the Input node
    int output = -1;                        // the node whose output the loss reads

    bool ok() const;  // no Error-severity problems
    std::string firstError() const;
};

// output: id of the output node; empty = the only node without consumers.
ResolvedGraph resolveGraph(const std::vector<Node>& nodes, const std::string& output,
                           const DataInfo& info);

// Warnings about the output layer and the loss: a Softmax before cross_entropy (or focal), or a
// Sigmoid before binary_cross_entropy, applies the function twice, since the losses take logits.
std::vector<Problem> lintForLoss(const ResolvedGraph& graph, const std::vector<Node>& nodes,
                                 LossKind loss);

}  // namespace neurite
