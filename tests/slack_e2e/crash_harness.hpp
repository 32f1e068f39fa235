// What the crash tests of issue 18 share (test_crash.cpp): the stream of
// messages a seed draws, the real `dlpd run` as a child process, the Slack
// double and the configuration every run reads, the moments a stop waits
// for, and the check of the stream's end state.
//
// DLPD_CRASH_SEED=N replays a run's plan: the stream, the pauses between
// pushes, when each stop comes and what it waits for. The interleaving of the
// daemons' threads with the test's is not replayable; the seed makes a
// failing plan easy to run again until it fails the same way.
// DLPD_CRASH_LOG_DIR=DIR keeps each run's log of the daemon there, which the
// temporary folder would otherwise take away.
#ifndef DLPD_TESTS_CRASH_HARNESS_HPP
#define DLPD_TESTS_CRASH_HARNESS_HPP

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string_view>
#include <thread>

#include "slack_harness.hpp"

extern char **environ;

namespace dlpd::test::crash {

constexpr size_t kMessages = 300;
constexpr double kSensitiveShare = 0.2;
constexpr double kThreadReplyShare = 0.25;
const std::vector<std::string> kChannels = {"C0CRASH001", "C0CRASH002", "C0CRASH003"};
const std::string kRule = "crash_test_card";
// One rule, so that each start of the daemon checks one rule's examples, not
// the starter pack's 314 (about a minute each under ASan). The test is about
// actions, not detection.
const std::string kRulePack = R"(rules:
  - name: crash_test_card
    regex: '\b(4[0-9]{3} [0-9]{4} [0-9]{4} [0-9]{4})\b'
    validators: [luhn]
    severity: high
    confidence: high
    description: A card number grouped 4-4-4-4, Luhn-checked (the crash test's only rule).
    enabled: true
    examples:
      match: ['card 4539 1488 0343 6467 ok']
      no_match: ['card 4539 1488 0343 6468 ok']
)";
// Readiness bounds: they stop a broken build from hanging, they time nothing.
constexpr auto kConnectWait = std::chrono::seconds(240);
constexpr auto kSettleWait = std::chrono::seconds(240);

struct StreamMessage {
    std::string channel, ts, thread_ts, user, text;
    bool sensitive = false;
    std::string envelope;  // set once pushed
};

// A card number no list of test cards holds: 4, 14 random digits, the Luhn
// check digit; with valid == false the check digit is off by one.
inline std::string card_number(std::mt19937_64 &rng, bool valid) {
    std::string digits = "4";
    for (int i = 0; i < 14; ++i) digits += static_cast<char>('0' + rng() % 10);
    char check = luhn_check_digit(digits);
    if (!valid) check = static_cast<char>('0' + (check - '0' + 1) % 10);
    digits += check;
    return digits.substr(0, 4) + " " + digits.substr(4, 4) + " " + digits.substr(8, 4) + " " + digits.substr(12, 4);
}

// Each sensitive message has its own author, so that the notice answering
// it ("A message from <@U…> was removed…") names it.
inline std::vector<StreamMessage> make_stream(std::mt19937_64 &rng) {
    static const std::vector<std::string> harmless = {"lunch at noon?",         "build 4711 passed",
                                                      "see the doc, page 12",   "ok, merging now",
                                                      "standup moved to 10:15", "the 4 of us meet in room 1488"};
    static const std::vector<std::string> users = {"U0ALICE001", "U0BOB00001", "U0CAROL001"};
    std::bernoulli_distribution sensitive(kSensitiveShare), reply(kThreadReplyShare), near_miss(0.1);
    std::map<std::string, std::vector<std::string>> top_level;  // per channel, the ts a reply may answer
    std::vector<StreamMessage> stream;
    for (size_t i = 0; i < kMessages; ++i) {
        StreamMessage m;
        m.channel = kChannels[rng() % kChannels.size()];
        char ts[32];
        std::snprintf(ts, sizeof ts, "1600000000.%06zu", i + 1);
        m.ts = ts;
        auto &parents = top_level[m.channel];
        if (!parents.empty() && reply(rng))
            m.thread_ts = parents[rng() % parents.size()];
        else
            parents.push_back(m.ts);
        m.sensitive = sensitive(rng);
        if (m.sensitive) {
            m.user = "U0S" + std::to_string(100000 + i);
            m.text = "my card is " + card_number(rng, true) + ", exp 12/29";
        } else {
            m.user = users[rng() % users.size()];
            // Some harmless messages hold a 16-digit number that fails the Luhn check.
            m.text =
                near_miss(rng) ? "ticket " + card_number(rng, false) + " is closed" : harmless[rng() % harmless.size()];
        }
        stream.push_back(std::move(m));
    }
    return stream;
}

// How a run of the daemon ends: a signal, after the stream has reached a
// point and then after one of three kinds of moment.
struct Stop {
    int signal = SIGKILL;
    size_t after_pushed = 0;
    enum class Moment { time, delete_call, notice_call } moment = Moment::time;
    int calls = 0;                       // delete_call, notice_call: this many more calls answered first
    std::chrono::microseconds delay{0};  // then this long
    std::string method() const { return moment == Moment::delete_call ? "chat.delete" : "chat.postMessage"; }
    std::string describe() const {
        std::ostringstream out;
        out << (signal == SIGKILL ? "SIGKILL" : "SIGTERM") << " once " << after_pushed << " messages were pushed, ";
        if (moment == Moment::time)
            out << "then " << delay.count() / 1000 << " ms";
        else
            out << "then " << calls << " more " << method() << " answered and " << delay.count() << " us";
        return out.str();
    }
};

// The moment and its wait drawn at random (the point in the stream is the
// caller's): a random time within 400 ms, or right after 1 to 3 more calls.
inline void draw_moment(std::mt19937_64 &rng, Stop &s) {
    if (s.moment == Stop::Moment::time) {
        s.delay = std::chrono::microseconds(rng() % 400000);
    } else {
        s.calls = 1 + static_cast<int>(rng() % 3);
        s.delay = std::chrono::microseconds(rng() % 2000);
    }
}

// `dlpd run`, its standard output and error in one file per run.
class Daemon {
public:
    Daemon(std::filesystem::path config, const SlackDouble &slack) : config_(std::move(config)) {
        // Tokens of a real workspace in the environment must not reach the double.
        for (char **e = environ; *e; ++e)
            if (std::string_view(*e).rfind("SLACK_", 0) != 0) env_.push_back(*e);
        env_.push_back("SLACK_APP_TOKEN=" + slack.options().app_token);
        env_.push_back("SLACK_BOT_TOKEN=" + slack.options().bot_token);
        env_.push_back("SLACK_USER_TOKEN=" + slack.options().user_token);
    }
    ~Daemon() {
        if (pid_ > 0) stop(SIGKILL);
    }
    Daemon(const Daemon &) = delete;
    Daemon &operator=(const Daemon &) = delete;

    void start(const std::filesystem::path &log_file) {
        posix_spawn_file_actions_t files;
        posix_spawn_file_actions_init(&files);
        posix_spawn_file_actions_addopen(&files, 1, log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        posix_spawn_file_actions_adddup2(&files, 1, 2);
        const std::string bin = (kBinDir / "dlpd").string(), config = config_.string();
        const char *argv[] = {bin.c_str(), "run", "--config", config.c_str(), nullptr};
        std::vector<char *> envp;
        for (auto &e : env_) envp.push_back(e.data());
        envp.push_back(nullptr);
        const int rc = posix_spawn(&pid_, bin.c_str(), &files, nullptr, const_cast<char **>(argv), envp.data());
        posix_spawn_file_actions_destroy(&files);
        if (rc != 0) throw std::runtime_error("cannot start " + bin);
    }

    bool running() {
        if (pid_ <= 0) return false;
        if (waitpid(pid_, &status_, WNOHANG) == pid_) pid_ = 0;
        return pid_ > 0;
    }

    // Sends a signal without waiting for the process (SIGHUP).
    void signal(int sig) {
        if (running()) kill(pid_, sig);
    }

    // The wait status.
    int stop(int signal) {
        if (running()) {
            kill(pid_, signal);
            waitpid(pid_, &status_, 0);
            pid_ = 0;
        }
        return status_;
    }

private:
    std::filesystem::path config_;
    std::vector<std::string> env_;
    pid_t pid_ = 0;
    int status_ = 0;
};

inline std::string describe_status(int status) {
    if (WIFEXITED(status)) return "exit " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status)) return "killed (" + std::string(strsignal(WTERMSIG(status))) + ")";
    return "status " + std::to_string(status);
}

inline std::string arg_of(const ApiCall &call, const std::string &name) {
    try {
        auto object = Poco::JSON::Parser().parse(call.body).extract<Poco::JSON::Object::Ptr>();
        return object->has(name) ? object->get(name).toString() : std::string();
    } catch (const Poco::Exception &) {
        return {};
    }
}

inline std::string lines(const std::vector<std::string> &items) {
    std::string out;
    for (const auto &i : items) out += "  " + i + "\n";
    return out.empty() ? "  (none)\n" : out;
}

inline uint64_t crash_seed() {
    if (const char *text = std::getenv("DLPD_CRASH_SEED"); text && *text) return std::stoull(text);
    std::random_device device;
    return (uint64_t{device()} << 32) ^ device();
}

inline bool mariadb_installed() {
    return std::filesystem::exists("/usr/sbin/mariadbd") || run("command -v mariadbd").exit_code == 0;
}

// What the issue asks of the stream's end state, from the double's records
// and the store, each property with the messages that break it.
inline void check_outcome(const std::vector<StreamMessage> &stream, const SlackDouble &slack, Store &store) {
    // Only what dlpd acknowledged counts: it had recorded it then, so it owes
    // the actions. With redelivery until acked, that is the whole stream.
    std::set<std::string> ids;
    for (const auto &a : slack.acks()) ids.insert(a.envelope_id);
    std::vector<std::string> unacked;
    for (const auto &m : stream)
        if (!ids.count(m.envelope)) unacked.push_back(m.channel + " " + m.ts);
    {
        INFO("messages never acknowledged:\n" << lines(unacked));
        CHECK(unacked.empty());
    }

    // (a), (d): chat.delete calls per ts, whatever they answered.
    std::map<std::string, std::vector<std::string>> delete_calls;  // ts -> each call's answer
    for (const auto &c : slack.calls("chat.delete"))
        delete_calls[arg_of(c, "ts")].push_back(c.error.empty() ? "ok" : c.error);
    // (b): the bot's posts; each names the author of the message it answers.
    std::vector<Message> notices;
    for (const auto &p : slack.posted_messages())
        if (p.bot_id == slack.options().bot_id) notices.push_back(p);
    // (c): incidents per (ts, rule).
    std::map<std::pair<std::string, std::string>, int> incidents;
    for (const auto &i : store.recent_incidents(100000)) ++incidents[{i.message_ts, i.rule}];

    std::vector<std::string> not_deleted_once, deleted_again, harmless_touched, not_one_notice, not_one_incident;
    size_t sensitive = 0, repeated_deletes = 0;
    for (const auto &m : stream) {
        const std::string where = m.channel + " ts " + m.ts + (m.thread_ts.empty() ? "" : " in thread " + m.thread_ts);
        const auto &calls = delete_calls[m.ts];
        std::string answers;
        for (const auto &a : calls) answers += (answers.empty() ? "" : ", ") + a;
        if (!m.sensitive) {
            if (!calls.empty()) harmless_touched.push_back(where + ": chat.delete answered " + answers);
            if (incidents.count({m.ts, kRule})) harmless_touched.push_back(where + ": an incident");
            continue;
        }
        if (!ids.count(m.envelope)) continue;
        ++sensitive;
        const auto ok = std::count(calls.begin(), calls.end(), std::string("ok"));
        if (ok != 1)
            not_deleted_once.push_back(where + ": chat.delete answered " + (answers.empty() ? "never" : answers));
        // A delete whose outcome a crash left unknown is taken again, and
        // Slack's message_not_found then is the proof it was done (issue 18:
        // safe to repeat, not a new deletion); any other second answer is a
        // second action.
        const auto gone = std::count(calls.begin(), calls.end(), std::string("message_not_found"));
        if (calls.size() > 1) ++repeated_deletes;
        if (static_cast<long>(calls.size()) != ok + gone || ok != 1)
            deleted_again.push_back(where + ": chat.delete answered " + answers);
        int answering = 0;
        std::string which;
        for (const auto &n : notices)
            if (n.channel == m.channel && n.thread_ts == m.thread_ts &&
                n.text.find("<@" + m.user + ">") != std::string::npos) {
                ++answering;
                which += "\n      ts " + n.ts + " metadata " + n.metadata;
            }
        if (answering != 1) not_one_notice.push_back(where + ": " + std::to_string(answering) + " notices" + which);
        if (incidents[{m.ts, kRule}] != 1)
            not_one_incident.push_back(where + ": " + std::to_string(incidents[{m.ts, kRule}]) + " incidents");
    }
    size_t incident_total = 0;
    for (const auto &[key, n] : incidents) incident_total += static_cast<size_t>(n);
    std::cout << "  " << stream.size() << " messages, " << sensitive << " sensitive; chat.delete calls "
              << slack.calls("chat.delete").size() << ", notices " << notices.size() << ", incidents " << incident_total
              << "; deleted other than once: " << not_deleted_once.size()
              << ", chat.delete repeated after a crash (answered message_not_found): " << repeated_deletes
              << ", deleted again: " << deleted_again.size()
              << ", notices other than one: " << not_one_notice.size()
              << ", incidents other than one: " << not_one_incident.size() << std::endl;
    REQUIRE(sensitive > 0);
    {
        INFO("(a) sensitive messages not deleted exactly once (chat.delete calls for the ts answered ok):\n"
             << lines(not_deleted_once));
        CHECK(not_deleted_once.empty());
    }
    {
        INFO("(a) sensitive messages with a chat.delete beside the one that removed them that was not answered "
             "message_not_found:\n"
             << lines(deleted_again));
        CHECK(deleted_again.empty());
    }
    {
        INFO("(b) sensitive messages without exactly one notice (in their channel or thread, naming their author):\n"
             << lines(not_one_notice));
        CHECK(not_one_notice.empty());
        CHECK(notices.size() == sensitive);
    }
    {
        INFO("(c) sensitive messages without exactly one incident of " << kRule << ":\n" << lines(not_one_incident));
        CHECK(not_one_incident.empty());
        CHECK(incident_total == sensitive);
    }
    {
        INFO("(d) harmless messages acted on:\n" << lines(harmless_touched));
        CHECK(harmless_touched.empty());
    }
    // (e): the daemons have stopped; nothing is left to resume.
    const auto pending = store.pending_events();
    std::vector<std::string> pending_ids;
    for (const auto &p : pending) pending_ids.push_back(p.event_id);
    INFO("(e) events pending at the end:\n" << lines(pending_ids));
    CHECK(pending.empty());
}

// One crash test's world: the stream a seed draws, the Slack double, the
// configuration every `dlpd run` of the test reads (one database for all),
// the thread that pushes the stream, and the logs of the runs.
class CrashRig {
public:
    // The stream is drawn first from `rng`; the caller draws its plan next.
    CrashRig(const std::string &database, const TempDir &dir, std::mt19937_64 &rng)
        : stream(make_stream(rng)), slack(slack_options()), database_(database), dir_(dir) {
        slack.start();
        for (const auto &c : kChannels) slack.add_channel(c);
        for (size_t i = 0; i < stream.size(); ++i) {
            index_of_ts_[stream[i].ts] = i;
            if (stream[i].sensitive) index_of_user_[stream[i].user] = i;
        }
        const auto pack = dir.write("crash-pack.yaml", kRulePack);
        key_file = dir.path() / "dlpd.key";
        config = dir.write(
            "dlpd.yaml", "log:\n  level: info\nplugins:\n  dirs: [" + kPluginDir.string() + "]\nrules:\n  pack: " +
                             pack.string() + "\ndatabase:\n  url: '" + database + "'\n  key_file: " +
                             key_file.string() + "\nslack:\n  api_url: " + slack.api_url() +
                             "\n  app_token: ${SLACK_APP_TOKEN}\n  bot_token: ${SLACK_BOT_TOKEN}"
                             "\n  user_token: ${SLACK_USER_TOKEN}\n  reconnect_max_seconds: 2\n"
                             // A dead run's events are taken over after this by its restart or a replica.
                             "  event_lease_seconds: 2\npolicy:\n"
                             "  actions: delete,notify\n  notice: in_place\nadmin:\n  listen: 127.0.0.1:0\n");
    }
    ~CrashRig() {
        if (pusher_.joinable()) pusher_.join();
    }

    // The stream arrives whether a daemon is up or not; the double keeps
    // what no socket takes for the next connection.
    void start_pushing(uint64_t seed) {
        pusher_ = std::thread([this, seed] {
            std::mt19937_64 push_rng(seed);
            std::uniform_int_distribution<int> gap_ms(0, 50);
            for (auto &m : stream) {
                std::this_thread::sleep_for(std::chrono::milliseconds(gap_ms(push_rng)));
                m.envelope = slack.push_message_event(m.channel, m.user, m.text, m.ts, m.thread_ts);
                ++pushed;  // after the envelope: stream[i].envelope may be read for i < pushed
            }
        });
    }
    void finish_pushing() {
        if (pusher_.joinable()) pusher_.join();
    }
    bool all_pushed() const { return pushed == stream.size(); }

    // Starts a run whose log is `log_name`; true once the double has one more
    // connection than before and at least `min_open` open.
    bool start(Daemon &daemon, const std::string &log_name, int min_open = 1) {
        logs_.push_back(log_name);
        const int before = slack.total_connections();
        daemon.start(dir_.path() / log_name);
        const auto end = std::chrono::steady_clock::now() + kConnectWait;
        while (std::chrono::steady_clock::now() < end && daemon.running())
            if (slack.wait_for(
                    [&] { return slack.total_connections() > before && slack.open_connections() >= min_open; },
                    std::chrono::milliseconds(100)))
                return true;
        return false;
    }
    std::string log(const std::string &log_name) const { return slurp(dir_.path() / log_name); }

    // The stream message a chat.delete (by its ts) or a notice (by the author
    // it names) answers; nullopt for others, or one not pushed yet.
    std::optional<size_t> message_of(const ApiCall &call) const {
        std::optional<size_t> i;
        if (call.method == "chat.delete") {
            if (auto it = index_of_ts_.find(arg_of(call, "ts")); it != index_of_ts_.end()) i = it->second;
        } else if (call.method == "chat.postMessage") {
            const std::string text = arg_of(call, "text");
            if (auto at = text.find("<@"); at != std::string::npos)
                if (auto it = index_of_user_.find(text.substr(at + 2, text.find('>', at) - at - 2));
                    it != index_of_user_.end())
                    i = it->second;
        }
        if (i && *i >= pushed.load()) return std::nullopt;
        return i;
    }

    // Waits for a stop's moment while the daemon runs: the stream past its
    // point, then a time or `stop.calls` more answered calls of its kind
    // (of the calls given to it, as many as `counts` says; all without it),
    // then its delay. Waiting for calls gives up once the stream is over and
    // no call came for 2 s.
    using CallCount = std::function<size_t(const std::vector<ApiCall> &)>;
    void wait_for(const Stop &stop, Daemon &daemon, const CallCount &counts = {}) {
        while (pushed < stop.after_pushed && daemon.running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        if (stop.moment != Stop::Moment::time) {
            auto counted = [&] {
                const auto calls = slack.calls(stop.method());
                return counts ? counts(calls) : calls.size();
            };
            const size_t target = counted() + static_cast<size_t>(stop.calls);
            auto last_change = std::chrono::steady_clock::now();
            size_t last = 0;
            while (daemon.running()) {
                if (slack.wait_for([&] { return counted() >= target; }, std::chrono::milliseconds(50))) break;
                const size_t now_calls = slack.calls().size();
                if (now_calls != last) {
                    last = now_calls;
                    last_change = std::chrono::steady_clock::now();
                }
                if (all_pushed() && std::chrono::steady_clock::now() - last_change > std::chrono::seconds(2)) break;
            }
        }
        std::this_thread::sleep_for(stop.delay);
    }

    std::unique_ptr<Store> open_store() const {
        std::string url_error;
        const auto url = parse_database_url(database_, url_error);
        if (!url) throw std::runtime_error("bad database url: " + url_error);
        StoreOptions store_options;
        store_options.pool_size = 2;
        store_options.key_file = key_file;
        return Store::open(*url, store_options);
    }

    // Everything the stream brought is acknowledged, each sensitive message
    // deleted, and nothing is pending in the store.
    bool settled(Store &store) const {
        std::set<std::string> acked, deleted;
        for (const auto &a : slack.acks()) acked.insert(a.envelope_id);
        for (const auto &c : slack.calls("chat.delete"))
            if (c.error.empty() && c.http_status == 200) deleted.insert(arg_of(c, "ts"));
        for (const auto &m : stream)
            if (!acked.count(m.envelope) || (m.sensitive && !deleted.count(m.ts))) return false;
        return store.pending_events().empty();
    }
    // After the stream is over: waits for settled() while `alive()`.
    bool settle(Store &store, const std::function<bool()> &alive) const {
        const auto end = std::chrono::steady_clock::now() + kSettleWait;
        while (!settled(store) && alive() && std::chrono::steady_clock::now() < end)
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        return settled(store);
    }

    // Copies the runs' logs to DLPD_CRASH_LOG_DIR when it is set.
    void keep_logs() const {
        const char *keep = std::getenv("DLPD_CRASH_LOG_DIR");
        if (!keep || !*keep) return;
        std::filesystem::create_directories(keep);
        for (const auto &name : logs_)
            std::filesystem::copy_file(dir_.path() / name, std::filesystem::path(keep) / name,
                                       std::filesystem::copy_options::overwrite_existing);
    }

    std::vector<StreamMessage> stream;
    std::atomic<size_t> pushed{0};
    LogCapture quiet;  // the double's client-side lines stay out of the output
    SlackDouble slack;
    std::filesystem::path config, key_file;  // what every run reads

private:
    static SlackDoubleOptions slack_options() {
        SlackDoubleOptions options;
        // Slack redelivers an unacknowledged envelope; here until it is acked,
        // so that every message of the stream reaches a daemon in the end.
        options.ack_timeout = std::chrono::milliseconds(1000);
        options.max_redeliveries = 1000;
        return with_manifest_scopes(options);
    }

    std::string database_;
    const TempDir &dir_;
    std::map<std::string, size_t> index_of_ts_, index_of_user_;
    std::vector<std::string> logs_;
    std::thread pusher_;
};

}  // namespace dlpd::test::crash

#endif
