// The Luhn check behind the luhn validator plugin.
#include <catch2/catch.hpp>

#include "luhn_check.hpp"

using dlpd::luhn::is_valid_card_number;

TEST_CASE("well-known test card numbers pass Luhn", "[luhn]") {
    for (const char *n : {"4111111111111111", "5555555555554444", "378282246310005", "6011111111111117",
                          "4111 1111 1111 1111", "4111-1111-1111-1111", "3782 822463 10005"})
        CHECK(is_valid_card_number(n));
}

TEST_CASE("one wrong digit, or a swap of adjacent digits, fails Luhn", "[luhn]") {
    CHECK_FALSE(is_valid_card_number("4111111111111112"));
    CHECK_FALSE(is_valid_card_number("5555555555554443"));
    CHECK_FALSE(is_valid_card_number("4111111111111121"));
}

TEST_CASE("only 12 to 19 digits with spaces or dashes are candidates", "[luhn]") {
    CHECK_FALSE(is_valid_card_number("0"));
    CHECK_FALSE(is_valid_card_number("00000000000"));       // 11 digits
    CHECK(is_valid_card_number("000000000000"));            // 12 zeros: checksum 0
    CHECK_FALSE(is_valid_card_number("00000000000000000000"));  // 20 digits
    CHECK_FALSE(is_valid_card_number("4111.1111.1111.1111"));
    CHECK_FALSE(is_valid_card_number("4111111111111111a"));
    CHECK_FALSE(is_valid_card_number(""));
}
