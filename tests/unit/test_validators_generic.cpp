// Network, generic and registry-wide properties of the validators
// (plugins/validators): every validator survives any bytes.
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "registry.hpp"

using namespace dlpd::validators;
using namespace std::string_literals;

TEST_CASE("ipv4 accepts dotted quads 0-255 without leading zeros, optionally with a prefix", "[validators][ipv4]") {
    for (const char *v : {"192.0.2.1", "0.0.0.0", "255.255.255.255", "10.0.0.0/8", "198.51.100.7/32"}) CHECK(ipv4(v));
    for (const char *v : {"256.0.0.1", "192.0.2", "192.0.2.1.5", "192.0.2.01", "192.0.2.1/33", "192.0.2.1/", "192..2.1",
                          "1.2.3.a", "192.0.2.1 x"})
        CHECK_FALSE(ipv4(v));
}

TEST_CASE("ipv6 accepts RFC 4291 text forms, a zone id and a prefix", "[validators][ipv6]") {
    for (const char *v : {"2001:db8::1", "2001:0DB8:0000:0000:0000:0000:0000:0001", "::1", "::", "fe80::1%eth0",
                          "::ffff:192.0.2.1", "2001:db8::/32", "2001:db8:85a3::8a2e:370:7334"})
        CHECK(ipv6(v));
    for (const char *v : {"2001:db8:::1", "2001:db8::1::2", "12345::", "2001:db8::g", "192.0.2.1", "fe80::1%",
                          "2001:db8::/129", "1:2:3:4:5:6:7:8:9", ":"})
        CHECK_FALSE(ipv6(v));
    CHECK_FALSE(ipv6("::1\0"s));  // a NUL inside is not cut off
}

TEST_CASE("mac_address accepts the three IEEE notations, not all zeros or broadcast", "[validators][mac_address]") {
    for (const char *v : {"00:1A:2B:3C:4D:5E", "00-1a-2b-3c-4d-5e", "001a.2b3c.4d5e", "001A2B3C4D5E"})
        CHECK(mac_address(v));
    for (const char *v : {"00:1A:2B:3C:4D", "00:1A-2B:3C:4D:5E", "00:1A:2B:3C:4D:5G", "00:00:00:00:00:00",
                          "FF:FF:FF:FF:FF:FF", "001a:2b3c:4d5e"})
        CHECK_FALSE(mac_address(v));
}

TEST_CASE("email checks the local part, the domain labels and the TLD's shape", "[validators][email]") {
    for (const char *v :
         {"jane.doe@example.com", "j+tag@mail.example.co.uk", "x@xn--80ak6aa92e.xn--p1ai", "o'brien@example.ie"})
        CHECK(email(v));
    for (const char *v :
         {"jane@localhost", "jane@example.c0m", ".jane@example.com", "ja..ne@example.com", "jane@-example.com",
          "jane@example..com", "@example.com", "jane@example.c", "ja ne@example.com"})
        CHECK_FALSE(email(v));
    CHECK_FALSE(email(std::string(65, 'a') + "@example.com"));  // local part over 64
}

TEST_CASE("icao_9303 checks the 7-3-1 check digit of machine-readable zones", "[validators][icao_9303]") {
    CHECK(icao_9303("L898902C36"));  // ICAO Doc 9303 part 4 specimen passport number
    CHECK(icao_9303("7408122"));     // its date of birth field
    CHECK(icao_9303("L01X00T471"));  // the German specimen identity card (Erika Mustermann)
    CHECK_FALSE(icao_9303("L898902C37"));
    CHECK_FALSE(icao_9303("L898902C3X"));
    CHECK_FALSE(icao_9303("L898-902C36"));
}

TEST_CASE("shannon_bits_per_char measures bits per byte", "[validators][entropy]") {
    CHECK(shannon_bits_per_char("") == 0.0);
    CHECK(shannon_bits_per_char("aaaa") == 0.0);
    CHECK(shannon_bits_per_char("abab") == Approx(1.0));
    CHECK(shannon_bits_per_char("abcd") == Approx(2.0));
    CHECK(shannon_bits_per_char("0123456789abcdef") == Approx(4.0));
}

TEST_CASE("entropy accepts at or above the threshold and reads only sane thresholds", "[validators][entropy]") {
    CHECK(entropy("abcd", 2.0));
    CHECK_FALSE(entropy("abcd", 2.01));
    CHECK(entropy("wJalrXUtnFEMI/K7MDENG/bPxRfiCY", 3.5));
    CHECK_FALSE(entropy("passwordpassword", 3.5));
    CHECK(parse_entropy_threshold("3.5") == 3.5);
    CHECK(parse_entropy_threshold("4") == 4.0);
    for (const char *bad : {"", "0", "8.5", "-1", "3,5", "abc", "3.5x", " 3.5", "1e1", ".5", "nan", "inf"})
        CHECK_FALSE(parse_entropy_threshold(bad).has_value());
}

TEST_CASE("placeholder rejects masks, template markers and stand-in words", "[validators][placeholder]") {
    for (const char *v : {"xxxx-xxxx-xxxx-1234", "XXXXXXXXXXXX", "****-****-****-1111", "sk_live_EXAMPLEKEY123",
                          "your_api_key_here", "<your-token>", "${SLACK_BOT_TOKEN}", "{{ token }}", "dummy-secret-42",
                          "sk_test_4eC39HqLyjWDarjtT1zdp7dc", "TEST-KEY-9f8e", "changeme", "REDACTED", "sample123"})
        CHECK_FALSE(placeholder(v));
}

TEST_CASE("placeholder rejects repeats, sequences and documented test values", "[validators][placeholder]") {
    for (const char *v : {"aaaaaaaa", "0000000000", "123456789", "abcdefgh", "9876543210", "abcabcabc", "12121212",
                          "AKIAIOSFODNN7EXAMPLE", "4111 1111 1111 1111", "4242-4242-4242-4242", "078-05-1120",
                          "GB82 WEST 1234 5698 7654 32", "QQ 12 34 56 C", "",
                          "sntryu_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
        CHECK_FALSE(placeholder(v));
}

TEST_CASE("placeholder accepts real-looking values", "[validators][placeholder]") {
    for (const char *v : {"AKIA2OGYBAH6Q7TPNZUR", "xoxb-2211402-9f3Qk7LmZp", "536-22-8726", "4556 7375 8689 9855",
                          "DE75 5121 0800 1245 1261 99", "contest-winner-7Qz", "q8Rv2mKx9LpW", "ab",
                          "sl7kq2mAAAAAAAAAA9xP3vQ"})
        CHECK(placeholder(v));
}

TEST_CASE("the registry names each validator once, in the rule-name alphabet", "[validators][registry]") {
    std::set<std::string_view> names;
    for (const Check &c : kChecks) {
        INFO(c.name);
        CHECK(names.insert(c.name).second);
        CHECK(!c.name.empty());
        for (char ch : c.name) CHECK(((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_'));
        CHECK(c.validate != nullptr);
        CHECK(c.check_args != nullptr);
    }
    for (std::string_view wanted :
         {"iban",        "aba_routing", "us_ssn", "us_itin",        "us_npi",      "medical_license", "us_dea",
          "uk_nhs",      "uk_nino",     "es_nif", "it_fiscal_code", "it_vat",      "pl_pesel",        "se_personnummer",
          "fi_hetu",     "in_aadhaar",  "in_pan", "in_gstin",       "kr_rrn",      "sg_nric",         "sg_uen",
          "au_tfn",      "au_abn",      "au_acn", "au_medicare",    "th_tnin",     "tr_tckn",         "ng_nin",
          "base58check", "bech32",      "ipv4",   "ipv6",           "mac_address", "email",           "entropy",
          "placeholder"})
        CHECK(find_check(wanted) != nullptr);
    CHECK(find_check("luhn") == nullptr);  // the luhn plugin's
}

TEST_CASE("check_args: only entropy and kr_rrn take an argument", "[validators][registry]") {
    for (const Check &c : kChecks) {
        INFO(c.name);
        if (c.name == "entropy") {
            CHECK(c.check_args("3.5").empty());
            CHECK_FALSE(c.check_args("").empty());
            CHECK_FALSE(c.check_args("lots").empty());
        } else if (c.name == "kr_rrn") {
            CHECK(c.check_args("").empty());
            CHECK(c.check_args("structure").empty());
            CHECK_FALSE(c.check_args("strict").empty());
        } else {
            CHECK(c.check_args("").empty());
            CHECK_FALSE(c.check_args("1").empty());
        }
    }
}

TEST_CASE("every validator rejects garbage: empty, NUL bytes, non-ASCII, huge input", "[validators][garbage]") {
    const std::string huge_digits(1 << 20, '7');
    std::string huge_random(1 << 20, '\0');
    uint32_t x = 12345;
    for (char &c : huge_random) c = static_cast<char>((x = x * 1103515245u + 12345u) >> 24);
    const std::string inputs[] = {""s,
                                  "\0"s,
                                  "\0\0\0\0\0\0\0\0\0\0\0\0"s,
                                  "\xff\xfe\xfd"s,
                                  "\xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97"s,  // CJK in UTF-8
                                  "12345678Z\0"s,
                                  "GB82WEST12345698765432\0"s,
                                  huge_digits,
                                  huge_random};
    for (const Check &c : kChecks) {
        if (c.name == "placeholder" || c.name == "uk_vehicle_registration") continue;  // accept by design
        const std::string_view args = c.name == "entropy" ? "8" : "";                  // random bytes come close to 8
        for (const std::string &in : inputs) {
            INFO(c.name << " on " << in.size() << " bytes");
            CHECK_FALSE(c.validate(in, args));
        }
    }
}

TEST_CASE("every validator survives every single byte and every short prefix of valid values",
          "[validators][garbage]") {
    const std::string valid[] = {"GB82 WEST 1234 5698 7654 32",
                                 "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",
                                 "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa",
                                 "RSSMRA85T10A562S",
                                 "2001:db8::1",
                                 "131052-308T",
                                 "3-1004-00001-23-7",
                                 "T08LL0001K",
                                 "x@example.com"};
    for (const Check &c : kChecks) {
        for (int b = 0; b < 256; ++b) (void)c.validate(std::string(1, static_cast<char>(b)), "3");
        for (const std::string &v : valid)
            for (std::size_t n = 0; n <= v.size(); ++n) (void)c.validate(std::string_view(v).substr(0, n), "");
    }
    SUCCEED("no validator crashed");
}

TEST_CASE("a valid value followed by junk is rejected", "[validators][garbage]") {
    CHECK(find_check("iban")->validate("GB82 WEST 1234 5698 7654 32", ""));
    CHECK_FALSE(find_check("iban")->validate("GB82 WEST 1234 5698 7654 32!", ""));
    CHECK_FALSE(find_check("uk_nhs")->validate("943 476 5919\n", ""));
    CHECK_FALSE(find_check("sg_nric")->validate("S1234567D.", ""));
}
