// Running an io_context so that no exception from a handler ends the
// process: what escapes is logged and the loop carries on with the other
// connections. Shared by HTTP Events and Socket Mode.
#ifndef DLPD_HOST_SLACK_IO_LOOP_HPP
#define DLPD_HOST_SLACK_IO_LOOP_HPP

#include <boost/asio/io_context.hpp>

#include <exception>
#include <string>

#include "log.hpp"

namespace dlpd::slack {

// Returns when ioc runs out of work or is stopped. what names the handler
// kind in the log line ("a connection", "a Socket Mode handler"); what
// follows says the rest go on.
inline void run_io_loop(boost::asio::io_context &ioc, const char *component, const std::string &what) {
    for (;;) {
        try {
            ioc.run();
            return;
        } catch (const std::exception &e) {
            log(LogLevel::error, component, what + " failed (" + e.what() + "); the others carry on");
        } catch (...) {
            log(LogLevel::error, component, what + " failed (an unknown exception); the others carry on");
        }
    }
}

}  // namespace dlpd::slack

#endif
