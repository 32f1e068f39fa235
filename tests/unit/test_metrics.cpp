// The metrics registry and its Prometheus text format (host/metrics): HELP
// and TYPE lines, label and help escaping, cumulative histogram buckets with
// +Inf, _sum and _count, the cap on series, counting from many threads, and
// promtool's own check of what is written.
#include <catch2/catch.hpp>

#include <limits>
#include <thread>
#include <vector>

#include "metrics/metrics.hpp"
#include "test_support.hpp"

using namespace dlpd;
using namespace dlpd::metrics;

TEST_CASE("the text format escapes label values and help, and writes each family with HELP and TYPE", "[metrics]") {
    Registry r;
    auto &c = r.counter("dlpd_test_events_total", "Events\nby \\ kind", {"kind", "path"});
    c.with({"a\"b", "C:\\x\ny"}).inc(3);
    c.with({"plain", ""}).inc();
    r.gauge("dlpd_test_depth", "A depth").only().set(2.5);
    r.gauge("dlpd_test_negative", "Below zero").only().set(-1);

    CHECK(r.exposition() ==
          "# HELP dlpd_test_depth A depth\n"
          "# TYPE dlpd_test_depth gauge\n"
          "dlpd_test_depth 2.5\n"
          "# HELP dlpd_test_events_total Events\\nby \\\\ kind\n"
          "# TYPE dlpd_test_events_total counter\n"
          "dlpd_test_events_total{kind=\"a\\\"b\",path=\"C:\\\\x\\ny\"} 3\n"
          "dlpd_test_events_total{kind=\"plain\",path=\"\"} 1\n"
          "# HELP dlpd_test_negative Below zero\n"
          "# TYPE dlpd_test_negative gauge\n"
          "dlpd_test_negative -1\n");
    CHECK(escape_label_value("\\\"\n") == "\\\\\\\"\\n");
    CHECK(escape_help("a\"b") == "a\"b");  // quotes stay in help
    CHECK(format_value(std::numeric_limits<double>::infinity()) == "+Inf");
    CHECK(format_value(-std::numeric_limits<double>::infinity()) == "-Inf");
    CHECK(format_value(std::numeric_limits<double>::quiet_NaN()) == "NaN");
    CHECK(format_value(0.005) == "0.005");
    CHECK(format_value(1e-9) == "1e-09");
}

TEST_CASE("a histogram writes cumulative buckets ending in +Inf, and its sum and count", "[metrics]") {
    Registry r;
    auto &h = r.histogram("dlpd_test_latency_seconds", "Latency", {0.25, 0.5, 1}, {"transport"});
    auto &socket = h.with({"socket"});
    for (double v : {0.125, 0.25, 0.375, 100.0}) socket.observe(v);  // 0.25 is in le="0.25": bounds are inclusive
    h.with({"http"});                                                // a series that saw nothing is all zeros

    CHECK(r.exposition() ==
          "# HELP dlpd_test_latency_seconds Latency\n"
          "# TYPE dlpd_test_latency_seconds histogram\n"
          "dlpd_test_latency_seconds_bucket{transport=\"http\",le=\"0.25\"} 0\n"
          "dlpd_test_latency_seconds_bucket{transport=\"http\",le=\"0.5\"} 0\n"
          "dlpd_test_latency_seconds_bucket{transport=\"http\",le=\"1\"} 0\n"
          "dlpd_test_latency_seconds_bucket{transport=\"http\",le=\"+Inf\"} 0\n"
          "dlpd_test_latency_seconds_sum{transport=\"http\"} 0\n"
          "dlpd_test_latency_seconds_count{transport=\"http\"} 0\n"
          "dlpd_test_latency_seconds_bucket{transport=\"socket\",le=\"0.25\"} 2\n"
          "dlpd_test_latency_seconds_bucket{transport=\"socket\",le=\"0.5\"} 3\n"
          "dlpd_test_latency_seconds_bucket{transport=\"socket\",le=\"1\"} 3\n"
          "dlpd_test_latency_seconds_bucket{transport=\"socket\",le=\"+Inf\"} 4\n"
          "dlpd_test_latency_seconds_sum{transport=\"socket\"} 100.75\n"
          "dlpd_test_latency_seconds_count{transport=\"socket\"} 4\n");

    Registry unlabelled;
    unlabelled.histogram("dlpd_test_seconds", "Seconds", {1}).only().observe(2);
    CHECK(unlabelled.exposition().find("dlpd_test_seconds_bucket{le=\"+Inf\"} 1\ndlpd_test_seconds_sum 2\n"
                                       "dlpd_test_seconds_count 1\n") != std::string::npos);
}

TEST_CASE("counts from many threads all arrive, across the shards", "[metrics]") {
    Registry r;
    auto &c = r.counter("dlpd_test_total", "Test").only();
    auto &h = r.histogram("dlpd_test_seconds", "Test", latency_buckets()).only();
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < 20000; ++i) {
                c.inc();
                h.observe(0.002);
            }
        });
    for (auto &t : threads) t.join();
    CHECK(c.value() == 160000);
    CHECK(h.snapshot().cumulative.back() == 160000);
    CHECK(h.snapshot().cumulative.front() == 0);  // 0.002 > 0.001
}

TEST_CASE("registration checks names, and a name means one metric", "[metrics]") {
    Registry r;
    auto &a = r.counter("dlpd_x_total", "X", {"kind"});
    CHECK(&r.counter("dlpd_x_total", "X", {"kind"}) == &a);
    CHECK_THROWS_AS(r.counter("dlpd_x_total", "X", {"other"}), std::logic_error);
    CHECK_THROWS_AS(r.gauge("dlpd_x_total", "X", {"kind"}), std::logic_error);
    CHECK_THROWS_AS(r.counter("9lives_total", "X"), std::logic_error);
    CHECK_THROWS_AS(r.counter("dlpd-x_total", "X"), std::logic_error);
    CHECK_THROWS_AS(r.counter("dlpd_y_total", "Y", {"__reserved"}), std::logic_error);
    CHECK_THROWS_AS(r.histogram("dlpd_h_seconds", "H", {1}, {"le"}), std::logic_error);
    CHECK_THROWS_AS(r.histogram("dlpd_h_seconds", "H", {2, 1}), std::logic_error);
    CHECK_THROWS_AS(a.with({"one", "two"}), std::logic_error);
}

TEST_CASE("a family keeps a bounded number of series; past it, values count as other", "[metrics]") {
    Registry r;
    auto &c = r.counter("dlpd_codes_total", "Codes", {"code"});
    for (size_t i = 0; i < kMaxSeries + 50; ++i) c.with({"code" + std::to_string(i)}).inc();
    size_t series = 0;
    uint64_t other = 0;
    c.each([&](const std::vector<std::string> &values, const Counter &counter) {
        ++series;
        if (values[0] == "other") other = counter.value();
    });
    CHECK(series == kMaxSeries + 1);
    CHECK(other == 50);
    CHECK(bounded_label("chat.postMessage") == "chat.postMessage");
    CHECK(bounded_label("not a code") == "other");
    CHECK(bounded_label(std::string(65, 'a')) == "other");
    CHECK(bounded_label("") == "other");
}

TEST_CASE("promtool accepts what the registry writes, escapes and all", "[metrics]") {
    Registry r;
    r.counter("dlpd_test_calls_total", "Calls by method\nand \"result\"", {"method", "result"})
        .with({"chat.delete", "a \"quoted\"\\ value\nover lines"})
        .inc(7);
    r.gauge("dlpd_test_state", "State", {"state"}).with({"connected"}).set(1);
    auto &h = r.histogram("dlpd_test_latency_seconds", "Latency", latency_buckets(), {"transport"});
    h.with({"socket"}).observe(0.004);
    h.with({"http"}).observe(75);
    const std::string text = r.exposition();
    const auto checked = test::run("promtool check metrics", text);
    INFO(text);
    INFO(checked.out + checked.err);
    CHECK(checked.exit_code == 0);
    CHECK(checked.out + checked.err == "");
}
