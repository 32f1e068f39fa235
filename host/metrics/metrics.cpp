#include "metrics/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <type_traits>

namespace dlpd::metrics {

namespace {

bool valid_metric_name(std::string_view name) {
    if (name.empty()) return false;
    for (size_t i = 0; i < name.size(); ++i) {
        const char c = name[i];
        const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
        if (!letter && !(i > 0 && c >= '0' && c <= '9')) return false;
    }
    return true;
}

bool valid_label_name(std::string_view name) {
    if (name.empty() || name.starts_with("__")) return false;
    for (size_t i = 0; i < name.size(); ++i) {
        const char c = name[i];
        const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
        if (!letter && !(i > 0 && c >= '0' && c <= '9')) return false;
    }
    return true;
}

}  // namespace

size_t detail::assign_shard() noexcept {
    static std::atomic<size_t> next{0};
    const size_t index = next.fetch_add(1, std::memory_order_relaxed) % kShards;
    shard_plus_one = index + 1;
    return index;
}

uint64_t Counter::value() const noexcept {
    uint64_t total = 0;
    for (const auto &s : slots_) total += s.value.load(std::memory_order_relaxed);
    return total;
}

Histogram::Histogram(const std::vector<double> &bounds)
    : bounds_(bounds),
      stride_((bounds.size() + 1 + 7) / 8 * 8),
      counts_(std::make_unique<std::atomic<uint64_t>[]>(stride_ * kShards)) {}

void Histogram::observe(double v) noexcept {
    // The first bucket whose bound is >= v (le is inclusive); past the last, +Inf.
    const size_t bucket = static_cast<size_t>(std::lower_bound(bounds_.begin(), bounds_.end(), v) - bounds_.begin());
    const size_t shard = shard_index();
    counts_[shard * stride_ + bucket].fetch_add(1, std::memory_order_relaxed);
    sums_[shard].value.fetch_add(v, std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::snapshot() const {
    Snapshot s;
    s.cumulative.assign(bounds_.size() + 1, 0);
    for (size_t shard = 0; shard < kShards; ++shard) {
        for (size_t b = 0; b <= bounds_.size(); ++b)
            s.cumulative[b] += counts_[shard * stride_ + b].load(std::memory_order_relaxed);
        s.sum += sums_[shard].value.load(std::memory_order_relaxed);
    }
    // Buckets hold their own counts; the format wants each to include the
    // ones below it, and +Inf to be the count.
    for (size_t b = 1; b < s.cumulative.size(); ++b) s.cumulative[b] += s.cumulative[b - 1];
    return s;
}

template <class Series>
Series *Family<Series>::make() const {
    if constexpr (std::is_same_v<Series, Histogram>)
        return new Histogram(bounds_);
    else
        return new Series();
}

template <class Series>
template <class Values>
Series &Family<Series>::find_or_add(const Values &values) {
    if (values.size() != labels_.size())
        throw std::logic_error("metric " + name_ + " takes " + std::to_string(labels_.size()) +
                               " label value(s), not " + std::to_string(values.size()));
    {
        // The common case, a series that exists: a shared lock, no copy.
        std::shared_lock lock(mutex_);
        if (auto it = series_.find(values); it != series_.end()) return *it->second;
    }
    std::vector<std::string> key(values.begin(), values.end());
    std::unique_lock lock(mutex_);
    if (auto it = series_.find(key); it != series_.end()) return *it->second;
    if (series_.size() >= kMaxSeries) {
        key.assign(labels_.size(), "other");
        if (auto it = series_.find(key); it != series_.end()) return *it->second;
    }
    auto &series = series_[std::move(key)];
    series.reset(make());
    return *series;
}

template <class Series>
Series &Family<Series>::with(std::initializer_list<std::string_view> values) {
    return find_or_add(values);
}

template <class Series>
Series &Family<Series>::with(const std::vector<std::string> &values) {
    return find_or_add(values);
}

template class Family<Counter>;
template class Family<Gauge>;
template class Family<Histogram>;

Registry::Registered &Registry::add(Type type, const std::string &name, const std::string &help,
                                    const std::vector<std::string> &label_names, const std::vector<double> &bounds) {
    if (!valid_metric_name(name)) throw std::logic_error("'" + name + "' is not a valid metric name");
    for (const auto &l : label_names)
        if (!valid_label_name(l) || (type == Type::histogram && l == "le"))
            throw std::logic_error("metric " + name + ": '" + l + "' is not a valid label name");
    if (type == Type::histogram &&
        (bounds.empty() || !std::is_sorted(bounds.begin(), bounds.end()) ||
         std::adjacent_find(bounds.begin(), bounds.end()) != bounds.end() || !std::isfinite(bounds.back())))
        throw std::logic_error("metric " + name + ": bucket bounds must be finite and strictly ascending");
    std::lock_guard lock(mutex_);
    if (auto it = families_.find(name); it != families_.end()) {
        const Registered &r = it->second;
        const auto same = [&](const auto &family) {
            return family && family->help() == help && family->label_names() == label_names &&
                   family->bounds() == bounds;
        };
        if (r.type == type && (same(r.counter) || same(r.gauge) || same(r.histogram))) return it->second;
        throw std::logic_error("metric " + name + " is registered twice, differently");
    }
    Registered &r = families_[name];
    r.type = type;
    switch (type) {
        case Type::counter:
            r.counter = std::make_unique<Family<Counter>>(name, help, label_names);
            break;
        case Type::gauge:
            r.gauge = std::make_unique<Family<Gauge>>(name, help, label_names);
            break;
        case Type::histogram:
            r.histogram = std::make_unique<Family<Histogram>>(name, help, label_names, bounds);
            break;
    }
    return r;
}

Family<Counter> &Registry::counter(const std::string &name, const std::string &help,
                                   std::vector<std::string> label_names) {
    return *add(Type::counter, name, help, label_names, {}).counter;
}

Family<Gauge> &Registry::gauge(const std::string &name, const std::string &help, std::vector<std::string> label_names) {
    return *add(Type::gauge, name, help, label_names, {}).gauge;
}

Family<Histogram> &Registry::histogram(const std::string &name, const std::string &help, std::vector<double> bounds,
                                       std::vector<std::string> label_names) {
    return *add(Type::histogram, name, help, label_names, bounds).histogram;
}

Registry &registry() {
    static Registry *r = new Registry;  // never destroyed: threads may count during exit
    return *r;
}

std::vector<double> latency_buckets() {
    return {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
}

std::string bounded_label(std::string_view value) {
    if (value.empty() || value.size() > 64) return "other";
    for (char c : value) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                        c == '.' || c == ':' || c == '-';
        if (!ok) return "other";
    }
    return std::string(value);
}

}  // namespace dlpd::metrics
