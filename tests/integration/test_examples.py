"""Every official R4 example instance (hl7.fhir.r4.examples@4.0.1, all but the conformance
resources) is stored with PUT /fhir/<type>/<id> (update-as-create keeps the example's id)
and read back identical apart from meta.versionId and meta.lastUpdated. Numbers compare by
their exact text (1.50 is not 1.5: FHIR decimals keep their precision)."""

import json
import unittest

from harness import (ServerTestCase, example_files, first_difference, issues_text,
                     loads_exact, minify_json, read_example, strip_server_meta)


class ExamplesRoundTripTest(ServerTestCase):

    def test_every_example_round_trips(self):
        examples = example_files()
        # The package holds ~725 of them; far fewer means HB_FHIR_PACKAGE_DIR is wrong.
        self.assertGreater(len(examples), 700, "too few examples: wrong package folder?")
        failures = []
        for name, res in examples:
            rtype, rid = res["resourceType"], res["id"]
            raw = read_example(name)
            # Minified without re-serialising, so every number keeps its text; this also keeps
            # the 35 MB Bundle-resources.json under the default 32 MiB body limit.
            body = minify_json(raw).encode("utf-8")
            try:
                r = self.c.put(f"{rtype}/{rid}", body)
            except OSError as e:
                failures.append(f"{name}: PUT failed: {e!r}")
                self.c.close()
                continue
            if r.status != 201:
                detail = issues_text(r.json if r.body.strip().startswith(b"{") else None)
                failures.append(f"{name}: PUT {rtype}/{rid} -> {r.status} "
                                f"{(detail or r.text)[:400]}")
                continue
            g = self.c.get(f"{rtype}/{rid}")
            if g.status != 200:
                failures.append(f"{name}: GET {rtype}/{rid} -> {g.status} {g.text[:300]}")
                continue
            try:
                got = strip_server_meta(loads_exact(g.body))
            except ValueError as e:
                failures.append(f"{name}: GET returned invalid JSON: {e}")
                continue
            want = strip_server_meta(loads_exact(raw))
            diff = first_difference(want, got)
            if diff:
                failures.append(f"{name}: read back differs at {diff}")
        if failures:
            self.fail(f"{len(failures)} of {len(examples)} examples failed:\n  "
                      + "\n  ".join(failures))

    def test_minify_keeps_numbers(self):
        """Guards the test's own tool: minify_json keeps every token's text."""
        raw = '{ "a" : [ 1.50 , -0.0, 1e3 ], "s" : "x \\" y  z" ,"t":true }'
        self.assertEqual(minify_json(raw), '{"a":[1.50,-0.0,1e3],"s":"x \\" y  z","t":true}')
        self.assertEqual(loads_exact(minify_json(raw)), loads_exact(raw))
        self.assertNotEqual(loads_exact('{"v":1.5}'), loads_exact('{"v":1.50}'))
        self.assertNotEqual(loads_exact('{"v":1}'), loads_exact('{"v":"1"}'))
        self.assertEqual(json.loads(minify_json(raw)), json.loads(raw))


if __name__ == "__main__":
    unittest.main()
