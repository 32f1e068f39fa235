// log.format json: one object per line, valid JSON whatever bytes a message
// carries, and the level and format set for the whole process.
#include <catch2/catch.hpp>

#include "log.hpp"
#include "runtime/engine_setup.hpp"
#include "test_support.hpp"

using namespace dlpd;
using namespace std::chrono;

namespace {

const system_clock::time_point kTime =
    sys_days{year{2026} / 12 / 2} + hours{15} + minutes{29} + seconds{5} + milliseconds{7};

}  // namespace

TEST_CASE("a json log line has time in RFC 3339 UTC with milliseconds, level, component, message and fields", "[log]") {
    CHECK(
        json_log_line(kTime, LogLevel::warning, "slack", "connection 1: live", {{"connection", "1"}}) ==
        R"({"time":"2026-12-02T15:29:05.007Z","level":"warning","component":"slack","message":"connection 1: live","connection":"1"})"
        "\n");
    // A field never takes the place of one of the four.
    CHECK(
        json_log_line(kTime, LogLevel::info, "c", "m", {{"message", "x"}, {"level", "y"}}) ==
        R"({"time":"2026-12-02T15:29:05.007Z","level":"info","component":"c","message":"m","field_message":"x","field_level":"y"})"
        "\n");
    // Before 1970 the milliseconds still count up within the second.
    CHECK(json_log_line(system_clock::time_point{} - milliseconds{1}, LogLevel::debug, "c", "m")
              .rfind(R"({"time":"1969-12-31T23:59:59.999Z","level":"debug")", 0) == 0);
}

TEST_CASE("a json log line stays valid JSON whatever bytes the message and fields carry", "[log]") {
    const auto message_of = [](std::string_view text) {
        const std::string line = json_log_line(kTime, LogLevel::info, "c", text);
        const std::string start = R"("message":")";
        const size_t at = line.find(start) + start.size();
        return line.substr(at, line.size() - at - 3);  // up to "}\n
    };
    CHECK(message_of("a \"quoted\" back\\slash") == R"(a \"quoted\" back\\slash)");
    CHECK(message_of("two\nlines\r\tand a bell\a, an escape \x1b and DEL \x7f") ==
          R"(two\nlines\r\tand a bell\u0007, an escape \u001b and DEL \u007f)");
    CHECK(message_of(std::string("a NUL \0 inside", 14)) == R"(a NUL \u0000 inside)");
    // Valid UTF-8 passes as it is; U+2028/U+2029 are escaped (they end a line in JavaScript).
    CHECK(message_of("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80") == "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
    CHECK(message_of("a\xe2\x80\xa8"
                     "b\xe2\x80\xa9") == R"(a\u2028b\u2029)");
    // Invalid UTF-8 becomes U+FFFD, one per byte that starts no valid sequence.
    CHECK(message_of("lone \xff byte") == R"(lone \ufffd byte)");
    CHECK(message_of("cut \xe2\x82") == R"(cut \ufffd\ufffd)");
    CHECK(message_of("overlong \xc0\xaf and \xe0\x80\xaf") == R"(overlong \ufffd\ufffd and \ufffd\ufffd\ufffd)");
    CHECK(message_of("surrogate \xed\xa0\x80") == R"(surrogate \ufffd\ufffd\ufffd)");
    CHECK(message_of("past U+10FFFF \xf4\x90\x80\x80") == R"(past U+10FFFF \ufffd\ufffd\ufffd\ufffd)");
    CHECK(message_of("continuation \x80 alone") == R"(continuation \ufffd alone)");
    // Fields and the component are escaped the same way.
    CHECK(
        json_log_line(kTime, LogLevel::info, "plugin \"x\xff\"", "m", {{"file\n", "a\x01"}}) ==
        R"({"time":"2026-12-02T15:29:05.007Z","level":"info","component":"plugin \"x\ufffd\"","message":"m","file\n":"a\u0001"})"
        "\n");
}

TEST_CASE("the configuration's log format applies to the process, and text stays the default", "[log][config]") {
    CHECK(log_format() == LogFormat::text);
    test::TempDir tmp;
    load_command_config(tmp.write("json.yaml", "log:\n  format: json\n"));
    CHECK(log_format() == LogFormat::json);
    load_command_config(tmp.write("text.yaml", "log:\n  level: info\n"));
    CHECK(log_format() == LogFormat::text);
    CHECK_THROWS_WITH(load_command_config(tmp.write("bad.yaml", "log:\n  format: xml\n")),
                      Catch::Contains("bad.yaml:2: key 'log.format': must be one of text, json, not 'xml'"));
}
