"""Dates without a time zone in search: read in the server's time zone (R4 search
§3.1.1.4.2), at the offset the store's index was built with (search/date_range.h).

A new store takes reception.utc_offset_minutes (+420, Vietnam); a store built before the
offset was recorded keeps reading UTC, as its index was built, until `healthbook reindex`
moves it; a reindex that did not finish keeps the store from being served."""

import shutil
import tempfile
import unittest

from harness import FhirTestCase, Server, run_cli, store_sql

OFFSET_KEY = "search.zoneless_offset_minutes"


def glucose(oid, when):
    return {
        "resourceType": "Observation", "id": oid, "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "2345-7",
                             "display": "Glucose [Mass/volume] in Serum or Plasma"}]},
        "effectiveDateTime": when,
        "valueQuantity": {"value": 5.4, "unit": "mmol/L", "system": "http://unitsofmeasure.org",
                          "code": "mmol/L"},
    }


# Three lab results around 15 March in Điện Biên (UTC+07:00):
RESULTS = [
    glucose("early", "2024-03-15T06:30:00+07:00"),  # the local 15th, still the 14th in UTC
    glucose("late", "2024-03-15T23:30:00+07:00"),   # the 15th both ways
    glucose("next", "2024-03-16T06:30:00+07:00"),   # the local 16th, still the 15th in UTC
]
LOCAL_15TH = ["early", "late"]
UTC_15TH = ["late", "next"]


class ZonelessDatesTest(FhirTestCase):

    def setUp(self):
        self.data = tempfile.mkdtemp(prefix="hb-it-dates-")
        self.addCleanup(shutil.rmtree, self.data, True)

    def load(self):
        with Server(self.data) as s:
            self.put_all(s.client(), *RESULTS)

    def ids(self, server, query):
        return sorted(self.search_ids(query, client=server.client()))

    def on_the_15th(self, server):
        return self.ids(server, "Observation?date=2024-03-15")

    def recorded_offset_is(self, value):
        """The store's recorded offset equals `value` (an UPDATE that changes nothing
        counts the rows it matched)."""
        sql = (f"UPDATE store_setting SET value = value WHERE key = '{OFFSET_KEY}' "
               f"AND value = '{value}'")
        return store_sql(self.data, sql) == 1

    def test_a_new_store_reads_them_as_the_local_day(self):
        self.load()
        self.assertTrue(self.recorded_offset_is("420"))
        with Server(self.data) as s:
            self.assertEqual(self.on_the_15th(s), LOCAL_15TH)
            # A zone-less time is local too; an explicit zone is kept.
            self.assertEqual(self.ids(s, "Observation?date=lt2024-03-15T07:00"), ["early"])
            self.assertEqual(self.ids(s, "Observation?date=lt2024-03-15T07:00:00Z"), ["early"])
            self.assertEqual(self.ids(s, "Observation?date=ge2024-03-15T23:00:00Z"), ["next"])

    def test_an_older_store_keeps_utc_until_reindexed(self):
        self.load()
        # As a store made before the offset was recorded: its index read UTC days.
        self.assertEqual(store_sql(self.data, "DELETE FROM store_setting WHERE key = "
                                   f"'{OFFSET_KEY}'"), 1)
        p = run_cli("reindex", "--data", self.data, "--type", "Patient")
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn("stay at UTC+00:00", p.stdout)
        with Server(self.data) as s:
            self.assertTrue(self.recorded_offset_is("0"))
            # The index was not rebuilt for the 14th/15th boundary in Vietnam: still the UTC
            # day, consistently on both sides, and the log says how to change it.
            self.assertEqual(self.on_the_15th(s), UTC_15TH)
            self.assertIn("healthbook reindex", s.log())
        p = run_cli("reindex", "--data", self.data)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn("dates without a zone: UTC+07:00", p.stdout)
        self.assertTrue(self.recorded_offset_is("420"))
        with Server(self.data) as s:
            self.assertEqual(self.on_the_15th(s), LOCAL_15TH)
            self.assertNotIn("healthbook reindex", s.log())

    def test_an_interrupted_reindex_is_not_served(self):
        self.load()
        store_sql(self.data, "INSERT INTO store_setting (key, value) VALUES "
                  "('search.reindexing', '2026-11-26T12:00:00Z')")
        p = run_cli("serve", "--data", self.data, "--listen", "127.0.0.1:0", timeout=60)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("did not finish", p.stderr)
        self.assertIn("healthbook reindex", p.stderr)
        p = run_cli("reindex", "--data", self.data)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        with Server(self.data) as s:
            self.assertEqual(self.on_the_15th(s), LOCAL_15TH)


if __name__ == "__main__":
    unittest.main()
