#include "storage/csv_options.h"

#include <cctype>

#include "common/exception.h"
#include "common/string_parse.h"

namespace basalt {

namespace {

std::string Lowercase(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Marks an option as given, rejecting a second mention as PostgreSQL does:
// silently keeping one of two conflicting values would hide a mistake.
void MarkSet(bool* flag) {
  if (*flag) ThrowError(sqlstate::kSyntaxError, "conflicting or redundant options");
  *flag = true;
}

std::string StringArgument(const std::string& name, const Value& value) {
  if (value.IsNull()) {
    ThrowError(sqlstate::kInvalidParameterValue, "option \"{}\" requires a value", name);
  }
  // Numbers are accepted as their text, as PostgreSQL's COPY does.
  return value.type().id() == TypeId::kVarchar ? value.GetString() : value.ToString();
}

char SingleByte(const std::string& name, const Value& value) {
  std::string text = StringArgument(name, value);
  if (text.size() != 1) {
    ThrowError(sqlstate::kInvalidParameterValue, "COPY {} must be a single one-byte character",
               name);
  }
  return text[0];
}

bool BooleanArgument(const std::string& name, const Value& value) {
  if (value.IsNull()) return true;  // HEADER alone means HEADER true
  switch (value.type().id()) {
    case TypeId::kBoolean:
      return value.GetBool();
    case TypeId::kSmallint:
    case TypeId::kInteger:
    case TypeId::kBigint:
      if (value.GetInt64() == 0 || value.GetInt64() == 1) return value.GetInt64() == 1;
      break;
    case TypeId::kVarchar: {
      bool b;
      if (ParseBool(value.GetString(), &b)) return b;
      break;
    }
    default:
      break;
  }
  ThrowError(sqlstate::kInvalidParameterValue, "{} requires a Boolean value", name);
}

}  // namespace

void ApplyCsvOption(CsvOptions& options, std::string name, const Value& value) {
  name = Lowercase(std::move(name));
  if (name == "format") {
    MarkSet(&options.format_set);
    std::string format = Lowercase(StringArgument(name, value));
    if (format != "csv") {
      ThrowError(sqlstate::kInvalidParameterValue, "COPY format \"{}\" not recognized", format);
    }
  } else if (name == "header") {
    MarkSet(&options.header_set);
    options.header = BooleanArgument(name, value);
  } else if (name == "delimiter" || name == "delim" || name == "sep") {
    MarkSet(&options.delimiter_set);
    options.delimiter = SingleByte("delimiter", value);
    if (options.delimiter == '\n' || options.delimiter == '\r') {
      ThrowError(sqlstate::kInvalidParameterValue,
                 "COPY delimiter cannot be newline or carriage return");
    }
  } else if (name == "quote") {
    MarkSet(&options.quote_set);
    options.quote = SingleByte("quote", value);
    if (!options.escape_set) options.escape = options.quote;
  } else if (name == "escape") {
    MarkSet(&options.escape_set);
    options.escape = SingleByte("escape", value);
  } else if (name == "null" || name == "nullstr") {
    MarkSet(&options.null_set);
    options.null_string = StringArgument(name, value);
    if (options.null_string.find_first_of("\r\n") != std::string::npos) {
      ThrowError(sqlstate::kInvalidParameterValue,
                 "COPY null representation cannot use newline or carriage return");
    }
  } else if (name == "encoding") {
    std::string encoding = Lowercase(StringArgument(name, value));
    if (encoding != "utf8" && encoding != "utf-8") {
      ThrowError(sqlstate::kInvalidParameterValue,
                 "encoding \"{}\" is not supported: CSV files must be UTF-8",
                 StringArgument(name, value));
    }
  } else {
    ThrowError(sqlstate::kInvalidParameterValue, "option \"{}\" not recognized", name);
  }
}

void ValidateCsvOptions(const CsvOptions& options) {
  if (options.quote == '\n' || options.quote == '\r') {
    ThrowError(sqlstate::kInvalidParameterValue, "COPY quote cannot be newline or carriage return");
  }
  if (options.delimiter == options.quote) {
    ThrowError(sqlstate::kInvalidParameterValue, "COPY delimiter and quote must be different");
  }
  if (options.null_string.find(options.delimiter) != std::string::npos) {
    ThrowError(sqlstate::kInvalidParameterValue,
               "COPY delimiter character must not appear in the NULL specification");
  }
  if (options.null_string.find(options.quote) != std::string::npos) {
    ThrowError(sqlstate::kInvalidParameterValue,
               "CSV quote character must not appear in the NULL specification");
  }
}

}  // namespace basalt
