// The process-wide metrics registry: counters, gauges and histograms, each a
// family of series told apart by label values, written out in the Prometheus
// text exposition format (version 0.0.4) by exposition().
//
// Cost on the hot path: a family's series is looked up once per call site
// that has fixed labels (keep the reference: it lives as long as the
// registry), or per call under a shared lock when the labels vary (a rule
// name). Counting itself is one relaxed atomic add on a slot of the calling
// thread's shard, so threads counting the same series do not contend for a
// cache line; a scrape adds the shards up.
//
// Threads: everything is safe from any thread. Registering a name twice
// returns the same family when type, help and labels agree, and throws
// std::logic_error when they do not (a programming error, found by tests).
#ifndef DLPD_HOST_METRICS_METRICS_HPP
#define DLPD_HOST_METRICS_METRICS_HPP

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

namespace dlpd::metrics {

// Slots per series; a thread counts in one of them, chosen when it first counts.
constexpr size_t kShards = 8;
// A family keeps at most this many series; label values beyond it are
// counted in one series whose every label is "other", so that a flood of
// distinct values (an unbounded error text) cannot grow memory or a scrape.
constexpr size_t kMaxSeries = 2000;

namespace detail {
// The calling thread's shard + 1, 0 until it first counts. Initial-exec: the
// libraries are linked into the executable, never dlopen'ed, so reading it
// is one load, not a call.
inline thread_local size_t shard_plus_one __attribute__((tls_model("initial-exec"))) = 0;
size_t assign_shard() noexcept;
}  // namespace detail

// The calling thread's shard, 0 .. kShards-1.
inline size_t shard_index() noexcept {
    const size_t s = detail::shard_plus_one;
    return s != 0 ? s - 1 : detail::assign_shard();
}

class Counter {
public:
    void inc(uint64_t n = 1) noexcept { slots_[shard_index()].value.fetch_add(n, std::memory_order_relaxed); }
    uint64_t value() const noexcept;

private:
    struct alignas(64) Slot {
        std::atomic<uint64_t> value{0};
    };
    std::array<Slot, kShards> slots_;
};

// A value that goes up and down (a queue depth, a revision, a time). Set by
// few writers, so one atomic.
class Gauge {
public:
    void set(double v) noexcept { value_.store(v, std::memory_order_relaxed); }
    void add(double v) noexcept { value_.fetch_add(v, std::memory_order_relaxed); }
    double value() const noexcept { return value_.load(std::memory_order_relaxed); }

private:
    std::atomic<double> value_{0};
};

// Observations counted into buckets by upper bound (le), plus their sum.
class Histogram {
public:
    explicit Histogram(const std::vector<double> &bounds);
    void observe(double v) noexcept;

    struct Snapshot {
        std::vector<uint64_t> cumulative;  // per bound, then +Inf (= the count)
        double sum = 0;
    };
    Snapshot snapshot() const;
    const std::vector<double> &bounds() const { return bounds_; }

private:
    std::vector<double> bounds_;
    size_t stride_;  // atomics per shard: buckets + Inf, rounded up to a cache line
    std::unique_ptr<std::atomic<uint64_t>[]> counts_;
    struct alignas(64) Sum {
        std::atomic<double> value{0};
    };
    std::array<Sum, kShards> sums_;
};

enum class Type { counter, gauge, histogram };

// One metric name: its help, label names, and a series per label values.
template <class Series>
class Family {
public:
    Family(std::string name, std::string help, std::vector<std::string> label_names, std::vector<double> bounds = {})
        : name_(std::move(name)), help_(std::move(help)), labels_(std::move(label_names)), bounds_(std::move(bounds)) {}

    // The series for these label values, one per label name, in order.
    Series &with(std::initializer_list<std::string_view> values);
    Series &with(const std::vector<std::string> &values);
    // The one series of a family without labels.
    Series &only() { return with({}); }

    const std::string &name() const { return name_; }
    const std::string &help() const { return help_; }
    const std::vector<std::string> &label_names() const { return labels_; }
    const std::vector<double> &bounds() const { return bounds_; }

    // Visits every series (label values, series), in order of label values.
    template <class Visit>
    void each(Visit &&visit) const {
        std::shared_lock lock(mutex_);
        for (const auto &[values, series] : series_) visit(values, *series);
    }

private:
    // Label values compared as they are, so that a lookup by string_views
    // needs no key built (and no allocation).
    struct ValuesLess {
        using is_transparent = void;
        template <class A, class B>
        bool operator()(const A &a, const B &b) const {
            return std::lexicographical_compare(
                a.begin(), a.end(), b.begin(), b.end(),
                [](const auto &x, const auto &y) { return std::string_view(x) < std::string_view(y); });
        }
    };
    template <class Values>
    Series &find_or_add(const Values &values);
    Series *make() const;

    std::string name_, help_;
    std::vector<std::string> labels_;
    std::vector<double> bounds_;
    mutable std::shared_mutex mutex_;
    std::map<std::vector<std::string>, std::unique_ptr<Series>, ValuesLess> series_;
};

class Registry {
public:
    Family<Counter> &counter(const std::string &name, const std::string &help,
                             std::vector<std::string> label_names = {});
    Family<Gauge> &gauge(const std::string &name, const std::string &help, std::vector<std::string> label_names = {});
    // bounds: the buckets' upper bounds, ascending (+Inf is added).
    Family<Histogram> &histogram(const std::string &name, const std::string &help, std::vector<double> bounds,
                                 std::vector<std::string> label_names = {});

    // Every family, by name, in the Prometheus text format.
    std::string exposition() const;

private:
    struct Registered {
        Type type;
        std::unique_ptr<Family<Counter>> counter;
        std::unique_ptr<Family<Gauge>> gauge;
        std::unique_ptr<Family<Histogram>> histogram;
    };
    Registered &add(Type type, const std::string &name, const std::string &help,
                    const std::vector<std::string> &label_names, const std::vector<double> &bounds);

    mutable std::mutex mutex_;
    std::map<std::string, Registered> families_;
};

// The process's registry: what `dlpd run` serves on /metrics.
Registry &registry();

// Latency buckets in seconds, from 1 ms to 60 s: acks, Slack calls, actions.
std::vector<double> latency_buckets();

// Text-format pieces, for the writer and its tests.
std::string escape_label_value(std::string_view value);  // \ " and newline
std::string escape_help(std::string_view help);          // \ and newline
std::string format_value(double value);                  // shortest form; +Inf, -Inf, NaN
// A label value made safe to keep: at most 64 bytes of [A-Za-z0-9_.:-],
// anything else "other" (an error code from outside, a method name).
std::string bounded_label(std::string_view value);

}  // namespace dlpd::metrics

#endif
