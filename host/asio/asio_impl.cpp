// Asio's and Beast's compiled parts, built once for every target that links
// dlpd_asio (BOOST_ASIO_SEPARATE_COMPILATION and BOOST_BEAST_SEPARATE_COMPILATION
// are set for them), so no other translation unit compiles them again.
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
