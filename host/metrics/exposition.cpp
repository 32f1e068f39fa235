// The Prometheus text exposition format, version 0.0.4
// (https://prometheus.io/docs/instrumenting/exposition_formats/): per family
// a HELP and a TYPE line, then one line per series; a histogram's series are
// NAME_bucket{…,le="B"} (cumulative, ending with le="+Inf"), NAME_sum and
// NAME_count.
#include <charconv>
#include <cmath>

#include "metrics/metrics.hpp"

namespace dlpd::metrics {

std::string escape_label_value(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    for (char c : value) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

std::string escape_help(std::string_view help) {
    std::string out;
    out.reserve(help.size());
    for (char c : help) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

std::string format_value(double value) {
    if (std::isnan(value)) return "NaN";
    if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
    char buffer[64];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    return ec == std::errc() ? std::string(buffer, end) : "NaN";
}

namespace {

const char *type_name(Type type) {
    switch (type) {
        case Type::counter:
            return "counter";
        case Type::gauge:
            return "gauge";
        case Type::histogram:
            return "histogram";
    }
    return "untyped";
}

// {a="x",b="y"} with an extra pair at the end (le), or nothing at all.
std::string label_set(const std::vector<std::string> &names, const std::vector<std::string> &values,
                      std::string_view extra_name = {}, std::string_view extra_value = {}) {
    if (names.empty() && extra_name.empty()) return {};
    std::string out = "{";
    for (size_t i = 0; i < names.size(); ++i) {
        if (i) out += ',';
        out += names[i] + "=\"" + escape_label_value(values[i]) + "\"";
    }
    if (!extra_name.empty()) {
        if (!names.empty()) out += ',';
        out += std::string(extra_name) + "=\"" + escape_label_value(extra_value) + "\"";
    }
    return out + "}";
}

template <class F>
void header(std::string &out, const F &family, Type type) {
    out += "# HELP " + family.name() + " " + escape_help(family.help()) + "\n";
    out += "# TYPE " + family.name() + " " + type_name(type) + "\n";
}

}  // namespace

std::string Registry::exposition() const {
    std::string out;
    std::lock_guard lock(mutex_);
    for (const auto &family : families_) {
        const std::string &name = family.first;
        const Registered &r = family.second;
        switch (r.type) {
            case Type::counter:
                header(out, *r.counter, r.type);
                r.counter->each([&](const std::vector<std::string> &values, const Counter &c) {
                    out += name + label_set(r.counter->label_names(), values) + " " + std::to_string(c.value()) + "\n";
                });
                break;
            case Type::gauge:
                header(out, *r.gauge, r.type);
                r.gauge->each([&](const std::vector<std::string> &values, const Gauge &g) {
                    out += name + label_set(r.gauge->label_names(), values) + " " + format_value(g.value()) + "\n";
                });
                break;
            case Type::histogram: {
                header(out, *r.histogram, r.type);
                const auto &labels = r.histogram->label_names();
                const auto &bounds = r.histogram->bounds();
                r.histogram->each([&](const std::vector<std::string> &values, const Histogram &h) {
                    const Histogram::Snapshot s = h.snapshot();
                    for (size_t b = 0; b < bounds.size(); ++b)
                        out += name + "_bucket" + label_set(labels, values, "le", format_value(bounds[b])) + " " +
                               std::to_string(s.cumulative[b]) + "\n";
                    out += name + "_bucket" + label_set(labels, values, "le", "+Inf") + " " +
                           std::to_string(s.cumulative.back()) + "\n";
                    out += name + "_sum" + label_set(labels, values) + " " + format_value(s.sum) + "\n";
                    out +=
                        name + "_count" + label_set(labels, values) + " " + std::to_string(s.cumulative.back()) + "\n";
                });
                break;
            }
        }
    }
    return out;
}

}  // namespace dlpd::metrics
