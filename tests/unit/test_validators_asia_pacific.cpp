// National identifiers of Asia-Pacific and Africa (plugins/validators).
#include <catch2/catch.hpp>

#include "checks.hpp"

using namespace dlpd::validators;

TEST_CASE("in_aadhaar is Verhoeff on twelve digits starting 2-9", "[validators][in_aadhaar]") {
    CHECK(in_aadhaar("2345 6789 0124"));
    CHECK(in_aadhaar("499118665246"));
    CHECK(in_aadhaar("4991-1866-5246"));
    CHECK_FALSE(in_aadhaar("2345 6789 0125"));  // check digit
    CHECK_FALSE(in_aadhaar("2345 6789 0214"));  // adjacent digits swapped: Verhoeff catches it
    CHECK_FALSE(in_aadhaar("1234 5678 9010"));  // Verhoeff-valid, first digit 1
    CHECK_FALSE(in_aadhaar("200009900002"));    // Verhoeff-valid palindrome
}

TEST_CASE("in_pan checks the shape and the holder-type letter", "[validators][in_pan]") {
    CHECK(in_pan("ABCPE1234F"));        // P: a person
    CHECK(in_pan("AAACT1234Q"));        // C: a company
    CHECK_FALSE(in_pan("ABCDE1234F"));  // D is no holder type
    CHECK_FALSE(in_pan("ABCP1E234F"));
    CHECK_FALSE(in_pan("ABCPE12345"));
}

TEST_CASE("in_gstin checks the state code, the PAN inside and the mod-36 check character", "[validators][in_gstin]") {
    CHECK(in_gstin("27AAPFU0939F1ZV"));  // the GSTN's example in its API documentation
    CHECK(in_gstin("29AAGCB7383J1Z4"));
    CHECK_FALSE(in_gstin("27AAPFU0939F1ZW"));  // check character
    CHECK_FALSE(in_gstin("39AAPFU0939F1ZQ"));  // state 39 (check character right)
    CHECK_FALSE(in_gstin("27AAPDU0939F1ZZ"));  // D as holder type (check character right)
    CHECK_FALSE(in_gstin("27AAPFU0939F1YV"));  // 14th character must be Z
}

TEST_CASE("kr_rrn checks the date, the century digit and the check digit", "[validators][kr_rrn]") {
    CHECK(kr_rrn("800101-1234560"));
    CHECK(kr_rrn("8001011234560"));
    CHECK(kr_rrn("900101-5123452"));        // a foreign resident: (13 - sum mod 11) mod 10
    CHECK_FALSE(kr_rrn("900101-5123450"));  // the citizen formula does not apply to them
    CHECK_FALSE(kr_rrn("800101-1234561"));
    CHECK_FALSE(kr_rrn("801301-1234567"));  // month 13 (check digit right)
    CHECK_FALSE(kr_rrn("800230-1234565"));  // 30 February (check digit right)
    CHECK(kr_rrn("800101-1234561", true));  // structure only: numbers issued since 2020
    CHECK_FALSE(kr_rrn("801301-1234561", true));
}

TEST_CASE("kr_brn and kr_driver_license", "[validators][korea]") {
    CHECK(kr_brn("123-45-67891"));
    CHECK_FALSE(kr_brn("123-45-67890"));
    CHECK_FALSE(kr_brn("123-45-6789"));
    CHECK(kr_driver_license("11-12-345678-90"));
    CHECK(kr_driver_license("281234567890"));
    CHECK_FALSE(kr_driver_license("27-12-345678-90"));  // no region 27
    CHECK_FALSE(kr_driver_license("10-12-345678-90"));
}

TEST_CASE("sg_nric checks the S T F G M check letters", "[validators][sg_nric]") {
    for (const char *v : {"S1234567D", "T1234567J", "F1234567N", "G1234567X", "M1234567K", "s1234567d"})
        CHECK(sg_nric(v));
    CHECK_FALSE(sg_nric("S1234567A"));
    CHECK_FALSE(sg_nric("T1234567D"));  // T adds 4
    CHECK_FALSE(sg_nric("M1234567N"));  // M has its own table
    CHECK_FALSE(sg_nric("A1234567D"));
    CHECK_FALSE(sg_nric("S123456D"));
}

TEST_CASE("sg_uen checks formats A, B and C", "[validators][sg_uen]") {
    CHECK(sg_uen("12345678M"));   // A: business
    CHECK(sg_uen("200012345W"));  // B: local company, registered 2000
    CHECK(sg_uen("T08LL0001K"));  // C: limited liability partnership
    CHECK_FALSE(sg_uen("12345678N"));
    CHECK_FALSE(sg_uen("200012345X"));
    CHECK_FALSE(sg_uen("209912345Z"));  // registered in 2099 (check letter right)
    CHECK_FALSE(sg_uen("T08AB0001L"));  // no entity type AB (check letter right)
    CHECK_FALSE(sg_uen("A08LL0001K"));
}

TEST_CASE("au_tfn, au_abn, au_acn and au_medicare apply their weights", "[validators][australia]") {
    CHECK(au_tfn("123 456 782"));  // the ATO's example TFN
    CHECK(au_tfn("876543210"));
    CHECK(au_tfn("10000001"));  // an eight-digit TFN
    CHECK_FALSE(au_tfn("123 456 789"));
    CHECK_FALSE(au_tfn("1234567"));
    CHECK(au_abn("51 824 753 556"));  // the ATO's example ABN
    CHECK(au_abn("53004085616"));
    CHECK_FALSE(au_abn("51 824 753 557"));
    CHECK_FALSE(au_abn("01 824 753 556"));
    CHECK(au_acn("000 000 019"));  // ASIC's examples
    CHECK(au_acn("004 085 616"));
    CHECK(au_acn("000 000 180"));  // check digit 0
    CHECK_FALSE(au_acn("004 085 617"));
    CHECK(au_medicare("2123 45670 1"));
    CHECK(au_medicare("21234567011"));  // with the individual reference number
    CHECK_FALSE(au_medicare("2123 45671 1"));
    CHECK_FALSE(au_medicare("7123 45675 1"));  // first digit 7 (check digit right)
}

TEST_CASE("th_tnin, ph_tin and ng_nin check their check digits", "[validators][asia]") {
    CHECK(th_tnin("1101700203450"));
    CHECK(th_tnin("3-1004-00001-23-7"));
    CHECK_FALSE(th_tnin("1101700203451"));
    CHECK(ph_tin("123-456-782"));
    CHECK(ph_tin("123-456-782-000"));  // with a branch code
    CHECK_FALSE(ph_tin("123-456-783"));
    CHECK_FALSE(ph_tin("123-456-7820"));
    CHECK(ng_nin("12345678902"));
    CHECK(ng_nin("23456789019"));
    CHECK_FALSE(ng_nin("12345678903"));
}

TEST_CASE("za_id checks the birth date, citizenship, the 8/9 digit and Luhn", "[validators][za_id]") {
    CHECK(za_id("8001015009087"));  // Home Affairs' layout example
    CHECK_FALSE(za_id("8001015009088"));
    CHECK_FALSE(za_id("8013015009082"));  // month 13 (Luhn right)
    CHECK_FALSE(za_id("8001015009384"));  // citizenship 3 (Luhn right)
}
