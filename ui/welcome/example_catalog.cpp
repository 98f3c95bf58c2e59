// Reading the examples folder and drawing graph miniatures.
#include "example_catalog.h"

#include <QDir>
#include <QLocale>
#include <QObject>
#include <QPainter>

#include <algorithm>
#include <map>

#include "data/data_source.h"
#include "graph/graph_cost.h"
#include "layers/registry.h"

namespace neurite {

namespace {

// The designer's category hues (node_item.cpp), so a miniature reads like the canvas.
QColor categoryColor(const std::string& op) {
    const LayerType* type = findLayerType(op);
    const std::string category = type ? type->category : std::string();
    if (category == "Convolution") return QColor(0x3b, 0x82, 0xf6);
    if (category == "Pooling") return QColor(0x06, 0xb6, 0xd4);
    if (category == "Normalization") return QColor(0xa8, 0x55, 0xf7);
    if (category == "Regularization") return QColor(0xf5, 0x9e, 0x0b);
    if (category == "Activation") return QColor(0x22, 0xc5, 0x5e);
    if (category == "Merge") return QColor(0xec, 0x48, 0x99);
    return QColor(0x64, 0x74, 0x8b);
}

}  // namespace

QString layerCount(int n) { return n == 1 ? QObject::tr("1 layer") : QObject::tr("%1 layers").arg(n); }

QList<ExampleInfo> scanExamples(const QString& dir) {
    QList<ExampleInfo> out;
    if (dir.isEmpty()) return out;
    const QStringList files = QDir(dir).entryList({"*.neurite.json"}, QDir::Files, QDir::Name);
    for (const QString& name : files) {
        ExampleInfo e;
        e.path = QDir(dir).absoluteFilePath(name);
        e.title = name.chopped(int(sizeof(".neurite.json")) - 1);
        try {
            e.document = loadProject(e.path.toStdString(), nullptr);
            if (!e.document.name.empty()) e.title = QString::fromStdString(e.document.name);
            e.description = QString::fromStdString(e.document.description);
            e.source = QString::fromStdString(e.document.data.source);
            e.layers = static_cast<int>(e.document.nodes.size());
        } catch (const std::exception& ex) {
            e.error = QString::fromUtf8(ex.what());
        }
        out.append(e);
    }
    return out;
}

QString modelSize(const ProjectDocument& doc) {
    const QString layers = layerCount(static_cast<int>(doc.nodes.size()));
    try {
        const DataInfo info = dataInfo(loadDataset(doc.data, doc.training.seed));
        const ResolvedGraph graph = resolveGraph(doc.nodes, doc.output, info);
        if (!graph.ok())
            return QObject::tr("%1; the graph does not resolve: %2")
                .arg(layers, QString::fromStdString(graph.firstError()));
        const GraphCost cost = estimateCost(doc.nodes, graph);
        return QObject::tr("%1, %2 parameters").arg(layers, QLocale().toString(qlonglong(cost.totalParams)));
    } catch (const std::exception& e) {
        return QObject::tr("%1; parameters unknown: %2").arg(layers, QString::fromUtf8(e.what()));
    }
}

QPixmap graphThumbnail(const ProjectDocument& doc, QSize size, const QPalette& palette) {
    QPixmap pm(size);
    pm.fill(palette.color(QPalette::Base));
    if (doc.nodes.empty()) return pm;
    double x0 = doc.nodes[0].x, x1 = x0, y0 = doc.nodes[0].y, y1 = y0;
    for (const Node& n : doc.nodes) {
        x0 = std::min(x0, n.x), x1 = std::max(x1, n.x);
        y0 = std::min(y0, n.y), y1 = std::max(y1, n.y);
    }
    // Follow the thumbnail's longer side: a vertical chain in a wide thumbnail runs left to right.
    const bool transpose = (y1 - y0 > x1 - x0) != (size.height() > size.width());
    const double spanU = transpose ? y1 - y0 : x1 - x0, spanV = transpose ? x1 - x0 : y1 - y0;
    const int n = static_cast<int>(doc.nodes.size());
    const double margin = 10;
    const double w = size.width() - 2 * margin, h = size.height() - 2 * margin;
    const double block = std::max(3.0, std::min(h / 3.0, 0.7 * w / n));  // width; height is twice
    std::map<std::string, QPointF> at;
    for (const Node& node : doc.nodes) {
        const double u = transpose ? node.y - y0 : node.x - x0;
        const double v = transpose ? node.x - x0 : node.y - y0;
        const double pu = spanU < 1 ? w / 2 : block / 2 + u / spanU * (w - block);
        const double pv = spanV < 1 ? h / 2 : block + v / spanV * (h - 2 * block);
        at[node.id] = QPointF(margin + pu, margin + pv);
    }
    QPainter p(&pm);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(QPen(palette.color(QPalette::Mid), 1.5));
    for (const Node& node : doc.nodes)
        for (const std::string& in : node.inputs)
            if (at.count(in)) p.drawLine(at[in], at[node.id]);
    for (const Node& node : doc.nodes) {
        const QPointF c = at[node.id];
        const QRectF r(c.x() - block / 2, c.y() - block, block, 2 * block);
        p.setPen(QPen(categoryColor(node.op).darker(130), 1));
        p.setBrush(categoryColor(node.op));
        p.drawRoundedRect(r, 2, 2);
    }
    return pm;
}

}  // namespace neurite
