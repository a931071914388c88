#include <gtest/gtest.h>

#include "core/csv.hpp"

using namespace doseflow;

namespace {
using Records = std::vector<std::vector<std::string>>;
}

TEST(Csv, ReadsQuotesEmbeddedLineBreaksAndCrlf) {
    const Records expected = {{"a", "b", "c"}, {"1", "x,y", "say \"hi\""}, {"2", "two\nlines", ""}, {"3", "", "z"}};
    EXPECT_EQ(csv::parse("a,b,c\n1,\"x,y\",\"say \"\"hi\"\"\"\n2,\"two\nlines\",\n3,,z\n"), expected);
    EXPECT_EQ(csv::parse("a,b,c\r\n1,\"x,y\",\"say \"\"hi\"\"\"\r\n2,\"two\nlines\",\r\n3,,z"), expected);
    EXPECT_EQ(csv::parse("a\n\n\nb\r\n\r\n"), (Records{{"a"}, {"b"}}));  // blank lines skipped
    EXPECT_TRUE(csv::parse("").empty());
}

TEST(Csv, CountsLinesAcrossQuotedLineBreaks) {
    auto reader = csv::RecordReader::from_text("h\n\"one\ntwo\nthree\"\nnext\n");
    std::vector<std::string> fields;
    ASSERT_TRUE(reader.next(fields));
    EXPECT_EQ(reader.line(), 1);
    ASSERT_TRUE(reader.next(fields));
    EXPECT_EQ(reader.line(), 2);
    EXPECT_EQ(fields, std::vector<std::string>{"one\ntwo\nthree"});
    ASSERT_TRUE(reader.next(fields));
    EXPECT_EQ(reader.line(), 5);
    EXPECT_FALSE(reader.next(fields));
}

TEST(Csv, MalformedQuotesAreErrorsWithTheirLine) {
    try {
        csv::parse("a\nb\n\"open\nstill open");
        FAIL() << "an unterminated quote was accepted";
    } catch (const csv::ParseError& error) {
        EXPECT_EQ(error.line(), 3);
    }
    EXPECT_THROW(csv::parse("\"closed\"then text\n"), csv::ParseError);
}

TEST(Csv, WritesWhatItReadsBack) {
    const std::vector<std::string> fields = {"plain", "with,comma", "with \"quote\"", "two\nlines", "cr\r", ""};
    const std::string text = csv::record(fields);
    EXPECT_EQ(text, "plain,\"with,comma\",\"with \"\"quote\"\"\",\"two\nlines\",\"cr\r\",\n");
    EXPECT_EQ(csv::parse(text), Records{fields});
    EXPECT_EQ(csv::field("as is"), "as is");
}
