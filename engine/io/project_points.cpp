// The data section's "points": points added to or removed from 2-D classification data by hand.
#include <cmath>
#include <limits>
#include <string>

#include "io/project_sections.h"

namespace neurite::io {

namespace {

// [x, y] or [x, y, class]: finite numbers within float range, a class index.
PointEdit readPoint(const Json& item, const std::string& at, bool withLabel, const ReadContext& ctx) {
    const std::size_t n = withLabel ? 3 : 2;
    const char* shape = withLabel ? "[x, y, class]" : "[x, y]";
    if (!item.is_array() || item.size() != n) fail(ctx, at, std::string("must be ") + shape + ", got " + describe(item));
    PointEdit p;
    for (std::size_t k = 0; k < 2; ++k) {
        const Json& v = item[k];
        if (!v.is_number() || !std::isfinite(v.get<double>()) ||
            std::fabs(v.get<double>()) > std::numeric_limits<float>::max())
            fail(ctx, at + "[" + std::to_string(k) + "]", "must be a finite number within float range, got " + describe(v));
        (k == 0 ? p.x : p.y) = v.get<double>();
    }
    if (withLabel) {
        const Json& c = item[2];
        if (!c.is_number_integer() || c.get<int64_t>() < 0 || c.get<int64_t>() > 1000000)
            fail(ctx, at + "[2]", "must be a class index (0, 1, ...), got " + describe(c));
        p.label = static_cast<int>(c.get<int64_t>());
    }
    return p;
}

std::vector<PointEdit> readPoints(const ObjectReader& r, const char* key, bool withLabel) {
    std::vector<PointEdit> out;
    const Json* v = r.find(key);
    if (!v) return out;
    const std::string path = r.pathOf(key);
    if (!v->is_array())
        fail(r.context(), path, std::string("must be a list of ") + (withLabel ? "[x, y, class]" : "[x, y]") +
                                    " points, got " + describe(*v));
    if (v->size() > kMaxPointEdits)
        fail(r.context(), path, "has " + std::to_string(v->size()) + " points; at most " + std::to_string(kMaxPointEdits));
    for (std::size_t i = 0; i < v->size(); ++i)
        out.push_back(readPoint((*v)[i], path + "[" + std::to_string(i) + "]", withLabel, r.context()));
    return out;
}

}  // namespace

PointEdits readPointEdits(const Json& value, const std::string& path, const ReadContext& ctx) {
    ObjectReader r(value, path, ctx, {"add", "remove"});
    PointEdits edits;
    edits.add = readPoints(r, "add", true);
    edits.remove = readPoints(r, "remove", false);
    r.finish();
    return edits;
}

Json writePointEdits(const PointEdits& edits) {
    Json j = Json::object();
    if (!edits.add.empty()) {
        Json add = Json::array();
        for (const PointEdit& p : edits.add) add.push_back(Json::array({p.x, p.y, p.label}));
        j["add"] = add;
    }
    if (!edits.remove.empty()) {
        Json remove = Json::array();
        for (const PointEdit& p : edits.remove) remove.push_back(Json::array({p.x, p.y}));
        j["remove"] = remove;
    }
    return j;
}

}  // namespace neurite::io
