"""Every official R4 example instance (hl7.fhir.r4.examples@4.0.1, all but the conformance
resources) is stored with PUT /fhir/<type>/<id> (update-as-create keeps the example's id)
and read back identical apart from meta.versionId and meta.lastUpdated. Numbers compare by
their exact text (1.50 is not 1.5: FHIR decimals keep their precision). The few examples
that break R4 itself (KNOWN_INVALID) must instead be refused, naming what is wrong."""

import json
import unittest

from harness import (ServerTestCase, example_files, first_difference, issue_paths,
                     issues_text, loads_exact, minify_json, read_example, strip_server_meta)


def items_without_link_id(items, path):
    """FHIRPaths of Questionnaire items lacking linkId (1..1 in R4)."""
    out = []
    for i, item in enumerate(items or []):
        here = f"{path}.item[{i}]"
        if "linkId" not in item:
            out.append(f"{here}.linkId")
        out += items_without_link_id(item.get("item"), here)
    return out


# Official examples that break R4 itself. Each entry: file -> function(resource) giving the
# FHIRPaths that are wrong, computed from the example, so the exception proves itself. The
# server must refuse these with an OperationOutcome naming those paths.
KNOWN_INVALID = {
    # Questionnaire.item.linkId is 1..1; 'display' items in qs1 have none.
    "Questionnaire-qs1.json": lambda q: items_without_link_id(q.get("item"), "Questionnaire"),
}


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
            if name in KNOWN_INVALID:
                wrong = KNOWN_INVALID[name](res)
                if not wrong:
                    failures.append(f"{name}: listed as invalid but the test finds no fault")
                elif r.status not in (400, 422):
                    failures.append(f"{name}: invalid ({wrong[0]} missing) but PUT -> {r.status}")
                else:
                    named = set(issue_paths(r.json))
                    if not set(wrong) <= named:
                        failures.append(f"{name}: OperationOutcome does not name "
                                        f"{sorted(set(wrong) - named)[:5]}")
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
