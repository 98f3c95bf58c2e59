// A lesson: a project with a "lesson" section that a teacher hands out (docs/teaching.md). The
// studio opens it in lesson mode: the panels it names are gone (no tab, dock, menu entry or
// shortcut reaches them), the settings it names are read-only, the seed is fixed (every student
// sees the same initialization), and its steps, short Markdown texts, are shown one at a time
// beside the work. The vocabularies below are what a lesson file may name; the parser refuses
// anything else, naming the field.
#pragma once

#include <span>
#include <string>
#include <vector>

namespace neurite {

struct LessonStep {
    std::string title;  // optional
    std::string text;   // Markdown
};

struct LessonConfig {
    std::string title;
    std::vector<std::string> hide;  // ids of lessonPanels()
    std::vector<std::string> lock;  // ids of lessonLocks()
    std::vector<LessonStep> steps;
};

struct LessonItem {
    const char* id;
    const char* what;  // for docs and the Export Lesson dialog
};

// What a lesson may hide: palette, inspector, problems, settings, summary, json, runs,
// experiments, try_it, neurons, export.
std::span<const LessonItem> lessonPanels();
// What a lesson may lock: "network" (no layer added, removed, edited or connected) and each
// setting of the Training tab by its project key ("training.optimizer.lr", "data.source").
std::span<const LessonItem> lessonLocks();

inline constexpr std::size_t kMaxLessonSteps = 100;
inline constexpr std::size_t kMaxLessonText = 20000;  // characters of one step's text

}  // namespace neurite
