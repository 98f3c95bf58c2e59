// The project file's "lesson" section: read with the path of every problem, written back as read.
#include <string>
#include <vector>

#include "core/suggest.h"
#include "io/project_sections.h"

namespace neurite::io {

namespace {

std::vector<std::string> idsOf(std::span<const LessonItem> items) {
    std::vector<std::string> out;
    for (const LessonItem& i : items) out.emplace_back(i.id);
    return out;
}

// A list of ids from `known`, each once.
std::vector<std::string> readIds(const ObjectReader& r, const char* key, std::span<const LessonItem> known,
                                 const char* what) {
    std::vector<std::string> out;
    const Json* v = r.find(key);
    if (!v) return out;
    const std::string path = r.pathOf(key);
    if (!v->is_array()) fail(r.context(), path, std::string("must be a list of ") + what + " names, got " + describe(*v));
    const std::vector<std::string> ids = idsOf(known);
    for (std::size_t i = 0; i < v->size(); ++i) {
        const Json& item = (*v)[i];
        const std::string at = path + "[" + std::to_string(i) + "]";
        if (!item.is_string()) fail(r.context(), at, std::string("must be a ") + what + " name, got " + describe(item));
        const std::string id = item.get<std::string>();
        bool found = false;
        for (const std::string& k : ids) found |= k == id;
        if (!found) {
            std::string list;
            for (const std::string& k : ids) list += (list.empty() ? "" : ", ") + k;
            fail(r.context(), at, "unknown " + std::string(what) + " \"" + id + "\"" + didYouMean(id, ids) + "; one of: " + list);
        }
        for (const std::string& seen : out)
            if (seen == id) fail(r.context(), at, "\"" + id + "\" is listed twice");
        out.push_back(id);
    }
    return out;
}

}  // namespace

LessonConfig readLesson(const Json& value, const ReadContext& ctx) {
    ObjectReader r(value, "$.lesson", ctx, {"title", "hide", "lock", "steps"});  // refuses a non-object
    LessonConfig lesson;
    r.readString("title", lesson.title);
    if (lesson.title.size() > 200) r.fail("title", "is longer than 200 characters");
    lesson.hide = readIds(r, "hide", lessonPanels(), "panel");
    lesson.lock = readIds(r, "lock", lessonLocks(), "lockable setting");
    if (const Json* steps = r.find("steps")) {
        const std::string path = r.pathOf("steps");
        if (!steps->is_array()) r.fail("steps", "must be a list of {\"title\", \"text\"} objects, got " + describe(*steps));
        if (steps->size() > kMaxLessonSteps)
            r.fail("steps", "has " + std::to_string(steps->size()) + " steps; a lesson holds at most " +
                                std::to_string(kMaxLessonSteps));
        for (std::size_t i = 0; i < steps->size(); ++i) {
            ObjectReader s((*steps)[i], path + "[" + std::to_string(i) + "]", ctx, {"title", "text"});
            LessonStep step;
            s.readString("title", step.title);
            if (!s.readString("text", step.text) || step.text.empty())
                s.fail("text", "missing; every step needs the text the student reads (Markdown)");
            if (step.text.size() > kMaxLessonText)
                s.fail("text", "is longer than " + std::to_string(kMaxLessonText) + " characters");
            s.finish();
            lesson.steps.push_back(std::move(step));
        }
    }
    r.finish();
    return lesson;
}

Json writeLesson(const LessonConfig& lesson) {
    Json j = Json::object();
    if (!lesson.title.empty()) j["title"] = lesson.title;
    if (!lesson.hide.empty()) j["hide"] = lesson.hide;
    if (!lesson.lock.empty()) j["lock"] = lesson.lock;
    if (!lesson.steps.empty()) {
        Json steps = Json::array();
        for (const LessonStep& s : lesson.steps) {
            Json step = Json::object();
            if (!s.title.empty()) step["title"] = s.title;
            step["text"] = s.text;
            steps.push_back(step);
        }
        j["steps"] = steps;
    }
    return j;
}

}  // namespace neurite::io
