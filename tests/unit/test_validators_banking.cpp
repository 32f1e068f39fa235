// Bank account and cryptocurrency address validators (plugins/validators).
#include <catch2/catch.hpp>

#include "checks.hpp"

using namespace dlpd::validators;

TEST_CASE("iban accepts the registry's examples, with or without group spaces", "[validators][iban]") {
    // SWIFT IBAN Registry examples ("IBAN electronic format example" per country).
    for (const char *v : {"GB82WEST12345698765432", "GB82 WEST 1234 5698 7654 32", "DE89 3704 0044 0532 0130 00",
                          "FR76 3000 6000 0112 3456 7890 189", "NO93 8601 1117 947", "BE68 5390 0754 7034",
                          "NL91 ABNA 0417 1643 00", "MT84 MALT 0110 0001 2345 MTLC AST0 01S",
                          "LC55 HEMM 0001 0001 0012 0012 0002 3015", "SC18 SSCB 1101 0000 0000 0000 1497 USD"})
        CHECK(iban(v));
    CHECK(iban("gb82 west 1234 5698 7654 32"));  // typed in lower case
}

TEST_CASE("iban rejects a wrong check, a wrong length for the country, an unknown country", "[validators][iban]") {
    CHECK_FALSE(iban("GB83 WEST 1234 5698 7654 32"));    // check digits off by one
    CHECK_FALSE(iban("GB82 WEST 1234 5698 7654 23"));    // two digits swapped
    CHECK_FALSE(iban("GB82 WEST 1234 5698 7654 321"));   // 23 characters, GB has 22
    CHECK_FALSE(iban("NO93 8601 1117 94"));              // 14 characters, NO has 15
    CHECK_FALSE(iban("XX82 WEST 1234 5698 7654 32"));    // no such country
    CHECK_FALSE(iban("GB82-WEST-1234-5698-7654-32"));    // dashes are not IBAN separators
    CHECK_FALSE(iban("GB82WEST1234569876543\xc3\xa9"));  // a non-ASCII letter
    CHECK_FALSE(iban("GB00 WEST 1234 5698 7654 32"));    // check digits 00 are never issued
}

TEST_CASE("aba_routing accepts published routing numbers, rejects bad checks and prefixes", "[validators][aba]") {
    // Federal Reserve E-Payments Routing Directory entries: FRB Boston,
    // JPMorgan Chase, Bank of America, Wells Fargo.
    for (const char *v : {"011000015", "021000021", "026009593", "121000358", "0110-0001-5"}) CHECK(aba_routing(v));
    CHECK_FALSE(aba_routing("011000016"));    // check digit
    CHECK_FALSE(aba_routing("021000012"));    // swapped
    CHECK_FALSE(aba_routing("01100001"));     // eight digits
    CHECK_FALSE(aba_routing("000000000"));    // all zeros passes 3-7-1 but is no bank
    CHECK_FALSE(aba_routing("501000017"));    // 50 is no Federal Reserve routing symbol (3-7-1 sum is 0 mod 10)
    CHECK_FALSE(aba_routing("0110 0001 5"));  // spaces are not used
}

TEST_CASE("base58check accepts P2PKH, P2SH and testnet addresses", "[validators][base58check]") {
    CHECK(base58check("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"));  // the genesis block's address
    CHECK(base58check("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"));  // Bitcoin wiki, "Address"
    CHECK(base58check("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"));  // Bitcoin wiki, P2SH example
    CHECK(base58check("mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJRfn"));  // testnet P2PKH
}

TEST_CASE("base58check rejects a bad checksum, a foreign version byte and non-base58 characters",
          "[validators][base58check]") {
    CHECK_FALSE(base58check("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb"));   // last character changed
    CHECK_FALSE(base58check("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfN"));    // one character short
    CHECK_FALSE(base58check("LKDyUEtTR1HXamkiEphisSiBJu6o3ZPE34"));   // valid checksum, Litecoin version 0x30
    CHECK_FALSE(base58check("1A1zP1eP5QGefi2DMPTfTL5SLmv7Divf0a"));   // '0' is not base58
    CHECK_FALSE(base58check("11A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"));  // an extra leading zero byte
    CHECK_FALSE(base58check("zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"));   // more than 25 bytes
}

TEST_CASE("bech32 accepts BIP-173 and BIP-350 addresses", "[validators][bech32]") {
    CHECK(bech32("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"));                      // BIP-173, P2WPKH
    CHECK(bech32("BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4"));                      // the same in upper case
    CHECK(bech32("tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7"));  // BIP-173, testnet P2WSH
    CHECK(bech32("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0"));  // BIP-350 / BIP-86, P2TR
}

TEST_CASE("bech32 rejects the wrong checksum constant, mixed case, bad lengths and other networks",
          "[validators][bech32]") {
    CHECK_FALSE(bech32("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh"));  // v0 with a bech32m checksum
    CHECK_FALSE(bech32("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd"));  // v1 with bech32
    CHECK_FALSE(bech32("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5"));   // checksum character changed
    CHECK_FALSE(bech32("bc1qW508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"));   // mixed case
    CHECK_FALSE(bech32("bc1qqqqqqqqqqqqqqqqqqqqqqqqqqqv8de0q"));         // v0 program of 16 bytes
    CHECK_FALSE(bech32("ltc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"));  // another human-readable part
    CHECK_FALSE(bech32("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3tb"));   // 'b' is not in the charset
}
