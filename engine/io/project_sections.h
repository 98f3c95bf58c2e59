// Internal to engine/io: the project file's sections, read and written by separate files so
// that each stays small. Reading reports JSON paths through the ReadContext.
#pragma once

#include <string>

#include "io/json_reader.h"
#include "io/project.h"

namespace neurite::io {

TrainConfig readTraining(const Json& value, const std::string& path, const ReadContext& ctx);
Json writeTraining(const TrainConfig& cfg);

// The lesson section (config/lesson_config.h).
LessonConfig readLesson(const Json& value, const ReadContext& ctx);
Json writeLesson(const LessonConfig& lesson);

// The data section's "points" (PointEdits), at JSON path `path`.
PointEdits readPointEdits(const Json& value, const std::string& path, const ReadContext& ctx);
Json writePointEdits(const PointEdits& edits);

// The data section; withDefaults writes every key, else keys at their defaults stay out.
Json dataSection(const DataConfig& data, bool withDefaults);

// Two-space indented JSON with short lists of scalars kept on one line ("position": [0, 90]).
std::string toPrettyJson(const Json& value);

} // namespace neurite::io
