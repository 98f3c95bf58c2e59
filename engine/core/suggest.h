// Spelling suggestions for names the user typed: keys, op names, enum values.
// Used to turn "unknown X" messages into "unknown X (did you mean Y?)".
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace neurite {

// Case-insensitive edit distance between a and b: insertions, deletions, substitutions and
// swaps of neighbouring characters each count 1 (optimal string alignment).
std::size_t editDistance(std::string_view a, std::string_view b);

// The candidate closest to `name`, or "" when none is close enough to be a plausible typo
// (distance at most 1 for short names, up to a third of the length for longer ones).
std::string closestName(std::string_view name, std::span<const std::string> candidates);

// " (did you mean \"X\"?)" or "" when there is no close candidate.
std::string didYouMean(std::string_view name, std::span<const std::string> candidates);

} // namespace neurite
