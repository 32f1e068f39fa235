// National identifiers of the Americas and Europe (plugins/validators).
#include <catch2/catch.hpp>

#include "checks.hpp"

using namespace dlpd::validators;

TEST_CASE("us_ssn follows the SSA's area, group and serial rules", "[validators][us_ssn]") {
    for (const char *v : {"536-22-8726", "536 22 8726", "536.22.8726", "536228726", "001-01-0001", "899-99-9998"})
        CHECK(us_ssn(v));
    CHECK_FALSE(us_ssn("000-22-8726"));  // area 000
    CHECK_FALSE(us_ssn("666-22-8726"));  // area 666
    CHECK_FALSE(us_ssn("900-22-8726"));  // area 9xx (ITINs)
    CHECK_FALSE(us_ssn("536-00-8726"));  // group 00
    CHECK_FALSE(us_ssn("536-22-0000"));  // serial 0000
    CHECK_FALSE(us_ssn("536-22 8726"));  // mixed separators
    CHECK_FALSE(us_ssn("5362-2-8726"));  // separators in the wrong places
    CHECK_FALSE(us_ssn("53622872"));     // eight digits
}

TEST_CASE("us_ssn rejects one repeated digit and the SSA's documented samples", "[validators][us_ssn]") {
    CHECK_FALSE(us_ssn("111-11-1111"));
    CHECK_FALSE(us_ssn("078-05-1120"));  // the 1938 wallet-insert number
    CHECK_FALSE(us_ssn("219-09-9999"));  // the SSA's sample card
    CHECK_FALSE(us_ssn("123-45-6789"));
}

TEST_CASE("us_itin needs 9xx and an IRS group", "[validators][us_itin]") {
    for (const char *v : {"912-70-1234", "900-50-0000", "999-99-9999", "950-65-1234", "912-94-1234"}) CHECK(us_itin(v));
    CHECK_FALSE(us_itin("812-70-1234"));  // not 9xx
    CHECK_FALSE(us_itin("912-49-1234"));  // group below 50
    CHECK_FALSE(us_itin("912-66-1234"));  // 66-69 unassigned
    CHECK_FALSE(us_itin("912-89-1234"));  // 89 unassigned
    CHECK_FALSE(us_itin("912-93-1234"));  // 93 unassigned
}

TEST_CASE("us_npi is Luhn with the 80840 prefix", "[validators][us_npi]") {
    CHECK(us_npi("1234567893"));  // CMS, "NPI check digit" worked example
    CHECK_FALSE(us_npi("1234567894"));
    CHECK_FALSE(us_npi("3234567893"));  // first digit must be 1 or 2
    CHECK_FALSE(us_npi("1111111112"));  // nine identical digits
    CHECK_FALSE(us_npi("123456789"));
}

TEST_CASE("us_dea and medical_license check the DEA registration check digit", "[validators][us_dea]") {
    CHECK(us_dea("AB1234563"));  // (1+3+5) + 2*(2+4+6) = 33
    CHECK(us_dea("ab1234563"));
    CHECK(us_dea("M91234563"));  // 9 in place of the surname letter
    CHECK_FALSE(us_dea("AB1234564"));
    CHECK_FALSE(us_dea("IB1234563"));  // I is no registrant type
    CHECK_FALSE(us_dea("AB123456"));
}

TEST_CASE("ca_sin is Luhn on nine digits, never starting with 0 or 8", "[validators][ca_sin]") {
    CHECK(ca_sin("130 692 544"));
    CHECK(ca_sin("130-692-544"));
    CHECK_FALSE(ca_sin("130 692 545"));
    CHECK_FALSE(ca_sin("046 454 286"));  // Service Canada's fictitious example: Luhn-valid, 0 is never issued
    CHECK_FALSE(ca_sin("000 000 000"));
    CHECK_FALSE(ca_sin("800 000 002"));  // Luhn-valid, 8 unused
}

TEST_CASE("uk_nhs is mod 11 on ten digits", "[validators][uk_nhs]") {
    CHECK(uk_nhs("943 476 5919"));  // NHS Digital's example number
    CHECK(uk_nhs("401-023-2137"));
    CHECK(uk_nhs("4010232137"));
    CHECK_FALSE(uk_nhs("943 476 5918"));
    CHECK_FALSE(uk_nhs("943 476 591"));
    CHECK_FALSE(uk_nhs("1000000010"));  // remainder 1: check digit 10, never issued
}

TEST_CASE("uk_nino applies HMRC's prefix and suffix rules", "[validators][uk_nino]") {
    for (const char *v : {"AB123456C", "AB 12 34 56 C", "ab123456d", "JG103759A"}) CHECK(uk_nino(v));
    CHECK_FALSE(uk_nino("QQ123456C"));  // Q never first: HMRC's example prefix
    CHECK_FALSE(uk_nino("DA123456C"));  // D never first
    CHECK_FALSE(uk_nino("AO123456C"));  // O never second
    CHECK_FALSE(uk_nino("GB123456C"));  // not allocated
    CHECK_FALSE(uk_nino("NK123456C"));
    CHECK_FALSE(uk_nino("AB123456E"));  // suffix beyond D
    CHECK_FALSE(uk_nino("AB12345C"));
}

TEST_CASE("uk_driving_licence follows the DVLA layout", "[validators][uk_driving_licence]") {
    CHECK(uk_driving_licence("MORGA753116SM9IJ"));  // DVLA INF45's example
    CHECK(uk_driving_licence("MORGA 753116 SM9IJ"));
    CHECK(uk_driving_licence("LI999802160JJ9AB"));        // a two-letter surname padded with 9
    CHECK_FALSE(uk_driving_licence("M9RGA753116SM9IJ"));  // a 9 before the end of the surname
    CHECK_FALSE(uk_driving_licence("MORGA713116SM9IJ"));  // month 13
    CHECK_FALSE(uk_driving_licence("MORGA753326SM9IJ"));  // day 32
    CHECK_FALSE(uk_driving_licence("MORGA753116SM9I"));
}

TEST_CASE("uk_vehicle_registration checks the age identifier of current plates",
          "[validators][uk_vehicle_registration]") {
    CHECK(uk_vehicle_registration("AB51 ABC"));
    CHECK(uk_vehicle_registration("BD02XYZ"));
    CHECK(uk_vehicle_registration("A123 BCD"));        // prefix-era plate, not checked further
    CHECK_FALSE(uk_vehicle_registration("AB30 ABC"));  // no age identifier 30
    CHECK_FALSE(uk_vehicle_registration("AB01 ABC"));
    CHECK_FALSE(uk_vehicle_registration("AB51 AQC"));  // Q never used
    CHECK_FALSE(uk_vehicle_registration("ABCDEFG"));
}

TEST_CASE("es_nif and es_nie check the mod-23 control letter", "[validators][es_nif]") {
    CHECK(es_nif("12345678Z"));  // Ministerio del Interior's worked example
    CHECK(es_nif("12345678-Z"));
    CHECK(es_nif("X1234567L"));  // an NIE is an NIF
    CHECK(es_nif("Y1234567X"));
    CHECK(es_nif("Z1234567R"));
    CHECK_FALSE(es_nif("12345678A"));
    CHECK_FALSE(es_nif("X1234567A"));
    CHECK_FALSE(es_nif("1234567Z8"));
    CHECK(es_nie("X1234567L"));
    CHECK_FALSE(es_nie("12345678Z"));  // a DNI is not an NIE
    CHECK_FALSE(es_nie("W1234567L"));
}

TEST_CASE("it_fiscal_code checks structure, day, omocodia and the check letter", "[validators][it_fiscal_code]") {
    CHECK(it_fiscal_code("RSSMRA85T10A562S"));  // the Agenzia delle Entrate's "Mario Rossi" example
    CHECK(it_fiscal_code("rssmra85t10a562s"));
    CHECK(it_fiscal_code("RSSMRA85T10A56NH"));  // the same with the last digit in omocodia (2 -> N)
    CHECK(it_fiscal_code("MRTMTT91D08F205J"));
    CHECK_FALSE(it_fiscal_code("RSSMRA85T10A562T"));  // check letter
    CHECK_FALSE(it_fiscal_code("RSSMRA85F10A562S"));  // F is no month letter
    CHECK_FALSE(it_fiscal_code("RSSMRA85T32A562S"));  // day 32
    CHECK_FALSE(it_fiscal_code("RSSMRA85T10A5W2S"));  // W is no omocodia letter
    CHECK_FALSE(it_fiscal_code("RSSMRA85T10A562"));
}

TEST_CASE("it_vat is Luhn on eleven digits", "[validators][it_vat]") {
    CHECK(it_vat("07643520567"));
    CHECK(it_vat("IT07643520567"));
    CHECK_FALSE(it_vat("07643520568"));
    CHECK_FALSE(it_vat("00000000000"));
    CHECK_FALSE(it_vat("0764352056"));
}

TEST_CASE("pl_pesel checks the weights and the birth date with its century", "[validators][pl_pesel]") {
    CHECK(pl_pesel("44051401359"));  // the Ministry of Digital Affairs' example (born 1944-05-14)
    CHECK(pl_pesel("02270803624"));  // born 2002-07-08: month + 20
    CHECK_FALSE(pl_pesel("44051401358"));
    CHECK_FALSE(pl_pesel("44133101357"));  // month 13
    CHECK_FALSE(pl_pesel("4405140135"));
}

TEST_CASE("se_personnummer checks the date, samordningsnummer and Luhn", "[validators][se_personnummer]") {
    CHECK(se_personnummer("811228-9874"));  // Skatteverket's example
    CHECK(se_personnummer("8112289874"));
    CHECK(se_personnummer("19811228-9874"));
    CHECK(se_personnummer("670919+9530"));  // over 100: '+'
    CHECK(se_personnummer("701063-2391"));  // samordningsnummer: day 63 = 3
    CHECK_FALSE(se_personnummer("811228-9873"));
    CHECK_FALSE(se_personnummer("811328-9873"));    // month 13, Luhn-valid
    CHECK_FALSE(se_personnummer("17811228-9874"));  // century 17
    CHECK_FALSE(se_personnummer("8112-289874"));    // separator out of place
}

TEST_CASE("se_organisationsnummer needs a third digit of 2 or more and Luhn", "[validators][se_organisationsnummer]") {
    CHECK(se_organisationsnummer("556036-0793"));
    CHECK(se_organisationsnummer("212000-0142"));  // a state agency
    CHECK(se_organisationsnummer("165560360793"));
    CHECK_FALSE(se_organisationsnummer("556036-0794"));
    CHECK_FALSE(se_organisationsnummer("8112289874"));  // a personnummer (third digit 1)
}

TEST_CASE("fi_hetu checks the date, century sign and control character", "[validators][fi_hetu]") {
    CHECK(fi_hetu("131052-308T"));  // DVV's example
    CHECK(fi_hetu("010594Y9032"));  // a 2023 century sign (Y for 1900s)
    CHECK(fi_hetu("020502E902X"));  // a 2023 century sign (E for 2000s)
    CHECK(fi_hetu("020502A902X"));
    CHECK_FALSE(fi_hetu("131052-308U"));
    CHECK_FALSE(fi_hetu("131052G308T"));  // G is no century sign
    CHECK_FALSE(fi_hetu("310252-308T"));  // 31 February
    CHECK_FALSE(fi_hetu("131052-001T"));  // individual number below 002
}

TEST_CASE("tr_tckn checks the tenth and eleventh digit rules", "[validators][tr_tckn]") {
    CHECK(tr_tckn("10000000146"));  // the identity number in NVI's published examples
    CHECK(tr_tckn("12345678950"));
    CHECK_FALSE(tr_tckn("10000000147"));
    CHECK_FALSE(tr_tckn("10000000156"));
    CHECK_FALSE(tr_tckn("01234567890"));  // first digit 0
}

TEST_CASE("tr_license_plate checks the province code and the letter and digit groups",
          "[validators][tr_license_plate]") {
    CHECK(tr_license_plate("34 ABC 123"));
    CHECK(tr_license_plate("06 A 1234"));
    CHECK_FALSE(tr_license_plate("82 ABC 123"));  // no province 82
    CHECK_FALSE(tr_license_plate("00 ABC 123"));
    CHECK_FALSE(tr_license_plate("34 ABCD 12"));
}

TEST_CASE("de_tax_id checks the digit repetition rule and ISO 7064 MOD 11,10", "[validators][de_tax_id]") {
    CHECK(de_tax_id("86095742719"));  // BZSt's example
    CHECK(de_tax_id("47 036 892 816"));
    CHECK(de_tax_id("65929970489"));  // one digit three times, not in a row
    CHECK_FALSE(de_tax_id("86095742718"));
    CHECK_FALSE(de_tax_id("06095742719"));  // first digit 0
    CHECK(de_tax_id("11234567890"));        // one digit twice
    CHECK_FALSE(de_tax_id("11223456785"));  // two digits repeated (the check digit is right)
    CHECK_FALSE(de_tax_id("11123456786"));  // three in a row (the check digit is right)
    CHECK_FALSE(de_tax_id("12345678903"));  // no digit repeated (the check digit is right)
}

TEST_CASE("de_vat_id is DE and ISO 7064 MOD 11,10 on nine digits", "[validators][de_vat_id]") {
    CHECK(de_vat_id("DE136695976"));
    CHECK(de_vat_id("DE 136 695 976"));
    CHECK_FALSE(de_vat_id("DE136695977"));
    CHECK_FALSE(de_vat_id("AT136695976"));
}

TEST_CASE("de_health_insurance, de_social_security and de_lanr check their digits", "[validators][germany]") {
    CHECK(de_health_insurance("A123456780"));  // GKV-Spitzenverband's example
    CHECK_FALSE(de_health_insurance("A123456781"));
    CHECK_FALSE(de_health_insurance("1123456780"));
    CHECK(de_social_security("65170839J003"));  // Deutsche Rentenversicherung's example
    CHECK(de_social_security("15070649C103"));
    CHECK_FALSE(de_social_security("65170839J004"));
    CHECK_FALSE(de_social_security("65173839J003"));  // month 38
    CHECK(de_lanr("123456601"));
    CHECK_FALSE(de_lanr("123456701"));
}
