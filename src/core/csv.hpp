#pragma once
// RFC 4180 CSV, the one reader and writer of every table doseflow reads or writes: fields separated by commas,
// records by LF or CRLF; a field in double quotes may hold commas, quotes (written "") and line breaks.
#include <istream>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace doseflow::csv {

// A malformed record; `line` is the 1-based line where the problem is.
class ParseError : public std::runtime_error {
public:
    ParseError(int line, const std::string& message) : std::runtime_error(message), line_(line) {}
    int line() const { return line_; }

private:
    int line_;
};

// Reads records one at a time. Blank lines between records are skipped.
class RecordReader {
public:
    explicit RecordReader(std::unique_ptr<std::istream> input);
    static RecordReader from_text(std::string_view text);

    // The next record's fields; false at the end. Throws ParseError on an unterminated quoted field or text
    // after a closing quote.
    bool next(std::vector<std::string>& fields);
    int line() const { return record_line_; }  // 1-based line where the last record read starts

private:
    int get() { return input_->rdbuf()->sbumpc(); }
    int peek() { return input_->rdbuf()->sgetc(); }

    std::unique_ptr<std::istream> input_;
    int next_line_ = 1;
    int record_line_ = 0;
};

// Every record of `text`.
std::vector<std::vector<std::string>> parse(std::string_view text);

// Whether `text` must be written in quotes: it holds a comma, a quote or a line break.
bool needs_quotes(std::string_view text);

// A field as written: in quotes, with quotes doubled, when it needs them.
std::string field(std::string_view text);

// Fields joined into one record, ending in LF.
std::string record(const std::vector<std::string>& fields);

}  // namespace doseflow::csv
