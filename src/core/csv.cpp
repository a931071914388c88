#include "core/csv.hpp"

#include <sstream>

namespace doseflow::csv {

RecordReader::RecordReader(std::unique_ptr<std::istream> input) : input_(std::move(input)) {}

RecordReader RecordReader::from_text(std::string_view text) {
    return RecordReader(std::make_unique<std::istringstream>(std::string(text)));
}

bool RecordReader::next(std::vector<std::string>& fields) {
    fields.clear();
    constexpr int end = std::char_traits<char>::eof();
    int c = get();
    while (c == '\n' || c == '\r') {  // blank lines
        if (c == '\n') ++next_line_;
        c = get();
    }
    if (c == end) return false;
    record_line_ = next_line_;
    std::string field;
    while (true) {
        if (c == '"' && field.empty()) {
            const int opened_on = next_line_;
            while (true) {
                c = get();
                if (c == end) throw ParseError(opened_on, "unterminated quoted field");
                if (c == '"') {
                    if (peek() != '"') break;
                    get();
                }
                if (c == '\n') ++next_line_;
                field += static_cast<char>(c);
            }
            c = get();
            if (c != ',' && c != '\n' && c != '\r' && c != end)
                throw ParseError(next_line_, "text after the closing quote of a field; write a quote inside a "
                                             "quoted field as \"\"");
            continue;
        }
        if (c == ',') {
            fields.push_back(std::move(field));
            field.clear();
        } else if (c == '\r' && peek() == '\n') {
            // CRLF: the LF ends the record
        } else if (c == '\n' || c == end) {
            if (c == '\n') ++next_line_;
            fields.push_back(std::move(field));
            return true;
        } else {
            field += static_cast<char>(c);
        }
        c = get();
    }
}

std::vector<std::vector<std::string>> parse(std::string_view text) {
    auto reader = RecordReader::from_text(text);
    std::vector<std::vector<std::string>> records;
    std::vector<std::string> fields;
    while (reader.next(fields)) records.push_back(fields);
    return records;
}

bool needs_quotes(std::string_view text) { return text.find_first_of(",\"\n\r") != std::string_view::npos; }

std::string field(std::string_view text) {
    if (!needs_quotes(text)) return std::string(text);
    std::string quoted = "\"";
    for (char c : text) {
        if (c == '"') quoted += '"';
        quoted += c;
    }
    return quoted + "\"";
}

std::string record(const std::vector<std::string>& fields) {
    std::string out;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i) out += ',';
        out += field(fields[i]);
    }
    return out + '\n';
}

}  // namespace doseflow::csv
