// The crash test of issue 18: the real `dlpd run` against the Slack double,
// killed with SIGKILL at random moments and once stopped with SIGTERM while a
// stream of messages arrives. Whatever each restart replays, every sensitive
// message must end up deleted once, with one notice and one incident, no
// harmless message touched and nothing pending.
//
// DLPD_CRASH_SEED=N replays a run's plan: the stream, the pauses between
// pushes, when each stop comes and what it waits for. The interleaving of the
// daemon's threads with the test's is not replayable; the seed makes a
// failing plan easy to run again until it fails the same way.
// DLPD_CRASH_LOG_DIR=DIR keeps each run's log of the daemon there
// (dlpd-run-N.log), which the temporary folder would otherwise take away.
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
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string_view>
#include <thread>

#include "mariadb_server.hpp"
#include "slack_harness.hpp"

extern char **environ;

using namespace dlpd;
using namespace dlpd::test;

namespace {

constexpr size_t kMessages = 300;
constexpr double kSensitiveShare = 0.2;
constexpr double kThreadReplyShare = 0.25;
constexpr int kKills = 4;  // and one SIGTERM among them
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
std::string card_number(std::mt19937_64 &rng, bool valid) {
    std::string digits = "4";
    for (int i = 0; i < 14; ++i) digits += static_cast<char>('0' + rng() % 10);
    char check = luhn_check_digit(digits);
    if (!valid) check = static_cast<char>('0' + (check - '0' + 1) % 10);
    digits += check;
    return digits.substr(0, 4) + " " + digits.substr(4, 4) + " " + digits.substr(8, 4) + " " + digits.substr(12, 4);
}

// Each sensitive message has its own author, so that the notice answering
// it ("A message from <@U…> was removed…") names it.
std::vector<StreamMessage> make_stream(std::mt19937_64 &rng) {
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
    std::string describe() const {
        std::ostringstream out;
        out << (signal == SIGKILL ? "SIGKILL" : "SIGTERM") << " once " << after_pushed << " messages were pushed, ";
        if (moment == Moment::time)
            out << "then " << delay.count() / 1000 << " ms";
        else
            out << "then " << calls << " more " << (moment == Moment::delete_call ? "chat.delete" : "chat.postMessage")
                << " answered and " << delay.count() << " us";
        return out.str();
    }
};

// A kill at a random time seldom lands between an action and its record (a
// few milliseconds per sensitive message), so kills also come right after a
// chat.delete or a notice was answered: among the SIGKILLs each kind of
// moment comes at least once, in a random order.
std::vector<Stop> make_plan(std::mt19937_64 &rng) {
    std::uniform_int_distribution<size_t> point(10, kMessages * 4 / 5);
    std::vector<size_t> points;
    for (int i = 0; i <= kKills; ++i) points.push_back(point(rng));
    std::sort(points.begin(), points.end());
    std::vector<Stop::Moment> kill_moments;
    for (int i = 0; i < kKills; ++i) kill_moments.push_back(static_cast<Stop::Moment>(i < 3 ? i : rng() % 3));
    std::shuffle(kill_moments.begin(), kill_moments.end(), rng);
    const int sigterm_at = static_cast<int>(rng() % (kKills + 1));
    std::vector<Stop> plan;
    for (int i = 0; i <= kKills; ++i) {
        Stop s;
        s.signal = i == sigterm_at ? SIGTERM : SIGKILL;
        s.after_pushed = points[i];
        if (s.signal == SIGTERM) {
            s.moment = static_cast<Stop::Moment>(rng() % 3);
        } else {
            s.moment = kill_moments.back();
            kill_moments.pop_back();
        }
        if (s.moment == Stop::Moment::time) {
            s.delay = std::chrono::microseconds(rng() % 400000);
        } else {
            s.calls = 1 + static_cast<int>(rng() % 3);
            s.delay = std::chrono::microseconds(rng() % 2000);
        }
        plan.push_back(s);
    }
    return plan;
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

std::string describe_status(int status) {
    if (WIFEXITED(status)) return "exit " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status)) return "killed (" + std::string(strsignal(WTERMSIG(status))) + ")";
    return "status " + std::to_string(status);
}

std::string arg_of(const ApiCall &call, const std::string &name) {
    try {
        auto object = Poco::JSON::Parser().parse(call.body).extract<Poco::JSON::Object::Ptr>();
        return object->has(name) ? object->get(name).toString() : std::string();
    } catch (const Poco::Exception &) {
        return {};
    }
}

std::string lines(const std::vector<std::string> &items) {
    std::string out;
    for (const auto &i : items) out += "  " + i + "\n";
    return out.empty() ? "  (none)\n" : out;
}

// What the issue asks of the stream's end state, from the double's records
// and the store, each property with the messages that break it.
void check_outcome(const std::vector<StreamMessage> &stream, const SlackDouble &slack, Store &store) {
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
    // (e): the daemon has stopped; nothing is left to resume.
    const auto pending = store.pending_events();
    std::vector<std::string> pending_ids;
    for (const auto &p : pending) pending_ids.push_back(p.event_id);
    INFO("(e) events pending at the end:\n" << lines(pending_ids));
    CHECK(pending.empty());
}

uint64_t crash_seed() {
    if (const char *text = std::getenv("DLPD_CRASH_SEED"); text && *text) return std::stoull(text);
    std::random_device device;
    return (uint64_t{device()} << 32) ^ device();
}

void run_crash_test(const std::string &database, const TempDir &dir) {
    const uint64_t seed = crash_seed();
    std::cout << "crash test seed: " << seed << " (DLPD_CRASH_SEED=" << seed << " replays it)" << std::endl;
    INFO("DLPD_CRASH_SEED=" << seed);
    std::mt19937_64 rng(seed);
    auto stream = make_stream(rng);
    const auto plan = make_plan(rng);
    std::mt19937_64 push_rng(rng());

    LogCapture quiet;  // the double's client-side lines stay out of the output
    SlackDoubleOptions options;
    // Slack redelivers an unacknowledged envelope; here until it is acked, so
    // that every message of the stream reaches the daemon in the end.
    options.ack_timeout = std::chrono::milliseconds(1000);
    options.max_redeliveries = 1000;
    SlackDouble slack(with_manifest_scopes(options));
    slack.start();
    for (const auto &c : kChannels) slack.add_channel(c);

    const auto pack = dir.write("crash-pack.yaml", kRulePack);
    const auto key_file = dir.path() / "dlpd.key";
    const auto config =
        dir.write("dlpd.yaml", "log:\n  level: info\nplugins:\n  dirs: [" + kPluginDir.string() +
                                   "]\nrules:\n  pack: " + pack.string() + "\ndatabase:\n  url: '" + database +
                                   "'\n  key_file: " + key_file.string() + "\nslack:\n  api_url: " + slack.api_url() +
                                   "\n  app_token: ${SLACK_APP_TOKEN}\n  bot_token: ${SLACK_BOT_TOKEN}"
                                   "\n  user_token: ${SLACK_USER_TOKEN}\n  reconnect_max_seconds: 2\n"
                                   // A killed run's events are taken over by its restart after this.
                                   "  event_lease_seconds: 2\npolicy:\n"
                                   "  actions: delete,notify\n  notice: in_place\nadmin:\n  listen: 127.0.0.1:0\n");

    // The stream arrives whether the daemon is up or not; the double keeps
    // what no socket takes for the next connection.
    std::atomic<size_t> pushed{0};
    std::thread pusher([&] {
        std::uniform_int_distribution<int> gap_ms(0, 50);
        for (auto &m : stream) {
            std::this_thread::sleep_for(std::chrono::milliseconds(gap_ms(push_rng)));
            m.envelope = slack.push_message_event(m.channel, m.user, m.text, m.ts, m.thread_ts);
            ++pushed;
        }
    });
    struct JoinAtExit {
        std::thread &t;
        ~JoinAtExit() {
            if (t.joinable()) t.join();
        }
    } join_pusher{pusher};

    Daemon daemon(config, slack);
    std::string history;  // what happened to each run, for the failure messages
    int runs = 0;
    auto start_daemon = [&] {
        const int before = slack.total_connections();
        daemon.start(dir.path() / ("dlpd-run-" + std::to_string(++runs) + ".log"));
        const auto end = std::chrono::steady_clock::now() + kConnectWait;
        while (std::chrono::steady_clock::now() < end && daemon.running())
            if (slack.wait_for([&] { return slack.total_connections() > before && slack.open_connections() > 0; },
                               std::chrono::milliseconds(100)))
                return true;
        return false;
    };
    auto run_log = [&] { return slurp(dir.path() / ("dlpd-run-" + std::to_string(runs) + ".log")); };

    for (const auto &stop : plan) {
        if (!start_daemon()) {
            INFO(history << "run " << runs << "'s log:\n" << run_log());
            FAIL("run " << runs << " of dlpd did not open a Socket Mode connection");
        }
        while (pushed < stop.after_pushed) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        if (stop.moment == Stop::Moment::time) {
            std::this_thread::sleep_for(stop.delay);
        } else {
            const std::string method = stop.moment == Stop::Moment::delete_call ? "chat.delete" : "chat.postMessage";
            const size_t target = slack.calls(method).size() + static_cast<size_t>(stop.calls);
            // Gives up once the stream is over and no call came for 2 s.
            auto last_change = std::chrono::steady_clock::now();
            size_t last = 0;
            while (daemon.running()) {
                if (slack.wait_for([&] { return slack.calls(method).size() >= target; }, std::chrono::milliseconds(50)))
                    break;
                const size_t now_calls = slack.calls().size();
                if (now_calls != last) {
                    last = now_calls;
                    last_change = std::chrono::steady_clock::now();
                }
                if (pushed == stream.size() && std::chrono::steady_clock::now() - last_change > std::chrono::seconds(2))
                    break;
            }
            std::this_thread::sleep_for(stop.delay);
        }
        const int status = daemon.stop(stop.signal);
        history += "run " + std::to_string(runs) + ": " + stop.describe() + " (pushed " +
                   std::to_string(pushed.load()) + ", chat.delete calls " +
                   std::to_string(slack.calls("chat.delete").size()) + "): " + describe_status(status) + "\n";
        {
            INFO(history << "run " << runs << "'s log:\n" << run_log());
            if (stop.signal == SIGTERM) {
                CHECK(WIFEXITED(status));
                CHECK(WEXITSTATUS(status) == 0);
            } else {  // not ended before the kill
                CHECK(WIFSIGNALED(status));
                CHECK(WTERMSIG(status) == SIGKILL);
            }
        }
        slack.wait_for([&] { return slack.open_connections() == 0; }, std::chrono::seconds(10));
    }

    // The last run: everything the stream brought is done, then SIGTERM.
    const bool connected = start_daemon();
    pusher.join();
    {
        INFO(history << "run " << runs << "'s log:\n" << run_log());
        REQUIRE(connected);
    }
    std::string url_error;
    const auto url = parse_database_url(database, url_error);
    REQUIRE(url);
    StoreOptions store_options;
    store_options.pool_size = 2;
    store_options.key_file = key_file;
    auto store = Store::open(*url, store_options);
    auto acked = [&] {
        std::set<std::string> ids;
        for (const auto &a : slack.acks()) ids.insert(a.envelope_id);
        return ids;
    };
    auto deleted_ok = [&] {
        std::set<std::string> ts;
        for (const auto &c : slack.calls("chat.delete"))
            if (c.error.empty() && c.http_status == 200) ts.insert(arg_of(c, "ts"));
        return ts;
    };
    auto settled = [&] {
        const auto ids = acked();
        const auto gone = deleted_ok();
        for (const auto &m : stream)
            if (!ids.count(m.envelope) || (m.sensitive && !gone.count(m.ts))) return false;
        return store->pending_events().empty();
    };
    const auto settle_end = std::chrono::steady_clock::now() + kSettleWait;
    while (!settled() && daemon.running() && std::chrono::steady_clock::now() < settle_end)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const bool idle = settled();
    const int last_status = daemon.stop(SIGTERM);
    history += "run " + std::to_string(runs) + ": the last, SIGTERM once idle: " + describe_status(last_status) + "\n";
    if (const char *keep = std::getenv("DLPD_CRASH_LOG_DIR"); keep && *keep) {
        std::filesystem::create_directories(keep);
        for (int r = 1; r <= runs; ++r) {
            const std::string name = "dlpd-run-" + std::to_string(r) + ".log";
            std::filesystem::copy_file(dir.path() / name, std::filesystem::path(keep) / name,
                                       std::filesystem::copy_options::overwrite_existing);
        }
    }
    std::cout << "crash test seed " << seed << ", " << database.substr(0, database.find(':')) << ":\n" << history;
    {
        INFO(history << "run " << runs << "'s log:\n" << run_log());
        CHECK(idle);
        CHECK(WIFEXITED(last_status));
        CHECK(WEXITSTATUS(last_status) == 0);
    }
    INFO(history);

    check_outcome(stream, slack, *store);
}

bool mariadb_installed() {
    return std::filesystem::exists("/usr/sbin/mariadbd") || run("command -v mariadbd").exit_code == 0;
}

}  // namespace

TEST_CASE(
    "crash test on SQLite: after SIGKILLs and a SIGTERM amid a stream each sensitive message is deleted once "
    "with one notice and one incident and nothing else is touched or left pending",
    "[slack][e2e][process][crash]") {
    TempDir dir;
    run_crash_test("sqlite:" + (dir.path() / "dlpd.db").string(), dir);
}

TEST_CASE(
    "crash test on MariaDB: after SIGKILLs and a SIGTERM amid a stream each sensitive message is deleted once "
    "with one notice and one incident and nothing else is touched or left pending",
    "[slack][e2e][process][crash]") {
    if (!mariadb_installed()) {
        WARN("mariadbd is not installed: the MariaDB crash test is skipped");
        return;
    }
    TempDir dir;
    auto &server = MariaDbServer::instance();
    run_crash_test(server.url(server.fresh_database()), dir);
}
