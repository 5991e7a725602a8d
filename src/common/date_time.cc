#include "common/date_time.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <string>

#include <fmt/format.h>

#include "common/exception.h"

namespace basalt {

namespace {

// Days-from-civil by counting in 400-year eras that start on March 1st, which
// puts the leap day at the end of each era-year.
int64_t DaysFromCivil64(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

bool IsLeap(int32_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

void SkipSpaces(std::string_view s, size_t* i) {
  while (*i < s.size() && std::isspace(static_cast<unsigned char>(s[*i]))) (*i)++;
}

// Reads 1..max_digits digits.
bool ReadNumber(std::string_view s, size_t* i, int max_digits, int64_t* out) {
  int64_t v = 0;
  int n = 0;
  while (*i < s.size() && std::isdigit(static_cast<unsigned char>(s[*i])) && n < max_digits) {
    v = v * 10 + (s[*i] - '0');
    (*i)++;
    n++;
  }
  *out = v;
  return n > 0;
}

// The era PostgreSQL writes after a date before year 1 ("0044-03-15 BC",
// where year 1 BC is astronomical year 0) and after a timestamp's time
// ("0044-03-15 12:00:00 BC"). "AD" is accepted too, as PostgreSQL does.
enum class Era { kNone, kAd, kBc };

// Reads an era word at *i, after at least one space: "BC" or "AD" in any
// case, not followed by a letter or digit. Leaves *i alone when there is none.
Era ReadEra(std::string_view s, size_t* i) {
  size_t j = *i;
  SkipSpaces(s, &j);
  if (j == *i || j + 2 > s.size()) return Era::kNone;
  const char a = static_cast<char>(std::tolower(static_cast<unsigned char>(s[j])));
  const char b = static_cast<char>(std::tolower(static_cast<unsigned char>(s[j + 1])));
  Era era = Era::kNone;
  if (a == 'b' && b == 'c') era = Era::kBc;
  if (a == 'a' && b == 'd') era = Era::kAd;
  if (era == Era::kNone) return Era::kNone;
  if (j + 2 < s.size() && std::isalnum(static_cast<unsigned char>(s[j + 2]))) return Era::kNone;
  *i = j + 2;
  return era;
}

// The era that ends `s` (before trailing spaces), with *end set to where it
// starts; kNone (and *end = s.size()) when `s` does not end in one.
Era TrailingEra(std::string_view s, size_t* end) {
  size_t e = s.size();
  while (e > 0 && std::isspace(static_cast<unsigned char>(s[e - 1]))) e--;
  size_t start = e;
  while (start > 0 && std::isalpha(static_cast<unsigned char>(s[start - 1]))) start--;
  *end = s.size();
  if (e - start != 2 || start == 0) return Era::kNone;
  size_t at = start - 1;  // the space before the word
  while (at > 0 && std::isspace(static_cast<unsigned char>(s[at - 1]))) at--;
  size_t j = at;
  const Era era = ReadEra(s, &j);
  if (era == Era::kNone || j != e) return Era::kNone;
  *end = at;
  return era;
}

// "[-]Y-MM-DD", optionally followed by its era (" BC"). `era` is the one
// found after a timestamp's time, if any; a text holds at most one. The era
// applies before the calendar check, so a BC leap day (5 BC is a leap year)
// is checked against its own year.
bool ParseDatePart(std::string_view s, size_t* i, Era era, int32_t* days) {
  int64_t y, m, d;
  bool negative_year = false;
  if (*i < s.size() && s[*i] == '-') {
    negative_year = true;
    (*i)++;
  }
  if (!ReadNumber(s, i, 6, &y) || *i >= s.size() || s[*i] != '-') return false;
  (*i)++;
  if (!ReadNumber(s, i, 2, &m) || *i >= s.size() || s[*i] != '-') return false;
  (*i)++;
  if (!ReadNumber(s, i, 2, &d)) return false;
  const Era own = ReadEra(s, i);
  if (own != Era::kNone) {
    if (era != Era::kNone) return false;
    era = own;
  }
  if (era != Era::kNone && (negative_year || y == 0)) return false;  // "-0044 BC", "0000 BC"
  if (negative_year) y = -y;
  if (era == Era::kBc) y = 1 - y;
  if (!IsValidCivil(static_cast<int32_t>(y), static_cast<int32_t>(m), static_cast<int32_t>(d))) {
    return false;
  }
  *days = DaysFromCivil(static_cast<int32_t>(y), static_cast<int32_t>(m), static_cast<int32_t>(d));
  return true;
}

// "HH:MM[:SS[.ffffff]]"
bool ParseTimePart(std::string_view s, size_t* i, int64_t* micros) {
  int64_t h, mi, sec = 0, frac = 0;
  if (!ReadNumber(s, i, 2, &h) || *i >= s.size() || s[*i] != ':') return false;
  (*i)++;
  if (!ReadNumber(s, i, 2, &mi)) return false;
  if (*i < s.size() && s[*i] == ':') {
    (*i)++;
    if (!ReadNumber(s, i, 2, &sec)) return false;
    if (*i < s.size() && s[*i] == '.') {
      (*i)++;
      int digits = 0;
      while (*i < s.size() && std::isdigit(static_cast<unsigned char>(s[*i]))) {
        if (digits < 6) {
          frac = frac * 10 + (s[*i] - '0');
          digits++;
        }
        (*i)++;
      }
      while (digits < 6) {
        frac *= 10;
        digits++;
      }
    }
  }
  if (h > 24 || mi > 59 || sec > 60) return false;
  *micros = h * kMicrosPerHour + mi * kMicrosPerMinute + sec * kMicrosPerSecond + frac;
  return true;
}

}  // namespace

int32_t DaysFromCivil(int32_t year, int32_t month, int32_t day) {
  return static_cast<int32_t>(DaysFromCivil64(year, month, day));
}

CivilDate CivilFromDays(int32_t days) {
  int64_t z = static_cast<int64_t>(days) + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = yoe + era * 400;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const int64_t m = mp + (mp < 10 ? 3 : -9);
  return CivilDate{static_cast<int32_t>(y + (m <= 2)), static_cast<int32_t>(m),
                   static_cast<int32_t>(d)};
}

int32_t DaysInMonth(int32_t year, int32_t month) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeap(year) ? 29 : kDays[month - 1];
}

bool IsValidCivil(int32_t year, int32_t month, int32_t day) {
  if (year < -4713 || year > 294276) return false;
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= DaysInMonth(year, month);
}

// A trailing time zone ("Z", "+00", "-05:30", "+0530"), which PostgreSQL
// accepts and ignores for DATE and TIMESTAMP (without time zone) input;
// drivers send one (pgjdbc's setDate gives "1999-01-01 +00").
void SkipTimeZone(std::string_view s, size_t* i) {
  size_t j = *i;
  SkipSpaces(s, &j);
  if (j < s.size() && (s[j] == 'Z' || s[j] == 'z')) {
    *i = j + 1;
    return;
  }
  if (j >= s.size() || (s[j] != '+' && s[j] != '-')) return;
  j++;
  int64_t hours;
  size_t start = j;
  if (!ReadNumber(s, &j, 4, &hours)) return;
  if (j - start > 2 && hours % 100 >= 60) return;  // +HHMM
  if (j - start <= 2 && j < s.size() && s[j] == ':') {
    int64_t minutes;
    size_t after_colon = j + 1;
    if (!ReadNumber(s, &after_colon, 2, &minutes)) return;
    j = after_colon;
  }
  *i = j;
}

bool ParseDate(std::string_view text, int32_t* out) {
  size_t i = 0;
  SkipSpaces(text, &i);
  if (!ParseDatePart(text, &i, Era::kNone, out)) return false;
  SkipTimeZone(text, &i);
  SkipSpaces(text, &i);
  return i == text.size();
}

bool ParseTimestamp(std::string_view text, int64_t* out) {
  // PostgreSQL writes the era last ("0044-03-15 12:00:00 BC"); the date needs
  // it before its calendar check, so it is taken off the end first.
  size_t end;
  const Era era = TrailingEra(text, &end);
  text = text.substr(0, end);
  size_t i = 0;
  SkipSpaces(text, &i);
  int32_t days;
  if (!ParseDatePart(text, &i, era, &days)) return false;
  int64_t time = 0;
  if (i < text.size() && (text[i] == ' ' || text[i] == 'T')) {
    i++;
    SkipSpaces(text, &i);
    if (i < text.size() && !ParseTimePart(text, &i, &time)) return false;
  }
  SkipTimeZone(text, &i);
  SkipSpaces(text, &i);
  if (i != text.size()) return false;
  *out = static_cast<int64_t>(days) * kMicrosPerDay + time;
  return true;
}

namespace {

// "YYYY-MM-DD" of `days` with the year counted as PostgreSQL prints it (year
// 0 is 1 BC); *bc says whether the era " BC" must follow.
std::string FormatCivil(int32_t days, bool* bc) {
  const CivilDate c = CivilFromDays(days);
  *bc = c.year <= 0;
  return fmt::format("{:04d}-{:02d}-{:02d}", *bc ? 1 - c.year : c.year, c.month, c.day);
}

}  // namespace

std::string FormatDate(int32_t days) {
  bool bc;
  std::string s = FormatCivil(days, &bc);
  if (bc) s += " BC";
  return s;
}

std::string FormatTimestamp(int64_t micros) {
  int64_t days = micros / kMicrosPerDay;
  int64_t rem = micros % kMicrosPerDay;
  if (rem < 0) {
    rem += kMicrosPerDay;
    days--;
  }
  bool bc;
  std::string s = FormatCivil(static_cast<int32_t>(days), &bc);
  int64_t h = rem / kMicrosPerHour;
  int64_t mi = rem / kMicrosPerMinute % 60;
  int64_t sec = rem / kMicrosPerSecond % 60;
  int64_t frac = rem % kMicrosPerSecond;
  s += fmt::format(" {:02d}:{:02d}:{:02d}", h, mi, sec);
  if (frac != 0) {
    std::string f = fmt::format("{:06d}", frac);
    while (f.back() == '0') f.pop_back();
    s += "." + f;
  }
  // After the time, as PostgreSQL prints it: "0044-03-15 12:00:00 BC".
  if (bc) s += " BC";
  return s;
}

std::string FormatInterval(const Interval& iv) {
  // PostgreSQL's output style: "1 year 2 mons 3 days 04:05:06"; the singular
  // only for exactly 1; once a field is negative, later positive fields carry
  // an explicit '+' ("-1 days +02:00:00").
  std::string out;
  bool seen_negative = false;
  auto sign_prefix = [&](bool negative) {
    std::string p = (!negative && seen_negative) ? "+" : "";
    seen_negative |= negative;
    return p;
  };
  auto add = [&](int64_t n, const char* unit, const char* plural) {
    if (n == 0) return;
    if (!out.empty()) out += ' ';
    out += fmt::format("{}{} {}", sign_prefix(n < 0), n, n == 1 ? unit : plural);
  };
  add(iv.months / 12, "year", "years");
  add(iv.months % 12, "mon", "mons");
  add(iv.days, "day", "days");
  if (iv.micros != 0 || out.empty()) {
    int64_t m = iv.micros;
    bool negative = m < 0;
    if (negative) m = -m;
    std::string t = fmt::format("{}{:02d}:{:02d}:{:02d}", negative ? "-" : sign_prefix(false),
                                m / kMicrosPerHour, m / kMicrosPerMinute % 60,
                                m / kMicrosPerSecond % 60);
    if (m % kMicrosPerSecond != 0) {
      std::string f = fmt::format("{:06d}", m % kMicrosPerSecond);
      while (f.back() == '0') f.pop_back();
      t += "." + f;
    }
    if (!out.empty()) out += ' ';
    out += t;
  }
  return out;
}

namespace {

bool ApplyUnit(std::string_view unit, double amount, Interval* iv) {
  std::string u;
  for (char c : unit) u += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (u.size() > 1 && u.back() == 's') u.pop_back();
  auto whole = [&](double v) { return static_cast<int64_t>(std::llround(v)); };
  if (u == "year" || u == "yr" || u == "y") {
    iv->months += static_cast<int32_t>(whole(amount * 12));
  } else if (u == "month" || u == "mon") {
    iv->months += static_cast<int32_t>(whole(amount));
  } else if (u == "week" || u == "w") {
    iv->days += static_cast<int32_t>(whole(amount * 7));
  } else if (u == "day" || u == "d") {
    iv->days += static_cast<int32_t>(whole(amount));
  } else if (u == "hour" || u == "hr" || u == "h") {
    iv->micros += whole(amount * kMicrosPerHour);
  } else if (u == "minute" || u == "min" || u == "m") {
    iv->micros += whole(amount * kMicrosPerMinute);
  } else if (u == "second" || u == "sec" || u == "s") {
    iv->micros += whole(amount * kMicrosPerSecond);
  } else if (u == "millisecond" || u == "ms") {
    iv->micros += whole(amount * 1000);
  } else if (u == "microsecond" || u == "us") {
    iv->micros += whole(amount);
  } else {
    return false;
  }
  return true;
}

}  // namespace

bool ParseInterval(std::string_view text, std::string_view unit, Interval* out) {
  Interval iv;
  size_t i = 0;
  bool any = false;
  while (true) {
    SkipSpaces(text, &i);
    if (i >= text.size()) break;
    size_t start = i;
    if (text[i] == '-' || text[i] == '+') i++;
    size_t digits_start = i;
    while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) i++;
    if (i == digits_start) return false;
    // A time of day "hh:mm:ss".
    if (i < text.size() && text[i] == ':') {
      size_t j = digits_start;
      int64_t micros;
      if (!ParseTimePart(text, &j, &micros)) return false;
      iv.micros += text[start] == '-' ? -micros : micros;
      i = j;
      any = true;
      continue;
    }
    double amount;
    try {
      amount = std::stod(std::string(text.substr(start, i - start)));
    } catch (...) {
      return false;
    }
    SkipSpaces(text, &i);
    size_t unit_start = i;
    while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) i++;
    std::string_view word = text.substr(unit_start, i - unit_start);
    if (word.empty()) {
      if (unit.empty()) {
        // PostgreSQL reads a bare number as seconds.
        if (!ApplyUnit("second", amount, &iv)) return false;
      } else if (!ApplyUnit(unit, amount, &iv)) {
        return false;
      }
    } else if (!ApplyUnit(word, amount, &iv)) {
      return false;
    }
    any = true;
  }
  if (!any) return false;
  *out = iv;
  return true;
}

int32_t AddMonthsToDate(int32_t days, int32_t months) {
  CivilDate c = CivilFromDays(days);
  int64_t total = static_cast<int64_t>(c.year) * 12 + (c.month - 1) + months;
  int32_t year = static_cast<int32_t>(total >= 0 ? total / 12 : (total - 11) / 12);
  int32_t month = static_cast<int32_t>(total - static_cast<int64_t>(year) * 12) + 1;
  if (year < -4713 || year > 294276) {
    throw BasaltError(sqlstate::kDatetimeFieldOverflow, "date out of range");
  }
  int32_t day = c.day;
  int32_t dim = DaysInMonth(year, month);
  if (day > dim) day = dim;
  return DaysFromCivil(year, month, day);
}

int64_t AddIntervalToTimestamp(int64_t micros, const Interval& interval) {
  int64_t days = micros / kMicrosPerDay;
  int64_t rem = micros % kMicrosPerDay;
  if (rem < 0) {
    rem += kMicrosPerDay;
    days--;
  }
  if (interval.months != 0) days = AddMonthsToDate(static_cast<int32_t>(days), interval.months);
  days += interval.days;
  int64_t result;
  if (__builtin_mul_overflow(days, kMicrosPerDay, &result) ||
      __builtin_add_overflow(result, rem, &result) ||
      __builtin_add_overflow(result, interval.micros, &result)) {
    throw BasaltError(sqlstate::kDatetimeFieldOverflow, "timestamp out of range");
  }
  return result;
}

bool ExtractFromTimestamp(std::string_view field, int64_t micros, double* out) {
  int64_t days = micros / kMicrosPerDay;
  int64_t rem = micros % kMicrosPerDay;
  if (rem < 0) {
    rem += kMicrosPerDay;
    days--;
  }
  CivilDate c = CivilFromDays(static_cast<int32_t>(days));
  if (field == "year") {
    *out = c.year;
  } else if (field == "month") {
    *out = c.month;
  } else if (field == "day") {
    *out = c.day;
  } else if (field == "quarter") {
    *out = (c.month - 1) / 3 + 1;
  } else if (field == "dow") {
    int64_t dow = (days + 4) % 7;  // 1970-01-01 was a Thursday
    *out = static_cast<double>(dow < 0 ? dow + 7 : dow);
  } else if (field == "isodow") {
    int64_t dow = (days + 4) % 7;
    if (dow < 0) dow += 7;
    *out = static_cast<double>(dow == 0 ? 7 : dow);
  } else if (field == "doy") {
    *out = static_cast<double>(days - DaysFromCivil(c.year, 1, 1) + 1);
  } else if (field == "week") {
    // ISO week: the week with the year's first Thursday is week 1.
    int64_t dow = (days + 3) % 7;  // Monday = 0
    if (dow < 0) dow += 7;
    int64_t thursday = days - dow + 3;
    CivilDate tc = CivilFromDays(static_cast<int32_t>(thursday));
    *out = static_cast<double>((thursday - DaysFromCivil(tc.year, 1, 1)) / 7 + 1);
  } else if (field == "hour") {
    *out = static_cast<double>(rem / kMicrosPerHour);
  } else if (field == "minute") {
    *out = static_cast<double>(rem / kMicrosPerMinute % 60);
  } else if (field == "second") {
    *out = static_cast<double>(rem % kMicrosPerMinute) / kMicrosPerSecond;
  } else if (field == "epoch") {
    *out = static_cast<double>(micros) / kMicrosPerSecond;
  } else if (field == "century") {
    *out = c.year > 0 ? (c.year + 99) / 100 : -((99 - c.year) / 100);
  } else if (field == "decade") {
    *out = std::floor(c.year / 10.0);
  } else {
    return false;
  }
  return true;
}

}  // namespace basalt
