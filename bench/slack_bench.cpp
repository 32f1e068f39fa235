// slack_bench: dlpd's Slack path measured through the Slack double on
// loopback, against the protocol's own floor in the same run.
//
//   floor      a minimal Socket Mode client that acknowledges every envelope
//              the moment it arrives: no store, no scan. What the double and
//              loopback cost by themselves.
//   dlpd       the real SlackService (SQLite store in a temporary folder,
//              the build's plugins, the starter pack config/patterns.yaml
//              with its includes, plus N synthetic rules: --sizes 0 is the
//              starter pack alone), one worker.
//
// For each rule-set size it reports, from the double's own timestamps:
//   ack        envelope sent → ack received (p50, p99), messages sent one at a time
//   delete     envelope sent → chat.delete received, text messages with a card number
//   sustained  events per second while 5,000 events are pushed at once
//              (2 % with a secret), until every one is recorded and finished,
//              with every thread (the double's too) on one CPU
// The latency series run on --cpus CPUs (default 2: the machine's two
// cores, shared by the double and dlpd).
//
//   slack_bench --rules-dir DIR [--sizes 0,100,1000] [--messages N] [--burst N] [--cpus N (default 2)]
#include <fcntl.h>
#include <sched.h>
#include <unistd.h>
#include <sys/socket.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <condition_variable>
#include <limits>
#include <mutex>
#include <thread>

#include "config/config.hpp"
#include "runtime/engine_setup.hpp"
#include "log.hpp"
#include "engine/rule_pack.hpp"
#include "slack/slack_metrics.hpp"
#include "slack/slack_service.hpp"
#include "slack/web_api.hpp"
#include "slack_double.hpp"
#include "store/store.hpp"

#ifndef DLPD_SOURCE_DIR
#define DLPD_SOURCE_DIR "."
#endif
#ifndef DLPD_PLUGIN_DIR
#define DLPD_PLUGIN_DIR "lib/dlpd/plugins"
#endif

namespace {

using namespace std::chrono;
using dlpd::test::SlackDouble;

const std::string kCard = "4539 1488 0343 6467";

struct Percentiles {
    double p50 = 0, p99 = 0, max = 0;
    size_t n = 0;
};

Percentiles percentiles(std::vector<double> v) {
    Percentiles p;
    if (v.empty()) return p;
    std::sort(v.begin(), v.end());
    p.n = v.size();
    p.p50 = v[v.size() / 2];
    p.p99 = v[std::min(v.size() - 1, static_cast<size_t>(v.size() * 0.99))];
    p.max = v.back();
    return p;
}

// Threads inherit the affinity of the thread that creates them: pin the
// main thread, then create the double and dlpd.
bool pin_to(int cpus) {
    cpu_set_t set;
    CPU_ZERO(&set);
    for (int c = 0; c < cpus; ++c) CPU_SET(c, &set);
    return sched_setaffinity(0, sizeof set, &set) == 0;
}

double ms(steady_clock::duration d) { return duration<double, std::milli>(d).count(); }

std::string ts_of(int i) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "1700%06d.%06d", i / 1000000, i % 1000000);
    return buf;
}

// A Socket Mode client that acks on arrival and does nothing else.
class FloorClient {
public:
    explicit FloorClient(SlackDouble &slack) {
        dlpd::slack::WebApiOptions o;
        o.api_url = slack.api_url();
        o.app_token = slack.options().app_token;
        dlpd::slack::WebApi api(o);
        auto r = api.call("apps.connections.open", "{}", dlpd::slack::Token::app);
        if (!r.ok) throw std::runtime_error("apps.connections.open: " + r.error);
        url_ = r.string_field("url");
        thread_ = std::thread([this] { run(); });
    }
    ~FloorClient() {
        stop_ = true;
        // Unblocks the synchronous read.
        if (const int fd = fd_.load(); fd >= 0) ::shutdown(fd, SHUT_RDWR);
        thread_.join();
    }

private:
    void run() {
        namespace beast = boost::beast;
        namespace ws = beast::websocket;
        using tcp = boost::asio::ip::tcp;
        const auto rest = url_.substr(5);  // ws://
        const auto slash = rest.find('/');
        const auto hostport = rest.substr(0, slash);
        const auto colon = hostport.find(':');
        tcp::resolver resolver(ioc_);
        ws::stream<tcp::socket> stream(ioc_);
        boost::asio::connect(stream.next_layer(), resolver.resolve(hostport.substr(0, colon), hostport.substr(colon + 1)));
        stream.next_layer().set_option(tcp::no_delay(true));
        fd_ = stream.next_layer().native_handle();
        stream.handshake(hostport, rest.substr(slash));
        beast::flat_buffer buffer;
        while (!stop_) {
            beast::error_code ec;
            stream.read(buffer, ec);
            if (ec) return;
            const std::string text = beast::buffers_to_string(buffer.data());
            buffer.consume(buffer.size());
            const auto at = text.find("\"envelope_id\":\"");
            if (at == std::string::npos) continue;
            const auto end = text.find('"', at + 15);
            stream.text(true);
            stream.write(boost::asio::buffer("{\"envelope_id\":\"" + text.substr(at + 15, end - at - 15) + "\"}"), ec);
        }
    }
    std::string url_;
    boost::asio::io_context ioc_;
    std::thread thread_;
    std::atomic<bool> stop_{false};
    std::atomic<int> fd_{-1};
};

std::vector<double> ack_latencies(SlackDouble &slack, int count, int first_ts, int secret_every) {
    const size_t first_ack = slack.acks().size();
    for (int i = 0; i < count; ++i) {
        const bool secret = secret_every > 0 && i % secret_every == 0;
        const size_t before = slack.acks().size();
        slack.push_message_event("C0BENCH001", "U0BENCH001", secret ? "card " + kCard : "lunch at noon? the deploy is done",
                                 ts_of(first_ts + i));
        slack.wait_for([&] { return slack.acks().size() > before; });
    }
    std::map<std::string, steady_clock::time_point> sent;
    for (const auto &d : slack.deliveries())
        if (d.retry_attempt == 0) sent[d.envelope_id] = d.sent_at;
    std::vector<double> out;
    const auto acks = slack.acks();
    for (size_t i = first_ack; i < acks.size(); ++i) {
        auto it = sent.find(acks[i].envelope_id);
        if (it != sent.end()) out.push_back(ms(acks[i].received_at - it->second));
    }
    return out;
}

struct DlpdUnderTest {
    DlpdUnderTest(SlackDouble &slack, const std::filesystem::path &pack, const std::filesystem::path &dir) {
        config.slack.api_url = slack.api_url();
        config.slack.app_token = slack.options().app_token;
        config.slack.bot_token = slack.options().bot_token;
        config.slack.user_token = slack.options().user_token;
        config.slack.workers = 1;
        config.plugins.dirs = {DLPD_PLUGIN_DIR};
        config.rules.pack = pack;
        config.database.url = "sqlite:" + (dir / "bench.db").string();
        // The regex plugin builds its Hyperscan prefilter in the background
        // after each rule change; measure the steady state, after it.
        std::mutex m;
        std::condition_variable cv;
        int prefilter_reports = 0;
        auto previous = dlpd::set_log_sink([&](dlpd::LogLevel, std::string_view, std::string_view message) {
            if (message.find("prefilter") != std::string_view::npos) {
                std::lock_guard lock(m);
                ++prefilter_reports;
                cv.notify_all();
            }
        });
        dlpd::set_min_log_level(dlpd::LogLevel::info);
        dlpd::SetupOptions setup_options;
        setup_options.config = &config;
        setup = dlpd::set_up_engine(setup_options);
        if (!setup->errors.empty()) throw std::runtime_error(setup->errors.front());
        std::string error;
        store = dlpd::Store::open(*dlpd::parse_database_url(config.database.url, error));
        store->migrate();
        // set_up_engine has installed the rules (no errors means they
        // compiled and their examples passed). Installing them again here
        // used to start a second prefilter build: the wait below then ended
        // with the first one's report while the second ran through the
        // measurements (8 to 15 s of a core with the starter pack).
        service = std::make_unique<dlpd::slack::SlackService>(config, *store, *setup->engine);
        if (!service->start(stop)) throw std::runtime_error("the Slack service did not start");
        slack.wait_for([&] { return slack.open_connections() == 1; });
        while (service->state().state != "connected") std::this_thread::sleep_for(milliseconds(5));
        {
            std::unique_lock lock(m);
            cv.wait_for(lock, seconds(60), [&] { return prefilter_reports > 0; });
        }
        dlpd::set_log_sink(previous);
        dlpd::set_min_log_level(dlpd::LogLevel::error);
    }
    ~DlpdUnderTest() { service->stop(); }
    dlpd::Config config;
    std::unique_ptr<dlpd::EngineSetup> setup;
    std::unique_ptr<dlpd::Store> store;
    std::unique_ptr<dlpd::slack::SlackService> service;
    std::atomic<bool> stop{false};
};

// The action journal's unrecorded window (dlpd_journal_unrecorded_seconds)
// of one action over a series: the observations between two snapshots,
// with p50/p99 as the upper bound of the bucket they fall in.
void print_window(const char *what, const dlpd::metrics::Histogram &h, const dlpd::metrics::Histogram::Snapshot &from) {
    const auto to = h.snapshot();
    const uint64_t n = to.cumulative.back() - from.cumulative.back();
    if (n == 0) {
        std::printf("  %-34s (no observations)\n", what);
        return;
    }
    auto bound = [&](double q) {
        for (size_t i = 0; i < h.bounds().size(); ++i)
            if (static_cast<double>(to.cumulative[i] - from.cumulative[i]) >= q * static_cast<double>(n))
                return h.bounds()[i] * 1000;
        return std::numeric_limits<double>::infinity();
    };
    std::printf("  %-34s mean %7.3f ms   p50 <= %.2f ms   p99 <= %.2f ms   (n=%llu)\n", what,
                (to.sum - from.sum) * 1000 / static_cast<double>(n), bound(0.5), bound(0.99),
                static_cast<unsigned long long>(n));
}

void print(const char *what, const Percentiles &p, double target) {
    std::printf("  %-34s p50 %7.3f ms   p99 %7.3f ms   max %7.3f ms   (n=%zu)%s\n", what, p.p50, p.p99, p.max, p.n,
                target > 0 ? (p.p99 < target ? "   target met" : "   TARGET MISSED") : "");
}

// The disk's own floor, in the same run: an acknowledged event is on disk,
// so every ack waits for at least one fdatasync like these. The machine's
// disk is shared, so it is measured again before each dlpd series.
void disk_floor(const std::filesystem::path &dir, int count) {
    const auto file = dir / "fsync-probe";
    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    std::vector<double> syncs;
    if (fd >= 0) {
        const std::string page(4096, 'x');
        for (int i = 0; i < count; ++i) {
            const auto t0 = steady_clock::now();
            if (::pwrite(fd, page.data(), page.size(), static_cast<off_t>(i % 64) * 4096) < 0 || ::fdatasync(fd) != 0)
                break;
            syncs.push_back(ms(steady_clock::now() - t0));
        }
        ::close(fd);
    }
    print("disk: pwrite + fdatasync of 4 KiB", percentiles(syncs), 0);
}

}  // namespace

int main(int argc, char **argv) {
    std::filesystem::path rules_dir;
    std::vector<int> sizes = {0, 100, 1000};
    int messages = 1000;
    int burst = 5000;
    int cpus = 2;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) throw std::runtime_error("missing value for " + a);
            return argv[++i];
        };
        if (a == "--rules-dir") rules_dir = value();
        else if (a == "--messages") messages = std::stoi(value());
        else if (a == "--burst") burst = std::stoi(value());
        else if (a == "--cpus") cpus = std::stoi(value());
        else if (a == "--sizes") {
            sizes.clear();
            std::string list = value();
            for (size_t p = 0; p < list.size();) {
                size_t c = list.find(',', p);
                sizes.push_back(std::stoi(list.substr(p, c - p)));
                p = c == std::string::npos ? list.size() : c + 1;
            }
        } else {
            std::fprintf(stderr, "usage: slack_bench --rules-dir DIR [--sizes 0,100,1000] [--messages N] [--burst N] [--cpus N]\n");
            return 2;
        }
    }
    if (rules_dir.empty() && std::any_of(sizes.begin(), sizes.end(), [](int n) { return n > 0; })) {
        std::fprintf(stderr, "slack_bench: --rules-dir (from rules_gen) is required for the synthetic sizes\n");
        return 2;
    }
    std::setvbuf(stdout, nullptr, _IOLBF, 0);
    dlpd::set_min_log_level(dlpd::LogLevel::error);
    const bool pinned = pin_to(cpus);
    std::printf("slack_bench: latency with %d paced messages per series on %d CPU(s)%s; throughput with a burst of %d "
                "events on 1 CPU\n",
                messages, cpus, pinned ? "" : " (pinning FAILED)", burst);
    const auto tmp = std::filesystem::temp_directory_path() / ("slack_bench-" + std::to_string(getpid()));
    std::filesystem::create_directories(tmp);

    disk_floor(tmp, messages);

    {
        SlackDouble slack;
        slack.start();
        slack.add_channel("C0BENCH001");
        FloorClient floor(slack);
        slack.wait_for([&] { return slack.open_connections() == 1; });
        std::printf("\nfloor (ack on arrival, no store, no scan)\n");
        print("ack", percentiles(ack_latencies(slack, messages, 0, 0)), 0);
    }

    // The starter pack as dlpd ships it: config/patterns.yaml with the packs
    // it includes, its enable/disable switches and its value allowlist.
    const auto starter_file = std::filesystem::absolute(std::filesystem::path(DLPD_SOURCE_DIR) / "config" / "patterns.yaml");
    const auto starter = dlpd::load_pack(starter_file);
    size_t starter_enabled = 0;
    for (const auto &r : starter.rules) starter_enabled += r.enabled;
    for (int size : sizes) {
        // Size 0: the starter pack file itself. Otherwise a pack that
        // includes it and adds the synthetic rules of synN.
        auto pack = starter_file;
        if (size > 0) {
            auto rules = dlpd::load_rule_pack(rules_dir / ("syn" + std::to_string(size) + ".yaml"));
            pack = tmp / ("pack" + std::to_string(size) + ".yaml");
            std::string quoted;
            for (char c : starter_file.lexically_normal().string()) quoted += c == '\'' ? "''" : std::string(1, c);
            std::ofstream(pack) << "include:\n  - '" << quoted << "'\n" << dlpd::write_rule_pack(rules);
        }
        const auto dir = tmp / ("db" + std::to_string(size));
        std::filesystem::create_directories(dir);

        dlpd::test::SlackDoubleOptions options;
        options.echo_deletions = false;
        SlackDouble slack(options);
        slack.start();
        slack.add_channel("C0BENCH001");
        DlpdUnderTest dlpd_run(slack, pack, dir);
        std::printf("\ndlpd, %d synthetic + the starter pack (%zu rules, %zu enabled, %zu allowlist values), 1 worker\n",
                    size, starter.rules.size(), starter_enabled, starter.allowlist.size());
        disk_floor(dir, messages);

        // Ack: every tenth message has a card number.
        print("ack (no secrets)", percentiles(ack_latencies(slack, messages, 300000, 0)), 5.0);
        print("ack (1 in 10 with a secret)", percentiles(ack_latencies(slack, messages, 0, 10)), 5.0);

        // Event to delete: each secret message waits for its delete.
        const size_t deletes_before = slack.calls("chat.delete").size();
        const size_t posts_before = slack.calls("chat.postMessage").size();
        const int n_delete = std::max(100, messages / 3);
        auto &window = dlpd::slack::slack_metrics().unrecorded;
        const auto delete_window = window.with({"delete"}).snapshot();
        const auto notify_window = window.with({"notify"}).snapshot();
        std::map<std::string, steady_clock::time_point> sent;
        for (int i = 0; i < n_delete; ++i) {
            const std::string ts = ts_of(100000 + i);
            const size_t before = slack.calls("chat.delete").size();
            const auto envelope = slack.push_message_event("C0BENCH001", "U0BENCH001", "pls charge " + kCard + " again", ts);
            slack.wait_for([&] { return slack.calls("chat.delete").size() > before; });
            for (const auto &d : slack.deliveries(envelope))
                if (d.retry_attempt == 0) sent[ts] = d.sent_at;
        }
        std::vector<double> to_delete;
        const auto deletes = slack.calls("chat.delete");
        for (size_t i = deletes_before; i < deletes.size(); ++i) {
            const auto body = deletes[i].body;
            const auto at = body.find("\"ts\":\"");
            if (at == std::string::npos) continue;
            const std::string ts = body.substr(at + 6, body.find('"', at + 6) - at - 6);
            if (auto it = sent.find(ts); it != sent.end()) to_delete.push_back(ms(deletes[i].steady_at - it->second));
        }
        print("event → chat.delete (text)", percentiles(to_delete), 20.0);
        // Each notice of the series recorded, then the journal's windows.
        slack.wait_for([&] { return slack.calls("chat.postMessage").size() >= posts_before + n_delete; });
        std::this_thread::sleep_for(std::chrono::milliseconds(50));  // the last notice's commit
        print_window("unrecorded: delete → plan commit", window.with({"delete"}), delete_window);
        print_window("unrecorded: notice → step commit", window.with({"notify"}), notify_window);

        // Sustained: a fresh double and dlpd, every thread on one CPU, and a
        // burst pushed at once.
        pin_to(1);
        {
            const auto dir1 = tmp / ("burst" + std::to_string(size));
            std::filesystem::create_directories(dir1);
            SlackDouble burst_slack(options);
            burst_slack.start();
            burst_slack.add_channel("C0BENCH001");
            DlpdUnderTest burst_dlpd(burst_slack, pack, dir1);
            const auto start = steady_clock::now();
            for (int i = 0; i < burst; ++i)
                burst_slack.push_message_event(
                    "C0BENCH001", "U0BENCH001",
                    i % 50 == 0 ? "card " + kCard : "status update " + std::to_string(i) + ": deploy ok, see PR",
                    ts_of(200000 + i));
            burst_slack.wait_for([&] { return burst_slack.acks().size() >= static_cast<size_t>(burst); }, seconds(300));
            while (!burst_dlpd.store->pending_events(1).empty()) std::this_thread::sleep_for(milliseconds(2));
            const double seconds_taken = duration<double>(steady_clock::now() - start).count();
            const double rate = burst / seconds_taken;
            std::printf("  %-34s %8.0f events/s (%d events, 2 %% with a card number, in %.2f s, 1 CPU)%s\n",
                        "sustained", rate, burst, seconds_taken,
                        size >= 1000 ? (rate >= 1000 ? "   target met" : "   TARGET MISSED") : "");
        }
        pin_to(cpus);
    }
    std::filesystem::remove_all(tmp);
    return 0;
}
