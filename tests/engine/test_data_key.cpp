// The data key (io/project.h dataKey): what the GUI's data probe caches by. Every field of the
// data section the project file holds must change it, so the field list is not written here but
// read from the engine's own JSON of the section with every key (dataToJson withDefaults): each
// field is changed in a project file, the file parsed, and the key compared. A field added to the
// data section is covered the day the writer writes it.
#include <QtTest>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "io/project.h"

using namespace neurite;
using Json = nlohmann::ordered_json;

namespace {

ProjectDocument baseProject() {
    ProjectDocument doc;
    doc.name = "key";
    doc.data.source = "synthetic:moons?samples=100";
    doc.nodes = {makeNode("input", "Input"), makeNode("out", "Dense", {"input"}, {{"units", std::string("auto")}})};
    doc.output = "out";
    return doc;
}

// Leaf keys of an object as JSON pointers ("/augment/zoom").
void leaves(const Json& v, const std::string& at, std::vector<std::string>& out) {
    for (auto it = v.begin(); it != v.end(); ++it) {
        const std::string path = at + "/" + it.key();
        if (it->is_object())
            leaves(*it, path, out);
        else
            out.push_back(path);
    }
}

// Other values for a field, any of which a valid project may hold; the first that parses wins.
std::vector<Json> alternatives(const Json& v) {
    if (v.is_boolean()) return {!v.get<bool>()};
    if (v.is_number_integer()) return {v.get<int64_t>() + 1, v.get<int64_t>() - 1};
    if (v.is_number()) return {v.get<double>() + 0.05, v.get<double>() / 2};
    if (v.is_string())
        return {"none", "standardize", "minmax", "balanced", "oversample", "label", "synthetic:circles"};
    return {};
}

}  // namespace

class TestDataKey : public QObject {
    Q_OBJECT
private slots:
    void equalSettingsGiveEqualKeys() {
        const ProjectDocument doc = baseProject();
        DataConfig copy = doc.data;
        QCOMPARE(dataKey(copy, 42), dataKey(doc.data, 42));
        // Through the project file and back: the same settings, the same key.
        const ProjectDocument read = parseProject(projectToJson(doc), "key.neurite.json", nullptr);
        QCOMPARE(dataKey(read.data, 42), dataKey(doc.data, 42));
        QVERIFY(dataKey(doc.data, 42) != dataKey(doc.data, 43));  // the seed draws the splits
    }

    // The written section omits keys at their defaults; the full one holds all of them, and the
    // written one is a part of it.
    void theFullSectionHoldsEveryWrittenKey() {
        ProjectDocument doc = baseProject();
        const Json full = Json::parse(dataToJson(doc.data, true));
        doc.data.target = "label";
        doc.data.augment.zoom = 0.25f;
        const Json written = Json::parse(projectToJson(doc))["data"];
        std::vector<std::string> fullKeys, writtenKeys;
        leaves(full, "", fullKeys);
        leaves(written, "", writtenKeys);
        QVERIFY(fullKeys.size() >= 20);  // 11 settings and 10 augmentations, as of writing
        for (const std::string& k : writtenKeys)
            QVERIFY2(std::find(fullKeys.begin(), fullKeys.end(), k) != fullKeys.end(), k.c_str());
        QVERIFY(writtenKeys.size() < fullKeys.size());
    }

    void everyFieldChangesTheKey() {
        const ProjectDocument doc = baseProject();
        const std::string before = dataKey(doc.data, 42);
        const Json file = Json::parse(projectToJson(doc));
        std::vector<std::string> fields;
        leaves(Json::parse(dataToJson(doc.data, true)), "", fields);
        QVERIFY(!fields.empty());
        for (const std::string& field : fields) {
            const Json::json_pointer at("/data" + field);
            const Json value = Json::parse(dataToJson(doc.data, true))[Json::json_pointer(field)];
            bool changed = false;
            QString tried;
            for (const Json& other : alternatives(value)) {
                if (other == value) continue;
                Json edited = file;
                edited[at] = other;
                ProjectDocument read;
                try {
                    read = parseProject(edited.dump(), "key.neurite.json", nullptr);
                } catch (const Error& e) {
                    tried += QString::fromUtf8(e.what()) + "; ";
                    continue;  // not a value this field takes
                }
                // The file's field reached the settings, and the key says so.
                const Json readBack = Json::parse(dataToJson(read.data, true))[Json::json_pointer(field)];
                QVERIFY2(readBack == other, qPrintable(QString::fromStdString(field + ": read back as " + readBack.dump())));
                QVERIFY2(dataKey(read.data, 42) != before, qPrintable(QString::fromStdString(field)));
                changed = true;
                break;
            }
            QVERIFY2(changed, qPrintable(QString::fromStdString("no valid other value for " + field + ": ") + tried));
        }
    }
};

QTEST_MAIN(TestDataKey)
#include "test_data_key.moc"
