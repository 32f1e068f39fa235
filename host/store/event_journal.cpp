// The Store's action journal: an event's plan (its incidents and decided
// actions, in one transaction), each action marked done with its result, and
// the outcome written back to the incidents. A resumed event reads it to
// continue where its earlier attempt stopped.
#include "store/store.hpp"

#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Exception.h>

#include <algorithm>

#include "store/store_internal.hpp"

using namespace Poco::Data::Keywords;
using Poco::Data::Session;
using dlpd::store_internal::now_ms;

namespace dlpd {

namespace {

std::string join_ids(const std::vector<int64_t> &ids) {
    std::string out;
    for (auto id : ids) out += (out.empty() ? "" : ",") + std::to_string(id);
    return out;
}

void insert_step(Session &s, std::string event_id, std::string step, std::string state, std::string result,
                 std::string detail, int64_t at) {
    s << "INSERT INTO event_steps (event_id, step, state, result, detail, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
        use(event_id), use(step), use(state), use(result), use(detail), use(at), now;
}

}  // namespace

std::optional<std::vector<int64_t>> Store::record_plan(const std::string &event_id, const EventPlan &plan) {
    impl_->fingerprint_secret();  // read (or made) before the write transaction, on a session of its own
    auto turn = impl_->write_turn();
    Session s = impl_->session();
    try {
        store_internal::begin_write(*impl_, s);
        std::string id = event_id;
        int planned = 0;
        s << "SELECT COUNT(*) FROM event_steps WHERE event_id = ? AND step = 'plan'", use(id), into(planned), now;
        if (planned > 0) {
            store_internal::rollback_write(*impl_, s);
            return std::nullopt;
        }
        std::vector<int64_t> ids;
        for (const auto &in : plan.incidents) ids.push_back(store_internal::insert_incident(*this, *impl_, s, in));
        const int64_t at = now_ms();
        // The plan's primary key settles a race between replicas: the second
        // insert fails, and its whole transaction (incidents included) with it.
        insert_step(s, event_id, "plan", "done", join_ids(ids), plan.plan, at);
        for (const auto &step : plan.steps) {
            const auto taken = plan.taken.find(step);
            if (taken != plan.taken.end())
                insert_step(s, event_id, step, "done", taken->second, "{}", at);
            else
                insert_step(s, event_id, step, "decided", "", "{}", at);
        }
        store_internal::commit_write(*impl_, s);
        return ids;
    } catch (const Poco::Exception &e) {
        store_internal::rollback_write(*impl_, s);
        if (store_internal::is_duplicate_key(e)) return std::nullopt;
        impl_->fail("cannot record the event's incidents and plan", e);
    }
}

std::vector<JournalStep> Store::journal(const std::string &event_id) {
    Session s = impl_->session();
    std::vector<std::string> steps, states, results, details;
    std::vector<Poco::Int64> at;
    std::string id = event_id;
    try {
        // The plan is put first below; the order of the actions is the
        // plan's own list (EventPlan::steps, kept in the plan's JSON).
        s << "SELECT step, state, result, detail, updated_at FROM event_steps WHERE event_id = ?", use(id),
            into(steps), into(states), into(results), into(details), into(at), now;
    } catch (const Poco::Exception &e) {
        impl_->fail("cannot read the event's journal", e);
    }
    std::vector<JournalStep> out;
    for (size_t i = 0; i < steps.size(); ++i) out.push_back({steps[i], states[i], results[i], details[i], at[i]});
    std::stable_sort(out.begin(), out.end(), [](const JournalStep &a, const JournalStep &b) {
        return (a.step == "plan") > (b.step == "plan");
    });
    return out;
}

void Store::step_done(const std::string &event_id, const std::string &step, const std::string &result,
                      const std::string &detail) {
    auto turn = impl_->write_turn();
    Session s = impl_->session();
    std::string id = event_id, name = step, res = result, det = detail, state = "done";
    Poco::Int64 at = now_ms();
    try {
        Poco::Data::Statement update(s);
        update << "UPDATE event_steps SET state = ?, result = ?, detail = ?, updated_at = ? WHERE event_id = ? AND "
                  "step = ?",
            use(state), use(res), use(det), use(at), use(id), use(name);
        if (update.execute() == 0) insert_step(s, event_id, step, state, result, detail, at);
    } catch (const Poco::Exception &e) {
        impl_->fail("cannot record a step of the event", e);
    }
}

void Store::record_outcome(const std::string &event_id, const std::vector<int64_t> &incident_ids,
                           const std::string &action_results) {
    auto turn = impl_->write_turn();
    Session s = impl_->session();
    try {
        store_internal::begin_write(*impl_, s);
        for (auto incident : incident_ids) {
            Poco::Int64 id = incident;
            std::string results = action_results;
            s << "UPDATE incidents SET action_results = ? WHERE id = ?", use(results), use(id), now;
        }
        std::string id = event_id, step = "outcome", state = "done", result = "ok", detail = "{}";
        Poco::Int64 at = now_ms();
        Poco::Data::Statement update(s);
        update << "UPDATE event_steps SET state = ?, updated_at = ? WHERE event_id = ? AND step = ?", use(state),
            use(at), use(id), use(step);
        if (update.execute() == 0) insert_step(s, event_id, step, state, result, detail, at);
        store_internal::commit_write(*impl_, s);
    } catch (const Poco::Exception &e) {
        store_internal::rollback_write(*impl_, s);
        impl_->fail("cannot record what the event's actions did", e);
    }
}

}  // namespace dlpd
