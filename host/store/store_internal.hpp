// For the store's own source files only: what store.cpp shares with the
// files that define further Store members (store/admin_queries.cpp), so that
// Poco stays out of store.hpp and each file keeps to one kind of record.
#ifndef DLPD_HOST_STORE_STORE_INTERNAL_HPP
#define DLPD_HOST_STORE_STORE_INTERNAL_HPP

#include <Poco/Data/AbstractBinding.h>
#include <Poco/Data/Session.h>
#include <Poco/Exception.h>

#include <string>
#include <vector>

#include "store/store.hpp"

namespace dlpd::store_internal {

// A pooled session, set up for the dialect (see Store::Impl::session).
Poco::Data::Session session(Store::Impl &impl);

// Throws a StoreError naming the database (password redacted).
[[noreturn]] void fail(const Store::Impl &impl, const std::string &what, const Poco::Exception &e);

// Reads the incidents that "SELECT <every column> FROM incidents " + tail
// selects; bindings fill tail's placeholders in order.
std::vector<Incident> query_incidents(Poco::Data::Session &s, const std::string &tail,
                                      Poco::Data::AbstractBindingVec bindings);

}  // namespace dlpd::store_internal

#endif
