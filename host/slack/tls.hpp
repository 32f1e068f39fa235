// The TLS client settings every Slack connection uses: TLS 1.2 or newer,
// peers verified against the system's CA store, host names checked, SNI set.
// Internal to host/slack (it brings in Asio's SSL headers).
#ifndef DLPD_HOST_SLACK_TLS_HPP
#define DLPD_HOST_SLACK_TLS_HPP

#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/ssl/stream.hpp>

#include <memory>
#include <string>

namespace dlpd::slack {

inline std::shared_ptr<boost::asio::ssl::context> make_tls_client_context() {
    namespace ssl = boost::asio::ssl;
    auto context = std::make_shared<ssl::context>(ssl::context::tls_client);
    context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                         ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    context->set_default_verify_paths();
    context->set_verify_mode(ssl::verify_peer);
    return context;
}

// Sets SNI and the host-name check on a stream before its handshake.
// Returns false when OpenSSL refuses the name.
template <class SslStream>
bool prepare_tls_stream(SslStream &stream, const std::string &host) {
    stream.set_verify_callback(boost::asio::ssl::host_name_verification(host));
    return SSL_set_tlsext_host_name(stream.native_handle(), host.c_str()) == 1;
}

}  // namespace dlpd::slack

#endif
