"""`healthbook fhirpath eval --input FILE.json 'EXPRESSION'`: one JSON array on stdout, one
{"type", "value"} object per result; exit 1 with a message for a bad expression, an
evaluation error, or an unreadable or malformed input file."""

import json
import os
import shutil
import tempfile
import unittest

from harness import FhirTestCase, run_cli

PATIENT = {
    "resourceType": "Patient",
    "id": "p1",
    "active": True,
    "name": [{"use": "official", "family": "Nguyễn", "given": ["Văn", "An"]}],
    "gender": "male",
    "birthDate": "1974-12-25",
    "_birthDate": {"extension": [{
        "url": "http://hl7.org/fhir/StructureDefinition/patient-birthTime",
        "valueDateTime": "1974-12-25T14:35:45+07:00"}]},
    "multipleBirthInteger": 2,
    "contained": [{"resourceType": "Organization", "id": "o1", "name": "BV Tỉnh"}],
    "managingOrganization": {"reference": "#o1"},
}

ICD = "https://fhir.healthbook.vn/sid/icd-10-vn"

OBSERVATION = {
    "resourceType": "Observation",
    "id": "o1",
    "status": "final",
    "code": {"coding": [{"system": "http://loinc.org", "code": "29463-7"}]},
    "valueQuantity": {"value": 72.50, "unit": "kg", "system": "http://unitsofmeasure.org",
                      "code": "kg"},
}


class FhirpathEvalTest(FhirTestCase):

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="hb-it-fhirpath-")
        self.addCleanup(shutil.rmtree, self.dir, True)

    def write(self, name, content):
        path = os.path.join(self.dir, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(content if isinstance(content, str) else json.dumps(content))
        return path

    def eval(self, resource, expression):
        p = run_cli("fhirpath", "eval", "--input", self.write("in.json", resource), expression)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout.count("\n"), 1, "one line of output: " + p.stdout)
        return json.loads(p.stdout)

    def assertFails(self, args, message_part):
        p = run_cli("fhirpath", "eval", *args)
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        self.assertEqual(p.stdout, "")
        self.assertIn(message_part, p.stderr)

    def test_fhir_types_and_values(self):
        self.assertEqual(self.eval(PATIENT, "name.given"),
                         [{"type": "string", "value": "Văn"}, {"type": "string", "value": "An"}])
        self.assertEqual(self.eval(PATIENT, "gender"), [{"type": "code", "value": "male"}])
        self.assertEqual(self.eval(PATIENT, "birthDate"), [{"type": "date", "value": "1974-12-25"}])
        self.assertEqual(self.eval(PATIENT, "active"), [{"type": "boolean", "value": True}])
        self.assertEqual(self.eval(PATIENT, "multipleBirth"), [{"type": "integer", "value": 2}])
        self.assertEqual(self.eval(PATIENT, "id"), [{"type": "id", "value": "p1"}])
        self.assertEqual(self.eval(PATIENT, "name.family.first()"),
                         [{"type": "string", "value": "Nguyễn"}])

    def test_complex_values_are_their_json(self):
        self.assertEqual(self.eval(PATIENT, "name"),
                         [{"type": "HumanName", "value": PATIENT["name"][0]}])
        out = self.eval(OBSERVATION, "Observation.value")
        self.assertEqual(out[0]["type"], "Quantity")
        self.assertEqual(out[0]["value"]["code"], "kg")
        # Decimals keep their text: 72.50 stays 72.50 in the output.
        text = json.dumps(OBSERVATION).replace("72.5", "72.50")
        p = run_cli("fhirpath", "eval", "--input", self.write("o.json", text),
                    "Observation.value.value")
        self.assertEqual(p.stdout.strip(), '[{"type":"decimal","value":72.50}]')

    def test_system_types(self):
        out = self.eval(PATIENT, "1 | 2.50 | 'x' | true | @2015-02 | @2015-02-04T14:34:28Z | @T14:34 "
                                 "| 4 'mg' | 1 week")
        self.assertEqual(out, [
            {"type": "integer", "value": 1},
            {"type": "decimal", "value": 2.5},
            {"type": "string", "value": "x"},
            {"type": "boolean", "value": True},
            {"type": "date", "value": "2015-02"},
            {"type": "dateTime", "value": "2015-02-04T14:34:28Z"},
            {"type": "time", "value": "14:34"},
            {"type": "Quantity", "value": {"value": 4, "unit": "mg"}},
            {"type": "Quantity", "value": {"value": 1, "unit": "week"}},
        ])

    def test_fhir_functions(self):
        self.assertEqual(
            self.eval(PATIENT, "birthDate.extension("
                               "'http://hl7.org/fhir/StructureDefinition/patient-birthTime').value"),
            [{"type": "dateTime", "value": "1974-12-25T14:35:45+07:00"}])
        self.assertEqual(self.eval(PATIENT, "managingOrganization.resolve().name"),
                         [{"type": "string", "value": "BV Tỉnh"}])
        self.assertEqual(self.eval(OBSERVATION, "Observation.value > 70000 'g'"),
                         [{"type": "boolean", "value": True}])
        self.assertEqual(self.eval(PATIENT, "gender.type()"),
                         [{"type": "TypeInfo", "value": {"namespace": "FHIR", "name": "code"}}])

    def test_empty_result_is_an_empty_array(self):
        self.assertEqual(self.eval(PATIENT, "deceased"), [])
        self.assertEqual(self.eval(PATIENT, "{}"), [])

    def test_syntax_error_exits_1(self):
        self.assertFails(["--input", self.write("p.json", PATIENT), "name.where("],
                         "syntax error")

    def test_evaluation_error_exits_1(self):
        self.assertFails(["--input", self.write("p.json", PATIENT), "name.given.single()"],
                         "single()")
        self.assertFails(["--input", self.write("p.json", PATIENT), "gender.memberOf('x')"],
                         "ValueSet 'x' is not known")

    def eval_with_terminology(self, resource, expression):
        p = run_cli("fhirpath", "eval", "--terminology", self.terminology_dir(),
                    "--input", self.write("in.json", resource), expression)
        self.assertEqual(p.returncode, 0, p.stderr)
        return json.loads(p.stdout)

    def terminology_dir(self):
        folder = os.path.join(self.dir, "terminology")
        os.makedirs(os.path.join(folder, "sub"), exist_ok=True)
        with open(os.path.join(folder, "gender.json"), "w", encoding="utf-8") as f:
            json.dump({"resourceType": "ValueSet", "url": "urn:vs:male-only",
                       "compose": {"include": [{
                           "system": "http://hl7.org/fhir/administrative-gender",
                           "concept": [{"code": "male"}]}]}}, f)
        # A Bundle in a sub-folder: a local code system with a hierarchy, a ValueSet over
        # it by filter, and a ValueSet of ICD-10 pneumonia codes (the built-in catalogue).
        with open(os.path.join(folder, "sub", "local.json"), "w", encoding="utf-8") as f:
            json.dump({"resourceType": "Bundle", "type": "collection", "entry": [
                {"resource": {"resourceType": "CodeSystem", "url": "urn:cs:triage",
                              "content": "complete", "concept": [
                                  {"code": "urgent", "concept": [{"code": "red"},
                                                                 {"code": "orange"}]},
                                  {"code": "routine"}]}},
                {"resource": {"resourceType": "ValueSet", "url": "urn:vs:urgent",
                              "compose": {"include": [{"system": "urn:cs:triage", "filter": [
                                  {"property": "concept", "op": "is-a",
                                   "value": "urgent"}]}]}}},
                {"resource": {"resourceType": "ValueSet", "url": "urn:vs:pneumonia",
                              "compose": {"include": [{"system": ICD, "filter": [
                                  {"property": "concept", "op": "is-a",
                                   "value": "J18"}]}]}}}]}, f)
        return folder

    def test_member_of_with_terminology_folder(self):
        cond = {"resourceType": "Condition",
                "code": {"coding": [{"system": ICD, "code": "J18.0"}]},
                "severity": {"coding": [{"system": "urn:cs:triage", "code": "red"}]}}
        true, false = [{"type": "boolean", "value": True}], [{"type": "boolean", "value": False}]
        self.assertEqual(self.eval_with_terminology(PATIENT, "gender.memberOf('urn:vs:male-only')"),
                         true)
        self.assertEqual(self.eval_with_terminology(
            dict(PATIENT, gender="female"), "gender.memberOf('urn:vs:male-only')"), false)
        self.assertEqual(self.eval_with_terminology(cond, "severity.memberOf('urn:vs:urgent')"),
                         true)
        self.assertEqual(self.eval_with_terminology(cond, "code.memberOf('urn:vs:pneumonia')"),
                         true)
        self.assertEqual(self.eval_with_terminology(
            cond, "code.coding.code.memberOf('urn:vs:urgent')"), false)
        self.assertEqual(self.eval_with_terminology(cond, "severity.coding.subsumedBy('urgent')"),
                         true)
        self.assertEqual(self.eval_with_terminology(cond, "severity.coding.subsumes('routine')"),
                         false)
        self.assertEqual(self.eval_with_terminology(PATIENT, "deceased.memberOf('urn:vs:x')"), [])
        p = run_cli("fhirpath", "eval", "--terminology", self.terminology_dir(), "--input",
                    self.write("c.json", cond), "code.memberOf('urn:vs:missing')")
        self.assertEqual(p.returncode, 1, p.stdout)
        self.assertIn("urn:vs:missing", p.stderr)

    def test_subsumes_with_builtin_icd10(self):
        cond = {"resourceType": "Condition",
                "code": {"coding": [{"system": ICD, "code": "J18.0"}]}}
        self.assertEqual(self.eval(cond, "code.coding.subsumedBy('J18')"),
                         [{"type": "boolean", "value": True}])
        self.assertEqual(self.eval(cond, "code.subsumes('J18')"),
                         [{"type": "boolean", "value": False}])
        self.assertEqual(self.eval(cond, "code.coding.subsumes('K29.0')"),
                         [{"type": "boolean", "value": False}])
        # Not comparable: a code the catalogue does not hold, another system.
        self.assertEqual(self.eval(cond, "code.coding.subsumes('J18.ZZ')"), [])
        self.assertEqual(self.eval(dict(cond, code={"coding": [{"system": "urn:x", "code": "J18"}]}),
                                   "code.coding.subsumes('J18.0')"), [])

    def test_terminology_folder_errors(self):
        self.assertFails(["--terminology", os.path.join(self.dir, "nope"), "--input",
                          self.write("p.json", PATIENT), "gender"], "is not a folder")
        folder = os.path.join(self.dir, "badterm")
        os.makedirs(folder)
        with open(os.path.join(folder, "x.json"), "w", encoding="utf-8") as f:
            f.write("{\"resourceType\": ")
        self.assertFails(["--terminology", folder, "--input", self.write("p.json", PATIENT),
                          "gender"], "x.json")

    def test_unreadable_or_invalid_input_exits_1(self):
        self.assertFails(["--input", os.path.join(self.dir, "missing.json"), "name"], "cannot read")
        self.assertFails(["--input", self.write("bad.json", "{\"resourceType\": "), "name"],
                         "bad.json")

    def test_missing_arguments_are_usage_errors(self):
        for args in (("fhirpath",), ("fhirpath", "eval", "name"),
                     ("fhirpath", "eval", "--input", "x.json")):
            with self.subTest(args=args):
                p = run_cli(*args)
                self.assertNotIn(p.returncode, (0, 1), p.stdout + p.stderr)

    def test_help_describes_the_command(self):
        p = run_cli("fhirpath", "eval", "--help")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("--input", p.stdout)


if __name__ == "__main__":
    unittest.main()
