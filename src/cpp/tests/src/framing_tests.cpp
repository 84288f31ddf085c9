// Content-Length framing fed from raw bytes, no processes (as pylsp test_streams.py does).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <memory>

#include "wire/content_length.hpp"

using zbserve::wire::ContentLengthReader;
using Status = ContentLengthReader::Status;

namespace {

// Serves input in chunks of at most chunk bytes (1 = worst case partial reads).
ContentLengthReader reader_over(std::string input, std::size_t chunk = 1 << 20, std::size_t max_body = 1 << 26) {
    auto data = std::make_shared<std::string>(std::move(input));
    auto pos = std::make_shared<std::size_t>(0);
    return ContentLengthReader(
        [data, pos, chunk](char* buf, std::size_t n) -> std::ptrdiff_t {
            std::size_t take = std::min({n, chunk, data->size() - *pos});
            std::memcpy(buf, data->data() + *pos, take);
            *pos += take;
            return static_cast<std::ptrdiff_t>(take);
        },
        max_body);
}

std::string frame(const std::string& body) { return zbserve::wire::encode_frame(body); }

}  // namespace

TEST(Framing, EncodesByteExact) {
    EXPECT_EQ(frame("{}"), "Content-Length: 2\r\n\r\n{}");
    EXPECT_EQ(frame(""), "Content-Length: 0\r\n\r\n");
}

TEST(Framing, ReadsOneMessage) {
    auto r = reader_over(frame(R"({"a":1})"));
    auto m = r.next();
    ASSERT_EQ(m.status, Status::Message);
    EXPECT_EQ(m.body, R"({"a":1})");
    EXPECT_EQ(r.next().status, Status::End);
}

TEST(Framing, PartialReadsOneByteAtATime) {
    auto r = reader_over(frame("hello world") + frame("second"), 1);
    EXPECT_EQ(r.next().body, "hello world");
    EXPECT_EQ(r.next().body, "second");
    auto end = r.next();
    EXPECT_EQ(end.status, Status::End);
    EXPECT_TRUE(end.problem.empty());
}

TEST(Framing, MultipleMessagesInOneChunk) {
    std::string all;
    for (int i = 0; i < 50; ++i) all += frame("m" + std::to_string(i));
    auto r = reader_over(all);
    for (int i = 0; i < 50; ++i) EXPECT_EQ(r.next().body, "m" + std::to_string(i));
    EXPECT_EQ(r.next().status, Status::End);
}

TEST(Framing, LengthCountsUtf8Bytes) {
    std::string body = "{\"t\":\"h\xC3\xA9llo \xE2\x82\xAC \xF0\x9F\x98\x80\"}";
    auto r = reader_over("Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body + frame("x"), 3);
    EXPECT_EQ(r.next().body, body);
    EXPECT_EQ(r.next().body, "x");
}

TEST(Framing, OtherHeadersIgnoredAndNamesCaseInsensitive) {
    auto r = reader_over("Content-Type: application/vscode-jsonrpc; charset=utf-8\r\ncontent-LENGTH:  3 \r\n\r\nabc");
    auto m = r.next();
    ASSERT_EQ(m.status, Status::Message);
    EXPECT_EQ(m.body, "abc");
}

TEST(Framing, BareNewlinesAreAccepted) {
    auto r = reader_over("Content-Length: 2\n\nok");
    EXPECT_EQ(r.next().body, "ok");
}

TEST(Framing, BodyMayContainHeaderLikeText) {
    std::string body = "Content-Length: 99\r\n\r\n";
    auto r = reader_over(frame(body) + frame("after"));
    EXPECT_EQ(r.next().body, body);
    EXPECT_EQ(r.next().body, "after");
}

struct BadHeaderCase {
    const char* name;
    std::string input;
    const char* problem_contains;
};

class FramingBadHeader : public ::testing::TestWithParam<BadHeaderCase> {};

TEST_P(FramingBadHeader, ReportsThenResynchronises) {
    const auto& c = GetParam();
    auto r = reader_over(c.input + frame("good"), 2, 1000);
    auto bad = r.next();
    ASSERT_EQ(bad.status, Status::BadHeader) << c.name;
    EXPECT_NE(bad.problem.find(c.problem_contains), std::string::npos) << bad.problem;
    auto good = r.next();
    ASSERT_EQ(good.status, Status::Message) << c.name << ": " << good.problem;
    EXPECT_EQ(good.body, "good");
    EXPECT_EQ(r.next().status, Status::End);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, FramingBadHeader,
    ::testing::Values(BadHeaderCase{"missing", "Content-Type: x\r\n\r\n{\"a\":1}", "without Content-Length"},
                      BadHeaderCase{"negative", "Content-Length: -5\r\n\r\n{}", "not a non-negative integer"},
                      BadHeaderCase{"text", "Content-Length: abc\r\n\r\n{}", "not a non-negative integer"},
                      BadHeaderCase{"empty", "Content-Length:\r\n\r\n", "not a non-negative integer"},
                      BadHeaderCase{"too-big", "Content-Length: 5000\r\n\r\n{}", "exceeds the limit"},
                      BadHeaderCase{"huge", "Content-Length: 99999999999999999999\r\n\r\n", "not a non-negative"},
                      BadHeaderCase{"garbage", "this is not a header\r\n\r\n", "malformed header"}),
    [](const auto& param_info) { std::string n = param_info.param.name; n.erase(std::remove(n.begin(), n.end(), '-'), n.end()); return n; });

TEST(Framing, RealLimitIs64MiB) {
    auto r = reader_over("Content-Length: 67108865\r\n\r\n");
    EXPECT_EQ(r.next().status, Status::BadHeader);
    EXPECT_EQ(zbserve::wire::MAX_BODY_BYTES, 64u * 1024u * 1024u);
}

TEST(Framing, OverlongHeaderLineIsRejected) {
    auto r = reader_over(std::string(20000, 'x') + "\r\n\r\n" + frame("ok"), 4096);
    EXPECT_EQ(r.next().status, Status::BadHeader);
    EXPECT_EQ(r.next().body, "ok");
}

TEST(Framing, TruncatedBodyEndsWithAProblem) {
    auto r = reader_over("Content-Length: 10\r\n\r\nabc");
    auto m = r.next();
    EXPECT_EQ(m.status, Status::End);
    EXPECT_NE(m.problem.find("3 of 10"), std::string::npos) << m.problem;
}

TEST(Framing, LeadingBlankLinesAreSkipped) {
    auto r = reader_over("\r\n\r\n" + frame("x"));
    EXPECT_EQ(r.next().body, "x");
}
