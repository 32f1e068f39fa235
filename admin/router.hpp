// The admin's request handler factory: its only job is routing a path to
// the handler of that resource.
#ifndef DLPD_ADMIN_ROUTER_HPP
#define DLPD_ADMIN_ROUTER_HPP

#include <Poco/Net/HTTPRequestHandlerFactory.h>

#include "admin/admin_context.hpp"

namespace dlpd {

class AdminRouter : public Poco::Net::HTTPRequestHandlerFactory {
public:
    explicit AdminRouter(AdminContext &context) : context_(context) {}
    Poco::Net::HTTPRequestHandler *createRequestHandler(const Poco::Net::HTTPServerRequest &request) override;

private:
    AdminContext &context_;
};

}  // namespace dlpd

#endif
