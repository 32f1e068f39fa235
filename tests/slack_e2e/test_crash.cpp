// The crash tests of issue 18: the real `dlpd run` against the Slack double,
// killed with SIGKILL at random moments while a stream of messages arrives.
// Whatever each restart or surviving replica replays, every sensitive message
// must end up deleted once, with one notice and one incident, no harmless
// message touched and nothing pending.
//
// - One daemon, SIGKILLed four times and stopped with SIGTERM once amid the
//   stream and restarted each time, on SQLite and on MariaDB.
// - Replicas: two daemons share one MariaDB database; one is SIGKILLed
//   mid-stream and the other takes over its pending events (or, in a second
//   section, its restart and the other race for them).
//
// DLPD_CRASH_SEED=N replays a run's plan; DLPD_CRASH_LOG_DIR=DIR keeps the
// daemons' logs (crash_harness.hpp).
#include "crash_harness.hpp"
#include "mariadb_server.hpp"

using namespace dlpd;
using namespace dlpd::test;
using namespace dlpd::test::crash;

namespace {

constexpr int kKills = 4;  // and one SIGTERM among them

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
        draw_moment(rng, s);
        plan.push_back(s);
    }
    return plan;
}

uint64_t announce_seed(const std::string &test) {
    const uint64_t seed = crash_seed();
    std::cout << test << " seed: " << seed << " (DLPD_CRASH_SEED=" << seed << " replays it)" << std::endl;
    return seed;
}

void run_crash_test(const std::string &database, const TempDir &dir) {
    const uint64_t seed = announce_seed("crash test");
    INFO("DLPD_CRASH_SEED=" << seed);
    std::mt19937_64 rng(seed);
    CrashRig rig(database, dir, rng);
    const auto plan = make_plan(rng);
    rig.start_pushing(rng());

    Daemon daemon(rig.config, rig.slack);
    std::string history;  // what happened to each run, for the failure messages
    int runs = 0;
    auto log_name = [&] { return "dlpd-run-" + std::to_string(runs) + ".log"; };
    auto start_daemon = [&] { return rig.start(daemon, "dlpd-run-" + std::to_string(++runs) + ".log"); };

    for (const auto &stop : plan) {
        if (!start_daemon()) {
            INFO(history << "run " << runs << "'s log:\n" << rig.log(log_name()));
            FAIL("run " << runs << " of dlpd did not open a Socket Mode connection");
        }
        rig.wait_for(stop, daemon);
        const int status = daemon.stop(stop.signal);
        history += "run " + std::to_string(runs) + ": " + stop.describe() + " (pushed " +
                   std::to_string(rig.pushed.load()) + ", chat.delete calls " +
                   std::to_string(rig.slack.calls("chat.delete").size()) + "): " + describe_status(status) + "\n";
        {
            INFO(history << "run " << runs << "'s log:\n" << rig.log(log_name()));
            if (stop.signal == SIGTERM) {
                CHECK(WIFEXITED(status));
                CHECK(WEXITSTATUS(status) == 0);
            } else {  // not ended before the kill
                CHECK(WIFSIGNALED(status));
                CHECK(WTERMSIG(status) == SIGKILL);
            }
        }
        rig.slack.wait_for([&] { return rig.slack.open_connections() == 0; }, std::chrono::seconds(10));
    }

    // The last run: everything the stream brought is done, then SIGTERM.
    const bool connected = start_daemon();
    rig.finish_pushing();
    {
        INFO(history << "run " << runs << "'s log:\n" << rig.log(log_name()));
        REQUIRE(connected);
    }
    auto store = rig.open_store();
    const bool idle = rig.settle(*store, [&] { return daemon.running(); });
    const int last_status = daemon.stop(SIGTERM);
    history += "run " + std::to_string(runs) + ": the last, SIGTERM once idle: " + describe_status(last_status) + "\n";
    rig.keep_logs();
    std::cout << "crash test seed " << seed << ", " << database.substr(0, database.find(':')) << ":\n" << history;
    {
        INFO(history << "run " << runs << "'s log:\n" << rig.log(log_name()));
        CHECK(idle);
        CHECK(WIFEXITED(last_status));
        CHECK(WEXITSTATUS(last_status) == 0);
    }
    INFO(history);

    check_outcome(rig.stream, rig.slack, *store);
}

// The sum of N over a log's lines "... <phrase> N event(s)...".
size_t events_in_log(const std::string &log, const std::string &phrase) {
    size_t total = 0;
    for (size_t at = log.find(phrase); at != std::string::npos; at = log.find(phrase, at + 1))
        total += std::strtoul(log.c_str() + at + phrase.size(), nullptr, 10);
    return total;
}

// Issue 18's replicas: two `dlpd run` (A and B) share one MariaDB database,
// and the double spreads the envelopes over their connections (round robin).
// A is SIGKILLed mid-stream, right after one of its own chat.delete or
// notice calls was answered or at a random time, and is not restarted: B
// takes over A's pending events once their lease (2 s) has run out. With
// `restart`, A is started again too after up to 3 s (before or after the
// lease runs out) and the two race for them.
void run_replica_test(const std::string &database, const TempDir &dir, bool restart) {
    const uint64_t seed = announce_seed(restart ? "replica test (restart)" : "replica test");
    INFO("DLPD_CRASH_SEED=" << seed);
    std::mt19937_64 rng(seed);
    CrashRig rig(database, dir, rng);
    Stop kill;
    kill.after_pushed = std::uniform_int_distribution<size_t>(kMessages / 5, kMessages * 3 / 5)(rng);
    kill.moment = static_cast<Stop::Moment>(rng() % 3);
    draw_moment(rng, kill);
    const auto restart_after = std::chrono::milliseconds(rng() % 3000);
    const uint64_t push_seed = rng();

    const std::string prefix = restart ? "replicas-restart-" : "replicas-takeover-";
    Daemon a(rig.config, rig.slack), b(rig.config, rig.slack);
    std::string history;
    // A alone first: an envelope pushed now can only go to its connection,
    // which tells A's acks from B's.
    {
        const bool connected = rig.start(a, prefix + "A.log");
        INFO("A's log:\n" << rig.log(prefix + "A.log"));
        REQUIRE(connected);
    }
    const std::string probe =
        rig.slack.push_message_event(kChannels[0], "U0ALICE001", "A, are you there?", "1500000000.000001");
    int a_connection = 0;
    REQUIRE(rig.slack.wait_for([&] {
        for (const auto &ack : rig.slack.acks())
            if (ack.envelope_id == probe) return (a_connection = ack.connection) != 0;
        return false;
    }, std::chrono::seconds(30)));
    {
        const bool connected = rig.start(b, prefix + "B.log", 2);
        INFO("B's log:\n" << rig.log(prefix + "B.log"));
        REQUIRE(connected);
    }
    rig.start_pushing(push_seed);

    // A's own calls: those answering messages that A acknowledged.
    auto a_calls = [&](const std::vector<ApiCall> &calls) {
        std::set<std::string> by_a;
        for (const auto &ack : rig.slack.acks())
            if (ack.connection == a_connection) by_a.insert(ack.envelope_id);
        return static_cast<size_t>(std::count_if(calls.begin(), calls.end(), [&](const ApiCall &c) {
            const auto i = rig.message_of(c);
            return i && by_a.count(rig.stream[*i].envelope) > 0;
        }));
    };
    rig.wait_for(kill, a, a_calls);
    const int a_status = a.stop(SIGKILL);
    const size_t pushed_at_kill = rig.pushed;
    // What A left: events pending now that the double first gave to A.
    auto store = rig.open_store();
    std::map<std::string, int> first_connection;  // event id -> connection
    for (const auto &d : rig.slack.deliveries()) first_connection.emplace(d.event_id, d.connection);
    size_t a_left = 0, b_pending = 0, a_acks = 0, b_acks = 0;
    for (const auto &p : store->pending_events()) ++(first_connection[p.event_id] == a_connection ? a_left : b_pending);
    for (const auto &ack : rig.slack.acks()) ++(ack.connection == a_connection ? a_acks : b_acks);
    history += "A: " + kill.describe() + " (pushed " + std::to_string(pushed_at_kill) + ", acknowledged by A " +
               std::to_string(a_acks) + ", by B " + std::to_string(b_acks) + "; then pending: " +
               std::to_string(a_left) + " of A's events, " + std::to_string(b_pending) + " of B's): " +
               describe_status(a_status) + "\n";
    {
        INFO(history << "A's log:\n" << rig.log(prefix + "A.log"));
        CHECK(WIFSIGNALED(a_status));
        CHECK(WTERMSIG(a_status) == SIGKILL);
    }
    if (restart) {
        std::this_thread::sleep_for(restart_after);
        const bool connected = rig.start(a, prefix + "A2.log", 2);
        history += "A restarted " + std::to_string(restart_after.count()) + " ms after the kill\n";
        INFO(history << "A's restart's log:\n" << rig.log(prefix + "A2.log"));
        REQUIRE(connected);
    }

    rig.finish_pushing();
    const bool idle = rig.settle(*store, [&] { return b.running() && (!restart || a.running()); });
    const int b_status = b.stop(SIGTERM);
    history += "B: SIGTERM once idle: " + describe_status(b_status) + "\n";
    const int a2_status = restart ? a.stop(SIGTERM) : 0;
    if (restart) history += "A's restart: SIGTERM once idle: " + describe_status(a2_status) + "\n";
    rig.keep_logs();
    const std::string b_log = rig.log(prefix + "B.log"), a2_log = restart ? rig.log(prefix + "A2.log") : "";
    history += "taken over by B: " + std::to_string(events_in_log(b_log, "took over ")) + " event(s)";
    if (restart)
        history += ", by A's restart: " +
                   std::to_string(events_in_log(a2_log, "took over ") + events_in_log(a2_log, "resuming ")) +
                   " event(s)";
    history += "; Socket Mode connections opened: " + std::to_string(rig.slack.total_connections()) + "\n";
    std::cout << "replica test seed " << seed << (restart ? " (restart)" : "") << ":\n" << history;
    if (a_left == 0) WARN("A had no pending event when it was killed: nothing was taken over from it");
    {
        INFO(history << "B's log:\n" << b_log << (restart ? "A's restart's log:\n" + a2_log : std::string()));
        CHECK(idle);
        CHECK(WIFEXITED(b_status));
        CHECK(WEXITSTATUS(b_status) == 0);
        if (restart) {
            CHECK(WIFEXITED(a2_status));
            CHECK(WEXITSTATUS(a2_status) == 0);
        }
    }
    INFO(history);

    check_outcome(rig.stream, rig.slack, *store);
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

TEST_CASE(
    "crash test of replicas on MariaDB: of two dlpd run sharing the database one is SIGKILLed amid a stream, "
    "the other (or its restart) finishes its pending events, and each sensitive message is deleted once with "
    "one notice and one incident and nothing else is touched or left pending",
    "[slack][e2e][process][crash][replicas]") {
    if (!mariadb_installed()) {
        WARN("mariadbd is not installed: the MariaDB replica crash test is skipped");
        return;
    }
    TempDir dir;
    auto &server = MariaDbServer::instance();
    const std::string database = server.url(server.fresh_database());
    SECTION("the surviving replica takes over the killed one's events") { run_replica_test(database, dir, false); }
    SECTION("the killed replica is restarted beside the survivor") { run_replica_test(database, dir, true); }
}
