"""`healthbook id parse 'TEXT'`: a scanned citizen-ID (CCCD) or health-insurance card (BHYT)
QR payload in, one JSON object on one line out (exit 0); a payload that cannot be read exits
1 with the reason on stderr and nothing on stdout. Layout rules and reasons:
docs/implementation/identity.md."""

import json
import unicodedata
import unittest

from harness import FhirTestCase, run_cli

# The synthetic examples of shared/reference/README.md section 2, exactly.
LO_VAN_A = ("011090123456|040123456|LÒ VĂN A|15031990|Nam|Bản Huổi Phạ, Phường Him Lam, "
            "Thành phố Điện Biên Phủ, Điện Biên|20042021")
QUANG_THI_B = ("011305001234||QUÀNG THỊ B|02072005|Nữ|Xã Thanh Xương, Huyện Điện Biên, "
               "Điện Biên|10082021")


def hexed(text, upper=False):
    h = text.encode("utf-8").hex()
    return h.upper() if upper else h


def bhyt(**changes):
    fields = {
        "card": "DN4110123456789",
        "name": hexed("LÒ VĂN A"),
        "birth": "15/03/1990",
        "gender": "1",
        "address": hexed("Bản Huổi Phạ, Điện Biên Phủ"),
        "facility": "11001 - Bệnh viện Đa khoa tỉnh Điện Biên",
        "valid_from": "01/01/2025",
        "valid_to": "31/12/2025",
    }
    fields.update(changes)
    return "|".join(fields.values())


class IdParseTest(FhirTestCase):

    def parse(self, text):
        p = run_cli("id", "parse", text)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout.count("\n"), 1, "one line of output: " + p.stdout)
        self.assertEqual(p.stderr, "")
        return json.loads(p.stdout)

    def assertRejected(self, text, *reason_parts):
        p = run_cli("id", "parse", text)
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        self.assertEqual(p.stdout, "")
        for part in reason_parts:
            self.assertIn(part, p.stderr)
        return p.stderr

    # ------------------------------------------------------------------ CCCD
    def test_reference_example_with_old_id(self):
        self.assertEqual(self.parse(LO_VAN_A), {
            "kind": "cccd",
            "id": "011090123456",
            "old_id": "040123456",
            "name": "LÒ VĂN A",
            "birth_date": "1990-03-15",
            "gender": "male",
            "address": "Bản Huổi Phạ, Phường Him Lam, Thành phố Điện Biên Phủ, Điện Biên",
            "issue_date": "2021-04-20",
            "warnings": [],
        })

    def test_reference_example_with_empty_old_id(self):
        self.assertEqual(self.parse(QUANG_THI_B), {
            "kind": "cccd",
            "id": "011305001234",
            "old_id": None,
            "name": "QUÀNG THỊ B",
            "birth_date": "2005-07-02",
            "gender": "female",
            "address": "Xã Thanh Xương, Huyện Điện Biên, Điện Biên",
            "issue_date": "2021-08-10",
            "warnings": [],
        })

    def test_six_fields_and_trailing_separators_read_the_same(self):
        expected = self.parse(QUANG_THI_B)
        six = QUANG_THI_B.replace("||", "|", 1)
        self.assertEqual(self.parse(six), expected)
        self.assertEqual(self.parse(six + "|"), expected)
        self.assertEqual(self.parse(QUANG_THI_B + "|"), expected)
        self.assertEqual(self.parse(LO_VAN_A + "||"), self.parse(LO_VAN_A))

    def test_nfd_input_gives_nfc_output(self):
        nfd = unicodedata.normalize("NFD", LO_VAN_A)
        self.assertNotEqual(nfd, LO_VAN_A)
        out = self.parse(nfd)
        self.assertEqual(out["name"], "LÒ VĂN A")
        self.assertEqual(out, self.parse(LO_VAN_A))
        self.assertEqual(self.parse(unicodedata.normalize("NFD", QUANG_THI_B))["gender"], "female")

    def test_scanner_junk_is_stripped(self):
        junk = "\ufeff\r\n\t ]Q1" + LO_VAN_A.replace("|Nam|", "| Nam\t|") + "\r\n\x1b"
        self.assertEqual(self.parse(junk), self.parse(LO_VAN_A))

    def test_id_mismatch_is_a_warning(self):
        # Digit 4 = 3: female born 2000-2099; the card says male, born 1990.
        out = self.parse(LO_VAN_A.replace("011090123456", "011390123456"))
        self.assertEqual(out["id"], "011390123456")
        self.assertEqual(out["warnings"], [
            "ID digit 4 (3) means born 2000-2099, but the birth date is 1990-03-15",
            "ID digit 4 (3) means female, but the gender field says Nam (male)",
        ])

    def test_cccd_rejections(self):
        self.assertRejected(QUANG_THI_B.replace("02072005", "31022000"),
                            "birth date (field 4)", "February 2000 has 29 days")
        self.assertRejected(LO_VAN_A.replace("011090123456", "01109012345"),
                            "ID (field 1) must be 12 digits, got 11 digits")
        self.assertRejected(LO_VAN_A.replace("040123456", "04012345"),
                            "old ID (field 2) must be 9 digits (CMND) or 12, or empty, got 8 digits")
        self.assertRejected("011090123456|040123456|LÒ VĂN A|15031990", "too few fields: got 4")
        self.assertRejected(LO_VAN_A.replace("|Nam|", "|Male|"),
                            "gender (field 5) must be Nam or Nữ, got 'Male'")
        self.assertRejected(LO_VAN_A.replace("20042021", "2004202"),
                            "issue date (field 7) must be 8 digits ddMMyyyy, got 7 digits")

    # ------------------------------------------------------------------ BHYT
    def test_bhyt_decoded(self):
        self.assertEqual(self.parse(bhyt()), {
            "kind": "bhyt",
            "card_number": "DN4110123456789",
            "name": "LÒ VĂN A",
            "birth_date": "1990-03-15",
            "gender": "male",
            "address": "Bản Huổi Phạ, Điện Biên Phủ",
            "registered_facility": "11001",
            "registered_facility_name": "Bệnh viện Đa khoa tỉnh Điện Biên",
            "valid_from": "2025-01-01",
            "valid_to": "2025-12-31",
            "card": {"beneficiary_group": "DN", "benefit_level": 4, "province": "11",
                     "social_insurance_number": "0123456789"},
            "warnings": [],
        })

    def test_bhyt_tolerances(self):
        base = self.parse(bhyt())
        self.assertEqual(self.parse(bhyt(name=hexed("LÒ VĂN A", upper=True))), base)
        self.assertEqual(self.parse(bhyt() + "|$"), base)
        self.assertEqual(self.parse(bhyt() + "$"), base)
        self.assertEqual(self.parse(bhyt() + "|01/01/2025|4|$"), base)  # further fields
        out = self.parse(bhyt(birth="1990", gender="2", facility="11001",
                              name=hexed(unicodedata.normalize("NFD", "QUÀNG THỊ B"))))
        self.assertEqual((out["birth_date"], out["gender"], out["name"]),
                         ("1990", "female", "QUÀNG THỊ B"))
        self.assertNotIn("registered_facility_name", out)
        self.assertEqual(self.parse(bhyt(card="te1110000000001"))["card"],
                         {"beneficiary_group": "TE", "benefit_level": 1, "province": "11",
                          "social_insurance_number": "0000000001"})

    def test_bhyt_missing_valid_to_is_null_with_warning(self):
        out = self.parse(bhyt(valid_to=""))
        self.assertIsNone(out["valid_to"])
        self.assertEqual(out["warnings"], ["valid-to date (field 8) is missing"])

    def test_bhyt_rejections(self):
        self.assertRejected(bhyt(card="DN411012345678"),
                            "card number (field 1) must be 15 characters, got 14")
        self.assertRejected(bhyt(card="DN7110123456789"),
                            "character 3 must be a benefit level 1-5, got '7'")
        self.assertRejected(bhyt(name="4cc3b"), "name (field 2) is not hex-encoded",
                            "odd number of hex digits")
        self.assertRejected(bhyt(address="4g"), "address (field 5) is not hex-encoded",
                            "character 2 is 'g'")
        self.assertRejected(bhyt(valid_from="31/04/2025"), "valid-from date (field 7)",
                            "April 2025 has 30 days")
        self.assertRejected(bhyt(birth="1990-03-15"), "birth date (field 3) must be dd/MM/yyyy")
        self.assertRejected(bhyt(gender="0"), "gender (field 4) must be 1 (male) or 2 (female)")

    # ------------------------------------------------------------------ neither
    def test_unknown_or_empty_payloads(self):
        self.assertRejected("#not a card", "not a card QR")
        self.assertRejected(" \r\n", "the payload is empty")

    def test_missing_argument_is_a_usage_error(self):
        p = run_cli("id", "parse")
        self.assertNotEqual(p.returncode, 0)
        self.assertEqual(p.stdout, "")


if __name__ == "__main__":
    unittest.main()
