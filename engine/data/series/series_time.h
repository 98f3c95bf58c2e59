// Timestamps of a series: numbers (years, indices, seconds) or calendar dates, as a double on one
// axis (dates in days since 1970-01-01, a time of day as the fraction of the day), so that the
// source can check their order and find a regular step and its gaps (docs/data.md, "Time series").
#pragma once

#include <optional>
#include <string_view>

namespace neurite {

// "1700", "3.5", "1958-03-29", "1958/03/29", "1958-03", "2001-12-31 23:30[:15]" (or with a T),
// "19580329" (an 8-digit whole number that is a valid date from 1000 to 2999 reads as YYYYMMDD).
// Dates are proleptic Gregorian; a month alone is its first day. nullopt: not a time.
std::optional<double> parseSeriesTime(std::string_view text);

// Days since 1970-01-01 of a civil date (valid or not: the caller checks month and day).
long long daysFromCivil(long long year, unsigned month, unsigned day);

}  // namespace neurite
