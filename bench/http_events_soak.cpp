// http_events_soak: signed events through HTTP Events mode for a long run,
// with the memory of the dlpd process sampled, to show whether it stays flat.
//
// It starts the Slack double (the Web API dlpd calls: auth.test,
// chat.delete, chat.postMessage) in this process, then the real `dlpd run`
// as a child process (slack.mode http, SQLite store in a temporary folder,
// the starter pack), and posts signed event_callback requests to
// /slack/events over keep-alive connections as fast as dlpd acknowledges
// them (1 in 50 with a card number, which dlpd deletes and notices). Every
// --sample events it reads the child's /proc/PID/status (VmRSS, RssAnon,
// RssFile) and prints a line; then it waits for the workers to finish (every
// chat.delete in) and samples again; at the end, the growth after warm-up.
// Loopback only, and bounded by --events and --max-seconds.
//
//   http_events_soak [--events N (200000)] [--max-seconds S (180)] [--connections C (16)]
//                    [--sample N (10000)] [--warmup N (50000)] [--env NAME=VALUE]...
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "log.hpp"
#include "slack/request_signature.hpp"
#include "slack_double.hpp"

#ifndef DLPD_SOURCE_DIR
#define DLPD_SOURCE_DIR "."
#endif
#ifndef DLPD_PLUGIN_DIR
#define DLPD_PLUGIN_DIR "lib/dlpd/plugins"
#endif
#ifndef DLPD_BIN_DIR
#define DLPD_BIN_DIR "bin"
#endif

extern char **environ;

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using namespace std::chrono;

const std::string kSecret = "soak-signing-secret-0123456789";

struct Memory {
    long rss_kb = 0, anon_kb = 0, file_kb = 0;
};

Memory memory_of(pid_t pid) {
    Memory m;
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line)) {
        long *field = line.starts_with("VmRSS:")     ? &m.rss_kb
                      : line.starts_with("RssAnon:") ? &m.anon_kb
                      : line.starts_with("RssFile:") ? &m.file_kb
                                                     : nullptr;
        if (field) *field = std::atol(line.c_str() + line.find(':') + 1);
    }
    return m;
}

std::string slurp(const std::filesystem::path &p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string event_body(uint64_t n) {
    const bool secret = n % 50 == 0;
    char ts[32];
    std::snprintf(ts, sizeof ts, "17%08llu.%06llu", static_cast<unsigned long long>(n / 1000000),
                  static_cast<unsigned long long>(n % 1000000));
    return R"({"token":"x","team_id":"T0DOUBLE01","api_app_id":"A0DOUBLE01","type":"event_callback","event_id":"Ev0SOAK)" +
           std::to_string(n) + R"(","event_time":1700000000,"event":{"type":"message","channel":"C0SOAK0001","user":"U0SOAK0001","text":")" +
           (secret ? std::string("card 4539 1488 0343 6467") : std::string("lunch at noon? the deploy is done")) +
           R"(","ts":")" + ts + R"(","channel_type":"channel"}})";
}

}  // namespace

int main(int argc, char **argv) {
    uint64_t events = 200000, sample = 10000, warmup = 50000;
    int max_seconds = 180, connections = 16;
    std::vector<std::string> extra_env;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&] { return i + 1 < argc ? std::string(argv[++i]) : std::string(); };
        if (a == "--events") events = std::stoull(next());
        else if (a == "--max-seconds") max_seconds = std::stoi(next());
        else if (a == "--connections") connections = std::stoi(next());
        else if (a == "--sample") sample = std::stoull(next());
        else if (a == "--warmup") warmup = std::stoull(next());
        else if (a == "--env") extra_env.push_back(next());
        else {
            std::fprintf(stderr, "usage: %s [--events N] [--max-seconds S] [--connections C] [--sample N] [--warmup N] "
                                 "[--env NAME=VALUE]...\n", argv[0]);
            return 2;
        }
    }
    dlpd::set_log_sink([](dlpd::LogLevel, std::string_view, std::string_view) {});  // the double's client side

    dlpd::test::SlackDouble slack;
    slack.start();
    slack.add_channel("C0SOAK0001");

    char dir_template[] = "/tmp/dlpd-soak-XXXXXX";
    const std::filesystem::path dir = mkdtemp(dir_template);
    const auto config = dir / "dlpd.yaml";
    std::ofstream(config) << "plugins:\n  dirs: [" << DLPD_PLUGIN_DIR << "]\nrules:\n  pack: " << DLPD_SOURCE_DIR
                          << "/config/patterns.yaml\ndatabase:\n  url: sqlite:" << (dir / "dlpd.db").string()
                          << "\nslack:\n  mode: http\n  http_listen: 127.0.0.1:0\n  api_url: " << slack.api_url()
                          << "\n  bot_token: ${SLACK_BOT_TOKEN}\n  user_token: ${SLACK_USER_TOKEN}\n"
                             "  signing_secret: ${SLACK_SIGNING_SECRET}\nadmin:\n  listen: 127.0.0.1:0\n";
    const auto err = dir / "dlpd.stderr";

    std::vector<std::string> env_strings;
    for (char **e = environ; *e; ++e) env_strings.emplace_back(*e);
    env_strings.push_back("SLACK_BOT_TOKEN=" + slack.options().bot_token);
    env_strings.push_back("SLACK_USER_TOKEN=" + slack.options().user_token);
    env_strings.push_back("SLACK_SIGNING_SECRET=" + kSecret);
    for (const auto &e : extra_env) env_strings.push_back(e);
    std::vector<char *> env;
    for (auto &e : env_strings) env.push_back(e.data());
    env.push_back(nullptr);
    const std::string dlpd = std::string(DLPD_BIN_DIR) + "/dlpd";
    const std::string config_text = config.string();
    char *child_argv[] = {const_cast<char *>(dlpd.c_str()), const_cast<char *>("run"), const_cast<char *>("--config"),
                          const_cast<char *>(config_text.c_str()), nullptr};
    posix_spawn_file_actions_t files;
    posix_spawn_file_actions_init(&files);
    posix_spawn_file_actions_addopen(&files, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    pid_t pid = 0;
    if (posix_spawn(&pid, dlpd.c_str(), &files, nullptr, child_argv, env.data()) != 0) {
        std::fprintf(stderr, "cannot start %s\n", dlpd.c_str());
        return 1;
    }
    // The port it listens on, from its log.
    int port = 0;
    const std::regex listening("listening for Slack events on 127\\.0\\.0\\.1:([0-9]+)/");
    for (int i = 0; i < 300 && port == 0; ++i) {
        std::smatch m;
        const std::string text = slurp(err);
        if (std::regex_search(text, m, listening)) port = std::stoi(m[1]);
        else std::this_thread::sleep_for(milliseconds(100));
    }
    if (port == 0) {
        std::fprintf(stderr, "dlpd did not listen; its log:\n%s\n", slurp(err).c_str());
        kill(pid, SIGTERM);
        waitpid(pid, nullptr, 0);
        return 1;
    }
    const Memory at_start = memory_of(pid);
    std::printf("dlpd pid %d, HTTP Events on 127.0.0.1:%d; RSS at start %.1f MB (anon %.1f, file %.1f)\n", pid, port,
                at_start.rss_kb / 1024.0, at_start.anon_kb / 1024.0, at_start.file_kb / 1024.0);
    std::printf("%10s %9s %9s %9s %9s %9s\n", "events", "seconds", "events/s", "RSS MB", "anon MB", "file MB");

    std::atomic<uint64_t> next_event{0}, acked{0}, failed{0};
    const auto started = steady_clock::now();
    const auto deadline = started + seconds(max_seconds);
    auto client = [&] {
        net::io_context ioc;
        beast::tcp_stream stream(ioc);
        stream.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)));
        beast::flat_buffer buffer;
        for (;;) {
            const uint64_t n = next_event++;
            if (n >= events || steady_clock::now() >= deadline) return;
            http::request<http::string_body> request{http::verb::post, "/slack/events", 11};
            request.set(http::field::host, "127.0.0.1");
            request.set(http::field::content_type, "application/json");
            request.body() = event_body(n);
            const std::string stamp = std::to_string(std::time(nullptr));
            request.set("X-Slack-Request-Timestamp", stamp);
            request.set("X-Slack-Signature", dlpd::slack::slack_signature(kSecret, stamp, request.body()));
            request.prepare_payload();
            http::response<http::string_body> response;
            beast::error_code ec;
            http::write(stream, request, ec);
            if (!ec) http::read(stream, buffer, response, ec);
            if (ec) {
                ++failed;
                return;
            }
            (response.result_int() == 200 ? acked : failed)++;
        }
    };
    std::vector<std::thread> clients;
    for (int c = 0; c < connections; ++c) clients.emplace_back(client);

    std::vector<std::pair<uint64_t, Memory>> samples;
    uint64_t next_sample = sample;
    while (true) {
        const uint64_t done = acked + failed;
        const bool finished = done >= events || steady_clock::now() >= deadline || next_event >= events + connections;
        if (done >= next_sample || finished) {
            const Memory m = memory_of(pid);
            const double s = duration<double>(steady_clock::now() - started).count();
            samples.push_back({done, m});
            std::printf("%10llu %9.1f %9.0f %9.1f %9.1f %9.1f\n", static_cast<unsigned long long>(done), s, done / s,
                        m.rss_kb / 1024.0, m.anon_kb / 1024.0, m.file_kb / 1024.0);
            std::fflush(stdout);
            while (next_sample <= done) next_sample += sample;
        }
        if (finished) break;
        std::this_thread::sleep_for(milliseconds(20));
    }
    for (auto &t : clients) t.join();
    const double sending_seconds = duration<double>(steady_clock::now() - started).count();
    // The workers scan after the ack: wait (at most 120 s) until every event
    // with a card number has had its chat.delete, then sample once more.
    const uint64_t sent = acked + failed;
    const size_t secrets = static_cast<size_t>((sent + 49) / 50);
    const auto wait_end = steady_clock::now() + seconds(120);
    while (slack.calls("chat.delete").size() < secrets && steady_clock::now() < wait_end)
        std::this_thread::sleep_for(milliseconds(200));
    const Memory at_end = memory_of(pid);
    std::printf("%10s %9.1f %9s %9.1f %9.1f %9.1f   (workers done: %zu of %zu chat.delete calls)\n", "idle",
                duration<double>(steady_clock::now() - started).count(), "", at_end.rss_kb / 1024.0,
                at_end.anon_kb / 1024.0, at_end.file_kb / 1024.0, slack.calls("chat.delete").size(), secrets);

    // Growth after warm-up: the first sample at or past --warmup against the last.
    const Memory *warm = nullptr;
    uint64_t warm_events = 0;
    for (const auto &[n, m] : samples)
        if (n >= warmup) {
            warm = &m;
            warm_events = n;
            break;
        }
    std::printf("acknowledged %llu, refused or failed %llu, in %.1f s (%.0f events/s)\n",
                static_cast<unsigned long long>(acked.load()), static_cast<unsigned long long>(failed.load()),
                sending_seconds, sent / sending_seconds);
    if (warm && warm_events < acked + failed)
        std::printf("RSS after warm-up (%llu events) %.1f MB, at the end %.1f MB: %+.1f MB (%+.1f%%) over %llu more events\n",
                    static_cast<unsigned long long>(warm_events), warm->rss_kb / 1024.0, at_end.rss_kb / 1024.0,
                    (at_end.rss_kb - warm->rss_kb) / 1024.0, 100.0 * (at_end.rss_kb - warm->rss_kb) / warm->rss_kb,
                    static_cast<unsigned long long>(acked + failed - warm_events));
    std::printf("store on disk: %.1f MB (dlpd.db) + %.1f MB (WAL)\n",
                std::filesystem::exists(dir / "dlpd.db") ? std::filesystem::file_size(dir / "dlpd.db") / 1048576.0 : 0.0,
                std::filesystem::exists(dir / "dlpd.db-wal") ? std::filesystem::file_size(dir / "dlpd.db-wal") / 1048576.0
                                                               : 0.0);
    kill(pid, SIGTERM);
    int status = 0;
    waitpid(pid, &status, 0);
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
    return failed == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}
