// Internal to the transport: how the HTTP session hands an accepted WebSocket
// upgrade to the Socket Mode session (websocket_side.cpp).
#ifndef DLPD_TESTS_SLACK_DOUBLE_BEAST_SESSIONS_HPP
#define DLPD_TESTS_SLACK_DOUBLE_BEAST_SESSIONS_HPP

#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "workspace.hpp"

namespace dlpd::test::slack_double {

// Takes over the stream, completes the handshake, registers the connection
// with the workspace (which sends hello) and runs until the socket closes.
void start_socket_mode_session(boost::beast::tcp_stream stream,
                               boost::beast::http::request<boost::beast::http::string_body> upgrade,
                               Workspace &workspace);

}  // namespace dlpd::test::slack_double

#endif
