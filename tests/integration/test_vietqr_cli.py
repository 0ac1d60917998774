"""`healthbook vietqr encode|decode`: VietQR transfer payloads (NAPAS, EMVCo merchant-presented
QR). encode prints the payload on one line and, with --svg/--png, writes the QR picture;
decode prints one JSON object on one line; both exit 1 naming the reason for a bad field, a
CRC mismatch or a broken structure."""

import json
import os
import shutil
import struct
import tempfile
import unittest
import xml.etree.ElementTree as ET

from harness import FhirTestCase, run_cli

# The published test strings of subiz/vietqr, with the fields they carry.
PUBLISHED = [
    ("00020101021138540010A00000072701240006970423011000999999990208QRIBFTTA53037045802VN"
     "6304CBB4",
     {"bin": "970423", "account": "0099999999", "amount": None, "purpose": None}),
    ("00020101021238570010A00000072701270006970422011300234579234420208QRIBFTTA5303704540540123"
     "5802VN62200816test text string6304D9C6",
     {"bin": "970422", "account": "0023457923442", "amount": 40123,
      "purpose": "test text string"}),
    ("00020101021238570010A00000072701270006970422011300234579234420208QRIBFTTA5303704540540123"
     "5802VN62160812chuyen khoan6304722F",
     {"bin": "970422", "account": "0023457923442", "amount": 40123, "purpose": "chuyen khoan"}),
    ("00020101021238630010A0000007270133000697042201190023457923442ASDFLJ0208QRIBFTTA5303704"
     "5405401235802VN62290825chuyen khoan alsdkf laksj6304E5DB",
     {"bin": "970422", "account": "0023457923442ASDFLJ", "amount": 40123,
      "purpose": "chuyen khoan alsdkf laksj"}),
    ("00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA5303704540612"
     "00005802VN62170813ung ho lu lut6304C15C",
     {"bin": "970415", "account": "0011001932418", "amount": 120000,
      "purpose": "ung ho lu lut"}),
]

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SVG_NS = "{http://www.w3.org/2000/svg}"


def crc16(text):
    """CRC-16/CCITT-FALSE, written independently of the binary's."""
    crc = 0xFFFF
    for byte in text.encode("ascii"):
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) & 0xFFFF if crc & 0x8000 else (crc << 1) & 0xFFFF
    return f"{crc:04X}"


def tlv(tag, value):
    return f"{tag}{len(value):02d}{value}"


def with_crc(body):
    body += "6304"
    return body + crc16(body)


def encode_args(fields):
    args = ["vietqr", "encode", "--bin", fields["bin"], "--account", fields["account"]]
    if fields.get("amount") is not None:
        args += ["--amount", str(fields["amount"])]
    if fields.get("bill_number") is not None:
        args += ["--bill", fields["bill_number"]]
    if fields.get("purpose") is not None:
        args += ["--purpose", fields["purpose"]]
    if fields.get("service") == "QRIBFTTC":
        args.append("--card")
    return args


class VietQrCliTest(FhirTestCase):

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="hb-it-vietqr-")
        self.addCleanup(shutil.rmtree, self.dir, True)

    def encode(self, *args):
        p = run_cli("vietqr", "encode", *args)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout.count("\n"), 1, "one line of output: " + p.stdout)
        return p.stdout.strip()

    def decode(self, payload):
        p = run_cli("vietqr", "decode", payload)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout.count("\n"), 1, "one line of output: " + p.stdout)
        return json.loads(p.stdout)

    def assertFails(self, args, message_part):
        p = run_cli("vietqr", *args)
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        self.assertEqual(p.stdout, "")
        self.assertIn(message_part, p.stderr)

    def test_published_strings_decode(self):
        for payload, fields in PUBLISHED:
            with self.subTest(payload=payload):
                out = self.decode(payload)
                self.assertEqual(list(out), ["initiation", "bin", "bank", "account", "service",
                                             "amount", "currency", "country", "bill_number",
                                             "purpose", "crc"])
                self.assertEqual(out["initiation"],
                                 "static" if fields["amount"] is None else "dynamic")
                for key, value in fields.items():
                    self.assertEqual(out[key], value, key)
                self.assertEqual(out["service"], "QRIBFTTA")
                self.assertEqual(out["currency"], "704")
                self.assertEqual(out["country"], "VN")
                self.assertIsNone(out["bill_number"])
                self.assertEqual(out["crc"], payload[-4:])
        self.assertEqual(self.decode(PUBLISHED[4][0])["bank"], "VietinBank")
        self.assertEqual(self.decode(PUBLISHED[1][0])["bank"], "MBBank")

    def test_published_strings_encode_exactly(self):
        for payload, fields in PUBLISHED:
            with self.subTest(payload=payload):
                p = run_cli(*encode_args(fields))
                self.assertEqual(p.returncode, 0, p.stderr)
                self.assertEqual(p.stdout, payload + "\n")
                # decode, then encode what came out: the same string again
                again = run_cli(*encode_args(self.decode(payload)))
                self.assertEqual(again.stdout, payload + "\n", again.stderr)

    def test_card_static_and_vietnamese_purpose(self):
        card = self.encode("--bin", "970436", "--account", "9704366614952148", "--card")
        self.assertEqual(card, with_crc("000201010211" + tlv("38", tlv("00", "A000000727") + tlv(
            "01", tlv("00", "970436") + tlv("01", "9704366614952148")) + tlv("02", "QRIBFTTC"))
            + "5303704" + "5802VN"))
        out = self.decode(card)
        self.assertEqual((out["initiation"], out["service"], out["amount"]),
                         ("static", "QRIBFTTC", None))
        self.assertEqual(out["bank"], "Vietcombank")

        payload = self.encode("--bin", "970418", "--account", "21510001234567",
                              "--amount", "150000", "--bill", "HD2025-0001",
                              "--purpose", "Thanh toán viện phí Đợt 2")
        self.assertTrue(payload.isascii())
        self.assertEqual(payload[-4:], crc16(payload[:-4]))
        out = self.decode(payload)
        self.assertEqual(out["purpose"], "Thanh toan vien phi Dot 2")
        self.assertEqual(out["bill_number"], "HD2025-0001")
        self.assertEqual(out["amount"], 150000)

    def test_purpose_limit(self):
        base = ["encode", "--bin", "970436", "--account", "0011001932418"]
        self.encode(*base[1:], "--purpose", "x" * 25)
        self.assertFails(base + ["--purpose", "x" * 26], "the limit is 25")
        self.assertFails(base + ["--purpose", "chuyển tiền 中文"], "U+4E2D")
        long_text = "Thanh toán viện phí cho bệnh nhân Lò Văn A"
        payload = self.encode(*base[1:], "--purpose", long_text, "--truncate-purpose")
        self.assertEqual(self.decode(payload)["purpose"], "Thanh toan vien phi cho b")

    def test_reordered_tags_and_lowercase_crc_are_read(self):
        payload = with_crc("5802VN" + "5303704" + "010212" + "540540123" + "000201" +
                           tlv("62", tlv("08", "test text string")) +
                           "38570010A00000072701270006970422011300234579234420208QRIBFTTA")
        out = self.decode(payload)
        self.assertEqual((out["bin"], out["amount"], out["purpose"]),
                         ("970422", 40123, "test text string"))
        lower = PUBLISHED[1][0][:-4] + PUBLISHED[1][0][-4:].lower()
        self.assertEqual(self.decode(lower)["crc"], "d9c6")

    def test_tampered_payload_is_a_crc_error(self):
        good = PUBLISHED[4][0]
        for i in (0, 3, 20, 60, len(good) - 12, len(good) - 1):
            bad = good[:i] + ("1" if good[i] == "0" else "0") + good[i + 1:]
            with self.subTest(position=i):
                self.assertFails(["decode", bad], "CRC mismatch: expected ")
        self.assertFails(["decode", good[:-1] + "D"], "expected C15C, found C15D")

    def test_structure_errors(self):
        self.assertFails(["decode", PUBLISHED[0][0][:40]], "truncated TLV")
        self.assertFails(["decode", "0002015802VN"], "missing CRC")
        self.assertFails(["decode", with_crc("000201010211" + "5303704" + "5802VN")],
                         "missing field 38")
        self.assertFails(["decode", with_crc(
            "000201010211" + tlv("38", tlv("00", "A000000775") + tlv("01", tlv(
                "00", "970436") + tlv("01", "123")) + tlv("02", "QRIBFTTA")) + "53037045802VN")],
            "wrong GUID")
        self.assertFails(["decode", with_crc("000201010211" + tlv("38", tlv(
            "00", "A000000727") + tlv("01", tlv("00", "970436") + tlv("01", "123")) + tlv(
            "02", "QRIBFTTA")) + "5802VN")], "missing field 53")
        self.assertFails(["decode", "00020101021163"], "truncated TLV")

    def test_encode_rejects_bad_fields(self):
        self.assertFails(["encode", "--bin", "97043", "--account", "1"], "BIN must be 6 digits")
        self.assertFails(["encode", "--bin", "970436", "--account", "12 34"],
                         "letters and digits only")
        self.assertFails(["encode", "--bin", "970436", "--account", "12AB", "--card"],
                         "digits only")
        self.assertFails(["encode", "--bin", "970436", "--account", "1", "--amount", "10.000"],
                         "whole number of VND")
        self.assertFails(["encode", "--bin", "970436", "--account", "1", "--amount", "0"],
                         "positive")
        self.assertFails(["encode", "--bin", "970436", "--account", "1", "--bill", "B" * 26],
                         "bill number is 26 characters")

    def test_unknown_bin_is_encoded_with_a_warning(self):
        p = run_cli("vietqr", "encode", "--bin", "123456", "--account", "1")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("not in the NAPAS catalogue", p.stderr)
        self.assertIsNone(self.decode(p.stdout.strip())["bank"])

    def test_png_and_svg_pictures(self):
        png_path = os.path.join(self.dir, "qr.png")
        svg_path = os.path.join(self.dir, "qr.svg")
        payload = self.encode("--bin", "970415", "--account", "0011001932418", "--amount",
                              "120000", "--purpose", "ung hộ lũ lụt", "--png", png_path,
                              "--svg", svg_path)
        self.assertEqual(payload, PUBLISHED[4][0])

        with open(png_path, "rb") as f:
            png = f.read()
        self.assertEqual(png[:8], PNG_SIGNATURE)
        self.assertEqual(png[12:16], b"IHDR")
        width, height = struct.unpack(">II", png[16:24])
        self.assertEqual(width, height)
        self.assertGreaterEqual(width, (21 + 8) * 8)
        self.assertEqual(png[-8:-4], b"IEND")

        root = ET.parse(svg_path).getroot()
        self.assertEqual(root.tag, SVG_NS + "svg")
        side = int(root.get("viewBox").split()[2])
        self.assertEqual(side * 8, width)  # same symbol, same quiet zone, 8 px per module
        path = root.find(SVG_NS + "path")
        self.assertIsNotNone(path)
        self.assertTrue(path.get("d").startswith("M4 4h7v1h-7z"), "top row of the first finder")

    def test_unwritable_picture_path(self):
        missing = os.path.join(self.dir, "no", "such", "dir", "qr.png")
        self.assertFails(["encode", "--bin", "970436", "--account", "1", "--png", missing],
                         "cannot write")

    def test_usage_errors_and_help(self):
        for args in (("vietqr",), ("vietqr", "decode"), ("vietqr", "encode", "--bin", "970436"),
                     ("vietqr", "encode", "--account", "1")):
            with self.subTest(args=args):
                p = run_cli(*args)
                self.assertNotIn(p.returncode, (0, 1), p.stdout + p.stderr)
        p = run_cli("vietqr", "encode", "--help")
        self.assertEqual(p.returncode, 0, p.stderr)
        for flag in ("--bin", "--account", "--card", "--amount", "--purpose", "--svg", "--png"):
            self.assertIn(flag, p.stdout)


if __name__ == "__main__":
    unittest.main()
