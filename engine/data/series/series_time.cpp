#include "data/series/series_time.h"

#include <charconv>
#include <cmath>
#include <string>

#include "data/sources/csv_parser.h"

namespace neurite {

long long daysFromCivil(long long y, unsigned m, unsigned d) {
    // Howard Hinnant's days_from_civil (public domain algorithm description)
    y -= m <= 2;
    const long long era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<long long>(doe) - 719468;
}

namespace {

bool leap(long long y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned daysIn(long long y, unsigned m) {
    static const unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : kDays[m - 1];
}

bool digits(std::string_view s, std::size_t n, long long& out) {
    if (s.size() < n) return false;
    out = 0;
    for (std::size_t i = 0; i < n; ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
        out = out * 10 + (s[i] - '0');
    }
    return true;
}

std::optional<double> date(long long y, long long m, long long d) {
    if (y < 1000 || y > 2999 || m < 1 || m > 12 || d < 1 || d > daysIn(y, static_cast<unsigned>(m)))
        return std::nullopt;
    return static_cast<double>(daysFromCivil(y, static_cast<unsigned>(m), static_cast<unsigned>(d)));
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

}  // namespace

std::optional<double> parseSeriesTime(std::string_view text) {
    const std::string_view s = trim(text);
    long long y = 0, m = 0, d = 0;
    // YYYYMMDD as one number
    if (s.size() == 8 && digits(s, 8, y)) {
        if (auto t = date(y / 10000, (y / 100) % 100, y % 100)) return t;
        return static_cast<double>(y);
    }
    // YYYY-MM[-DD][( |T)HH:MM[:SS]]
    if (s.size() >= 7 && digits(s, 4, y) && (s[4] == '-' || s[4] == '/') && digits(s.substr(5), 2, m)) {
        const char sep = s[4];
        std::size_t at = 7;
        d = 1;
        if (s.size() >= 10 && s[7] == sep) {
            if (!digits(s.substr(8), 2, d)) return std::nullopt;
            at = 10;
        }
        std::optional<double> day = date(y, m, d);
        if (!day) return std::nullopt;
        if (at == s.size()) return day;
        if (s[at] != ' ' && s[at] != 'T') return std::nullopt;
        const std::string_view clock = s.substr(at + 1);
        long long hh = 0, mm = 0, ss = 0;
        if (!digits(clock, 2, hh) || clock.size() < 5 || clock[2] != ':' || !digits(clock.substr(3), 2, mm))
            return std::nullopt;
        std::size_t end = 5;
        if (clock.size() >= 8 && clock[5] == ':') {
            if (!digits(clock.substr(6), 2, ss)) return std::nullopt;
            end = 8;
        }
        if (end != clock.size() || hh > 23 || mm > 59 || ss > 60) return std::nullopt;
        return *day + (static_cast<double>(hh) * 3600 + static_cast<double>(mm) * 60 + static_cast<double>(ss)) / 86400.0;
    }
    double v = 0;
    if (parseCsvNumber(s, v) && std::isfinite(v)) return v;
    return std::nullopt;
}

}  // namespace neurite
