#include "admin/connection_guard.hpp"

#include <algorithm>

namespace dlpd {

namespace {

thread_local void *t_current = nullptr;  // the Entry of this thread's connection

// How often the watchdog looks: a deadline is met within this much.
constexpr std::chrono::milliseconds kWatchInterval{200};

}  // namespace

ConnectionGuard::ConnectionGuard(Settings settings)
    : settings_(std::move(settings)),
      // Info: browsers open connections ahead of need and may never use them.
      closed_(LogLevel::info, "admin", "closed a slow connection", settings_.log_summary),
      refused_(LogLevel::warning, "admin",
               "refused a connection over admin.max_connections_per_address (" +
                   std::to_string(settings_.max_per_address) + ")",
               settings_.log_summary),
      watchdog_([this] { watch(); }) {}

ConnectionGuard::~ConnectionGuard() {
    stop();
    watchdog_.join();
}

bool ConnectionGuard::filter(const std::string &address) {
    std::lock_guard lock(mutex_);
    if (stopping_) return false;
    if (settings_.uncapped.contains(address)) return true;
    auto it = per_address_.find(address);
    if (it == per_address_.end() || it->second < settings_.max_per_address) return true;
    refused_.note(address, "");
    return false;
}

bool ConnectionGuard::begin(Poco::Net::StreamSocket &socket, const std::string &address) {
    std::lock_guard lock(mutex_);
    if (stopping_) return false;
    size_t &count = per_address_[address];
    if (!settings_.uncapped.contains(address) && count >= settings_.max_per_address) {
        if (count == 0) per_address_.erase(address);
        refused_.note(address, "");
        return false;
    }
    ++count;
    auto *entry = new Entry{&socket, address, Clock::now() + settings_.header_timeout, "header", this};
    entries_.insert(entry);
    t_current = entry;
    return true;
}

void ConnectionGuard::end() {
    auto *entry = static_cast<Entry *>(t_current);
    if (entry == nullptr) return;
    t_current = nullptr;
    std::lock_guard lock(mutex_);
    entries_.erase(entry);
    if (--per_address_[entry->address] == 0) per_address_.erase(entry->address);
    delete entry;
}

void ConnectionGuard::set_deadline(Entry &entry, Clock::time_point deadline, const char *step) {
    std::lock_guard lock(mutex_);
    entry.deadline = deadline;
    entry.step = step;
}

void ConnectionGuard::header_read() {
    if (auto *entry = static_cast<Entry *>(t_current))
        entry->guard->set_deadline(*entry, Clock::now() + entry->guard->settings_.body_timeout, "body");
}

void ConnectionGuard::body_read() {
    if (auto *entry = static_cast<Entry *>(t_current)) entry->guard->set_deadline(*entry, Clock::time_point::max(), "");
}

void ConnectionGuard::answered() {
    if (auto *entry = static_cast<Entry *>(t_current)) {
        const auto &s = entry->guard->settings_;
        entry->guard->set_deadline(*entry, Clock::now() + s.keep_alive + s.header_timeout, "header");
    }
}

void ConnectionGuard::stop() {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    for (auto *entry : entries_) {
        try {
            entry->socket->shutdown();
        } catch (const std::exception &) {  // already closed by the peer
        }
    }
    wake_.notify_all();
}

void ConnectionGuard::watch() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        wake_.wait_for(lock, kWatchInterval);
        const auto now = Clock::now();
        for (auto *entry : entries_) {
            if (now < entry->deadline) continue;
            closed_.note(entry->address, std::string("its request ") + entry->step + " took too long");
            entry->deadline = Clock::time_point::max();  // once
            try {
                // The connection's blocked read returns; its thread ends it.
                entry->socket->shutdown();
            } catch (const std::exception &) {
            }
        }
        lock.unlock();
        closed_.tick();
        refused_.tick();
        lock.lock();
    }
}

}  // namespace dlpd
