// The transport's face toward the rest of the double: it binds, runs the one
// io_context on one background thread, and schedules timers. Implemented in
// http_side.cpp; no Boost types here.
#ifndef DLPD_TESTS_SLACK_DOUBLE_SERVER_HPP
#define DLPD_TESTS_SLACK_DOUBLE_SERVER_HPP

#include <cstdint>
#include <memory>

#include "workspace.hpp"

namespace dlpd::test::slack_double {

class Server : public Scheduler {
public:
    static std::unique_ptr<Server> create(Workspace &workspace);
    // Binds 127.0.0.1:0, attaches itself to the workspace, starts the thread.
    virtual uint16_t start() = 0;
    // Detaches, stops the io_context, joins, and closes every socket.
    virtual void stop() = 0;
};

}  // namespace dlpd::test::slack_double

#endif
